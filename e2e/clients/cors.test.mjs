// CORS in a real browser: a page on another origin fetches /graphql with a JSON
// POST and an Authorization header (a preflighted request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, serveHTML, freePort, ADMIN_KEY, chromiumPath } from './harness.mjs';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>cors probe</title></head><body>
<script>
window.probe = async (url, key) => {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + key },
      body: JSON.stringify({ query: '{ events(first: 1) { nodes { id title } } }' }),
    });
    return { ok: true, status: res.status, body: await res.json() };
  } catch (e) {
    return { ok: false, name: e.name, message: String(e.message) };
  }
};
</script></body></html>`;

test('CORS from another origin in chromium', async (t) => {
  chromiumPath(); // fail clearly when chromium is missing
  // The page's origin must be known before the allowing server starts.
  const pagePort = await freePort();
  const page = await serveHTML(t, PAGE, pagePort);
  const allowed = await startServer(t, { flags: ['-cors-origins', page.origin] });
  const denied = await startServer(t, { flags: ['-cors-origins', 'http://example.invalid'] });
  const { context } = await launchBrowser(t);
  const tab = await context.newPage();
  const consoleErrors = [];
  tab.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await tab.goto(`${page.origin}/`);

  await t.test('allowed origin: the preflighted POST succeeds and returns data', async () => {
    const r = await tab.evaluate(([u, k]) => window.probe(u, k), [allowed.graphqlUrl, ADMIN_KEY]);
    assert.equal(r.ok, true, `fetch from ${page.origin} to ${allowed.graphqlUrl} failed: ${JSON.stringify(r)}; console: ${consoleErrors.join(' | ')}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body));
    assert.equal(r.body.data.events.nodes.length, 1);
  });

  await t.test('other origin: the browser blocks it (TypeError)', async () => {
    const r = await tab.evaluate(([u, k]) => window.probe(u, k), [denied.graphqlUrl, ADMIN_KEY]);
    assert.equal(r.ok, false, `fetch should have been blocked by CORS, got ${JSON.stringify(r)}`);
    assert.equal(r.name, 'TypeError');
  });
});
