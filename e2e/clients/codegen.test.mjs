// @graphql-codegen/cli (programmatic generate()): TypeScript types from the live URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { startServer, AUTH, makeTempDir, removeTempDir } from './harness.mjs';

const DOCS = `
query CodegenEvents($first: Int, $after: String) {
  events(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id title startsAt availableSeats ticketCategories { name price { amount currency formatted } } }
  }
}
query CodegenBookings($where: BookingFilterInput) {
  bookings(first: 5, where: $where) { nodes { id orderNumber status total { amount } } }
}
`;

test('graphql-codegen from the live URL', async (t) => {
  const srv = await startServer(t);
  const dir = await makeTempDir('sg-clients-codegen-');
  t.after(() => removeTempDir(dir));
  const docPath = path.join(dir, 'operations.graphql');
  await writeFile(docPath, DOCS);
  const outPath = path.join(dir, 'types.ts');

  const files = await generate({
    schema: { [srv.graphqlUrl]: { headers: { ...AUTH } } },
    documents: [docPath],
    silent: true,
    errorsOnly: true,
    generates: { [outPath]: { plugins: ['typescript', 'typescript-operations'] } },
  }, true);
  assert.equal(files.length, 1);
  const out = files[0].content;
  assert.match(out, /\bEventConnection\b/);
  assert.match(out, /export type CodegenEventsQuery = /);
  assert.match(out, /export type CodegenBookingsQuery = /);
  assert.match(out, /export type CodegenBookingsQueryVariables = /);
});
