// graphql-js: the full standard introspection query, schema drift, and the
// introspection exemption not leaking to ordinary fields aliased `__schema`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getIntrospectionQuery, buildClientSchema, buildSchema, printSchema, lexicographicSortSchema, GraphQLSchema } from 'graphql';
import { startServer, gql, repoSchemaSDL, lineDiff } from './harness.mjs';

const INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

// The directive the server's GraphQL library (gqlparser's prelude) declares
// beside the ones graphql-js adds to every schema itself: clients see it, so
// the comparison includes it, written as gqlparser writes it. seatgraph
// accepts @defer and answers deferred fields inline, in the one response.
const SERVER_BUILTINS = `
"Directs the executor to defer this fragment when the \`if\` argument is true or undefined."
directive @defer(
  "Deferred when true or undefined."
  if: Boolean = true
  "Unique name"
  label: String
) on FRAGMENT_SPREAD | INLINE_FRAGMENT
`;

// Declared in ../../schema/*.graphql for the server alone (who may use a
// field), and left out of its introspection: the comparison drops them from
// the expected side.
const SERVER_ONLY = { directives: ['allow'], types: ['AccessRole'] };

function withoutServerOnly(schema) {
  const config = schema.toConfig();
  return new GraphQLSchema({
    ...config,
    directives: config.directives.filter((d) => !SERVER_ONLY.directives.includes(d.name)),
    types: config.types.filter((t) => !SERVER_ONLY.types.includes(t.name)),
  });
}

test('introspection (graphql-js)', async (t) => {
  const srv = await startServer(t);
  const expected = printSchema(lexicographicSortSchema(withoutServerOnly(buildSchema(SERVER_BUILTINS + await repoSchemaSDL()))));

  for (const key of [false, true]) {
    await t.test(`getIntrospectionQuery with every option, ${key ? 'keyed' : 'anonymous'}`, async () => {
      const res = await gql(srv.url, INTROSPECTION, { key });
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 2000));
      assert.equal(res.body.errors, undefined, JSON.stringify(res.body.errors, null, 2));
      const schema = buildClientSchema(res.body.data);
      const actual = printSchema(lexicographicSortSchema(schema));
      if (actual !== expected) {
        assert.fail(`schema drift between the server's introspection and ../../schema/*.graphql:\n${lineDiff(actual, expected)}`);
      }
    });
  }

  await t.test('an ordinary query aliased __schema is still refused for cost', async () => {
    const q = '{ __schema: bookings(first: 100) { nodes { tickets(first: 100) { nodes { id } } } } }';
    const res = await gql(srv.url, q, { key: true });
    const codes = (res.body.errors ?? []).map((e) => e.extensions?.code);
    assert.ok(codes.includes('COMPLEXITY_LIMIT_EXCEEDED'),
      `expected COMPLEXITY_LIMIT_EXCEEDED, got status ${res.status}: ${JSON.stringify(res.body).slice(0, 2000)}`);
    assert.ok(!res.body.data || res.body.data.__schema == null, 'the refused query must not return data');
  });
});
