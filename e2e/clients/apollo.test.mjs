// @apollo/client 3: relayStylePagination with fetchMore, and automatic
// persisted queries (POST and GET), with the wire traffic recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApolloClient, InMemoryCache, HttpLink, gql, from } from '@apollo/client/core/index.js';
import { relayStylePagination } from '@apollo/client/utilities/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { startServer, AUTH, gql as rawGql } from './harness.mjs';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** fetch wrapper that records method, whether query text was sent, and status. */
function recordingFetch() {
  const wire = [];
  const f = async (input, init = {}) => {
    const method = (init.method || 'GET').toUpperCase();
    const u = new URL(typeof input === 'string' ? input : input.url);
    let sentQuery, sentHash;
    if (method === 'GET') {
      sentQuery = u.searchParams.has('query');
      const ext = u.searchParams.get('extensions');
      sentHash = ext ? JSON.parse(ext).persistedQuery?.sha256Hash : undefined;
    } else {
      const body = JSON.parse(init.body);
      sentQuery = typeof body.query === 'string' && body.query.length > 0;
      sentHash = body.extensions?.persistedQuery?.sha256Hash;
    }
    const res = await fetch(input, init);
    const text = await res.clone().text();
    let codes = [];
    try { codes = (JSON.parse(text).errors ?? []).map((e) => e.extensions?.code); } catch {}
    wire.push({ method, sentQuery, sentHash: !!sentHash, status: res.status, codes, url: u.toString(), response: text.slice(0, 500) });
    return res;
  };
  return { fetch: f, wire };
}

function client(graphqlUrl, { persisted, useGET, fetchImpl = fetch } = {}) {
  const http = new HttpLink({ uri: graphqlUrl, headers: { ...AUTH }, fetch: fetchImpl });
  const link = persisted ? from([createPersistedQueryLink({ sha256, useGETForHashedQueries: !!useGET }), http]) : http;
  return new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            events: relayStylePagination(['where', 'order']),
            bookings: relayStylePagination(['where', 'order']),
          },
        },
      },
    }),
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
}

const PAGES = {
  events: gql`query Events($first: Int, $after: String) {
    events(first: $first, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } }
  }`,
  bookings: gql`query Bookings($first: Int, $after: String) {
    bookings(first: $first, after: $after) { edges { cursor node { id orderNumber } } pageInfo { hasNextPage endCursor } }
  }`,
};

test('apollo client', async (t) => {
  const srv = await startServer(t);

  for (const field of ['events', 'bookings']) {
    await t.test(`relayStylePagination on Query.${field}: first:2 + fetchMore(after) == first:4`, async () => {
      const direct = await client(srv.graphqlUrl).query({ query: PAGES[field], variables: { first: 4 } });
      assert.equal(direct.errors, undefined);
      const want = direct.data[field].edges.map((e) => e.node.id);
      assert.equal(want.length, 4, `demo data should have at least 4 ${field}`);

      const c = client(srv.graphqlUrl);
      const obs = c.watchQuery({ query: PAGES[field], variables: { first: 2 }, fetchPolicy: 'cache-first' });
      const results = [];
      const page1 = await new Promise((resolve, reject) => {
        const sub = obs.subscribe({
          next: (r) => { results.push(r); if (!r.loading) resolve(r); },
          error: reject,
        });
        t.after(() => sub.unsubscribe());
      });
      assert.deepEqual(page1.data[field].edges.map((e) => e.node.id), want.slice(0, 2));
      assert.equal(page1.data[field].pageInfo.hasNextPage, true);
      await obs.fetchMore({ variables: { first: 2, after: page1.data[field].pageInfo.endCursor } });
      const merged = c.readQuery({ query: PAGES[field], variables: { first: 2 } });
      assert.deepEqual(merged[field].edges.map((e) => e.node.id), want, 'merged pages in the cache');
      assert.deepEqual(obs.getCurrentResult().data[field].edges.map((e) => e.node.id), want, 'watched query result');
    });
  }

  for (const useGET of [false, true]) {
    await t.test(`automatic persisted queries${useGET ? ' over GET (useGETForHashedQueries)' : ' over POST'}`, async () => {
      // A query text unique to this subtest, so the server has never seen its hash.
      const q = gql`query APQ${useGET ? 'Get' : 'Post'} { events(first: 1) { nodes { id title } } }`;
      const rec = recordingFetch();
      const c = client(srv.graphqlUrl, { persisted: true, useGET, fetchImpl: rec.fetch });
      const r1 = await c.query({ query: q, fetchPolicy: 'network-only' });
      assert.equal(r1.errors, undefined);
      assert.ok(r1.data.events.nodes.length === 1);
      const hashMethod = useGET ? 'GET' : 'POST';
      assert.equal(rec.wire.length, 2, `wire: ${JSON.stringify(rec.wire, null, 2)}`);
      assert.deepEqual(
        rec.wire.map(({ method, sentQuery, sentHash }) => ({ method, sentQuery, sentHash })),
        [
          { method: hashMethod, sentQuery: false, sentHash: true },
          { method: 'POST', sentQuery: true, sentHash: true },
        ],
        `wire: ${JSON.stringify(rec.wire, null, 2)}`,
      );
      assert.ok(rec.wire[0].codes.includes('PERSISTED_QUERY_NOT_FOUND'), `first answer: ${JSON.stringify(rec.wire[0])}`);
      assert.equal(rec.wire[1].status, 200);

      // A fresh client (no link state): hash only, and it must succeed.
      const rec2 = recordingFetch();
      const c2 = client(srv.graphqlUrl, { persisted: true, useGET, fetchImpl: rec2.fetch });
      const r2 = await c2.query({ query: q, fetchPolicy: 'network-only' });
      assert.equal(r2.errors, undefined);
      assert.deepEqual(r2.data, r1.data);
      assert.deepEqual(
        rec2.wire.map(({ method, sentQuery, sentHash, status }) => ({ method, sentQuery, sentHash, status })),
        [{ method: hashMethod, sentQuery: false, sentHash: true, status: 200 }],
        `wire: ${JSON.stringify(rec2.wire, null, 2)}`,
      );
    });
  }

  await t.test('a wrong hash for a query text is refused', async () => {
    const res = await rawGql(srv.url, '{ __typename }', {});
    assert.equal(res.status, 200);
    const bad = await fetch(srv.graphqlUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...AUTH },
      body: JSON.stringify({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    });
    const body = await bad.json();
    assert.ok(body.errors?.length > 0, `mismatched hash accepted: ${JSON.stringify(body)}`);
  });
});
