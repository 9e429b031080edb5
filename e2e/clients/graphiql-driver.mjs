// Drives a GraphiQL 3 page in chromium (playwright-core). Used by graphiql.test.mjs.
import assert from 'node:assert/strict';

export const QUERY = '{ events(first: 3) { nodes { title } } bookings(first: 1) { totalCount } }';

/**
 * Opens pageUrl in a new tab of `context`, checks the page, the docs explorer,
 * puts `headers` into the Headers tab, runs QUERY and returns the result text.
 * `titles` are demo event titles of which one must show in the result pane.
 */
export async function driveGraphiQL(context, pageUrl, { headers, titles, log = () => {} }) {
  const tab = await context.newPage();
  const problems = [];
  tab.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()} @ ${JSON.stringify(m.location())}`); });
  tab.on('pageerror', (e) => problems.push(`pageerror: ${e.stack || e.message}`));
  tab.on('requestfailed', (r) => problems.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));

  const res = await tab.goto(pageUrl, { waitUntil: 'load' });
  assert.equal(res.status(), 200, `GET ${pageUrl}`);
  try {
    await tab.waitForSelector('.graphiql-container', { timeout: 20000 });
  } catch (e) {
    const html = (await tab.content()).slice(0, 1500);
    assert.fail(`GraphiQL did not render (.graphiql-container missing) at ${pageUrl}.\nproblems: ${problems.join('\n') || 'none'}\npage HTML starts: ${html}`);
  }

  // Docs explorer: open it, go to Query, see its fields.
  await tab.click('[aria-label="Show Documentation Explorer"]');
  await tab.waitForSelector('.graphiql-doc-explorer');
  const queryLink = tab.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first();
  await queryLink.waitFor({ timeout: 20000 }); // appears once the schema is introspected
  await queryLink.click();
  await tab.locator('.graphiql-doc-explorer-title', { hasText: /^Query$/ }).waitFor();
  const fields = await tab.locator('.graphiql-doc-explorer .graphiql-doc-explorer-field-name').allTextContents();
  log(`docs explorer Query fields: ${fields.length}`);
  for (const f of ['events', 'bookings']) assert.ok(fields.includes(f), `docs explorer lacks Query.${f}; has ${fields.join(', ')}`);

  // Headers tab: the key goes into GraphiQL's own headers editor.
  await tab.locator('.graphiql-editor-tools button', { hasText: /^Headers$/ }).click();
  const headersCM = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
  await tab.waitForSelector(headersCM);
  await tab.evaluate(([sel, text]) => document.querySelector(sel).CodeMirror.setValue(text), [headersCM, JSON.stringify(headers, null, 2)]);

  // Query editor (CodeMirror 5), run, read the result pane.
  await tab.evaluate((q) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q), QUERY);
  await tab.click('.graphiql-execute-button');
  const resultText = async () => tab.evaluate(() => {
    const cm = document.querySelector('.result-window .CodeMirror');
    return cm ? cm.CodeMirror.getValue() : (document.querySelector('.result-window')?.textContent ?? '');
  });
  const deadline = Date.now() + 20000;
  let text = '';
  while (Date.now() < deadline) {
    text = await resultText();
    if (text.includes('"data"') || text.includes('"errors"')) break;
    await tab.waitForTimeout(100);
  }
  assert.ok(titles.some((title) => text.includes(title)), `no demo event title (${titles.join(' / ')}) in the result pane:\n${text}`);
  assert.ok(!text.includes('UNAUTHENTICATED') && /"totalCount"\s*:\s*\d+/.test(text),
    `the key from the Headers tab was not used (bookings needs it):\n${text}`);
  assert.deepEqual(problems, [], `browser console errors / page errors:\n${problems.join('\n')}`);
  return { tab, text, fields };
}
