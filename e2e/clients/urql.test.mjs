// @urql/core: two cursor pages (first:2, then after:endCursor) equal first:4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fetchExchange, gql } from '@urql/core';
import { startServer, AUTH } from './harness.mjs';

const QUERIES = {
  events: gql`query UrqlEvents($first: Int, $after: String) {
    events(first: $first, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } }
  }`,
  bookings: gql`query UrqlBookings($first: Int, $after: String) {
    bookings(first: $first, after: $after) { nodes { id orderNumber } pageInfo { hasNextPage endCursor } }
  }`,
};

test('urql core', async (t) => {
  const srv = await startServer(t);
  const client = new Client({
    url: srv.graphqlUrl,
    exchanges: [fetchExchange],
    fetchOptions: { headers: { ...AUTH } },
    requestPolicy: 'network-only',
  });
  const run = async (query, variables) => {
    const r = await client.query(query, variables).toPromise();
    assert.equal(r.error, undefined, r.error && `${r.error.message} ${JSON.stringify(r.error.graphQLErrors)}`);
    return r.data;
  };

  for (const field of ['events', 'bookings']) {
    await t.test(`Query.${field}: first:2 then after:endCursor equals first:4`, async () => {
      const direct = (await run(QUERIES[field], { first: 4 }))[field].nodes.map((n) => n.id);
      assert.equal(direct.length, 4);
      const p1 = (await run(QUERIES[field], { first: 2 }))[field];
      assert.equal(p1.pageInfo.hasNextPage, true);
      const p2 = (await run(QUERIES[field], { first: 2, after: p1.pageInfo.endCursor }))[field];
      assert.deepEqual([...p1.nodes, ...p2.nodes].map((n) => n.id), direct);
    });
  }
});
