// GraphiQL at GET / in chromium: loads, docs explorer, a query run with the key
// from the Headers tab, and no console or page errors.
import { test } from 'node:test';
import { startServer, launchBrowser, gql, chromiumPath, AUTH } from './harness.mjs';
import { driveGraphiQL } from './graphiql-driver.mjs';

test('GraphiQL page in chromium', async (t) => {
  chromiumPath(); // fail clearly when chromium is missing
  const srv = await startServer(t);
  const list = await gql(srv.url, '{ events(first: 3) { nodes { title } } }', { key: false });
  const titles = list.body.data.events.nodes.map((n) => n.title);
  const { context } = await launchBrowser(t);
  await driveGraphiQL(context, `${srv.url}/`, { headers: AUTH, titles, log: (m) => t.diagnostic(m) });
});
