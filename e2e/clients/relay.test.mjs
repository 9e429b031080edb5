// relay-compiler: compile @connection / @refetchable documents against the live
// server's schema (fetched by introspection), then run the generated refetch
// query text through node(id:) against the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { getIntrospectionQuery, buildClientSchema, printSchema } from 'graphql';
import { startServer, gql, makeTempDir, removeTempDir } from './harness.mjs';

const require = createRequire(import.meta.url);

const SOURCES = {
  'EventBookings.js': `
import { graphql } from 'react-relay';
export const fragment = graphql\`
  fragment EventBookings_event on Event
    @refetchable(queryName: "EventBookingsRefetchQuery")
    @argumentDefinitions(count: { type: "Int", defaultValue: 2 }, cursor: { type: "String" }) {
    id
    title
    bookings(first: $count, after: $cursor) @connection(key: "EventBookings_bookings") {
      edges { node { id orderNumber } }
    }
  }
\`;
`,
  'EventList.js': `
import { graphql } from 'react-relay';
export const query = graphql\`
  query EventListQuery($first: Int, $after: String) {
    events(first: $first, after: $after, order: [{ startsAt: ASC }]) @connection(key: "EventList_events") {
      edges { node { id title ...EventBookings_event } }
    }
  }
\`;
`,
  'BookingList.js': `
import { graphql } from 'react-relay';
export const fragment = graphql\`
  fragment BookingList_query on Query
    @refetchable(queryName: "BookingListPaginationQuery")
    @argumentDefinitions(count: { type: "Int", defaultValue: 5 }, cursor: { type: "String" }) {
    bookings(first: $count, after: $cursor, where: { status: { neq: CANCELLED } }) @connection(key: "BookingList_bookings") {
      edges { node { id orderNumber status } }
      totalCount
    }
  }
\`;
export const query = graphql\`
  query BookingListQuery { ...BookingList_query }
\`;
`,
};

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...opts, maxBuffer: 16 << 20, timeout: 120000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('relay-compiler', async (t) => {
  const srv = await startServer(t);
  const dir = await makeTempDir('sg-clients-relay-');
  t.after(() => removeTempDir(dir));

  const intro = await gql(srv.url, getIntrospectionQuery({ descriptions: true }), { key: false });
  assert.equal(intro.body.errors, undefined, JSON.stringify(intro.body.errors));
  const sdl = printSchema(buildClientSchema(intro.body.data));
  await writeFile(path.join(dir, 'schema.graphql'), sdl);
  await mkdir(path.join(dir, 'src'));
  await mkdir(path.join(dir, '__generated__'));
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  for (const [name, text] of Object.entries(SOURCES)) await writeFile(path.join(dir, 'src', name), text);
  await writeFile(path.join(dir, 'relay.config.json'), JSON.stringify({
    src: './src',
    schema: './schema.graphql',
    language: 'javascript',
    artifactDirectory: './__generated__',
    eagerEsModules: true,
  }, null, 2));

  const cli = require.resolve('relay-compiler/cli.js');
  const res = await run(process.execPath, [cli, 'relay.config.json'], { cwd: dir });
  const out = `exit ${res.code}\nstdout:\n${res.stdout}\nstderr:\n${res.stderr}`;
  t.diagnostic(`relay-compiler: ${out.replace(/\x1b\[[0-9;]*m/g, '')}`);
  assert.equal(res.code, 0, `relay-compiler failed against the server's schema:\n${out}`);

  const artifacts = (await readdir(path.join(dir, '__generated__'))).sort();
  for (const a of ['EventBookingsRefetchQuery.graphql.js', 'EventBookings_event.graphql.js', 'EventListQuery.graphql.js',
    'BookingListPaginationQuery.graphql.js', 'BookingList_query.graphql.js', 'BookingListQuery.graphql.js']) {
    assert.ok(artifacts.includes(a), `missing artifact ${a}; got ${artifacts.join(', ')}\n${out}`);
  }

  await t.test('the generated refetch query (through node(id:)) runs on the server', async () => {
    const mod = await import(path.join(dir, '__generated__', 'EventBookingsRefetchQuery.graphql.js'));
    const text = mod.default.params.text;
    assert.match(text, /node\(id: \$id\)/);
    const list = await gql(srv.url, '{ events(first: 1) { nodes { id title } } }');
    const ev = list.body.data.events.nodes[0];
    const r = await gql(srv.url, text, { variables: { id: ev.id, count: 2 } });
    assert.equal(r.body.errors, undefined, `request: ${text}\nvariables: ${JSON.stringify({ id: ev.id, count: 2 })}\nresponse: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.data.node.id, ev.id);
    assert.equal(r.body.data.node.title, ev.title);
    assert.ok(Array.isArray(r.body.data.node.bookings.edges));
    assert.equal(typeof r.body.data.node.bookings.pageInfo.hasNextPage, 'boolean');
  });

  await t.test('the generated pagination query on Query.bookings runs on the server', async () => {
    const mod = await import(path.join(dir, '__generated__', 'BookingListPaginationQuery.graphql.js'));
    const text = mod.default.params.text;
    const r = await gql(srv.url, text, { variables: { count: 2 } });
    assert.equal(r.body.errors, undefined, `request: ${text}\nresponse: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.data.bookings.edges.length, 2);
  });
});
