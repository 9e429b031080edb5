// graphql-http@1.22.4 serverAudits: the GraphQL-over-HTTP audit with no error and no warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startServer } from './harness.mjs';

test('graphql-http server audits', async (t) => {
  const srv = await startServer(t);
  const audits = serverAudits({ url: srv.graphqlUrl });
  const results = [];
  for (const audit of audits) results.push(await audit.fn());
  const bad = results.filter((r) => r.status !== 'ok');
  const counts = { ok: 0, warn: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  t.diagnostic(`${results.length} audits: ${JSON.stringify(counts)}`);
  const describe = async (r) => {
    let reason = r.reason;
    if (r.response) {
      let body = '';
      try { body = await r.response.clone().text(); } catch {}
      reason += `\n      response: ${r.response.status} ${r.response.headers.get('content-type')} ${body.slice(0, 400)}`;
    }
    return `  [${r.status}] ${r.id} ${r.name}\n      reason: ${reason}`;
  };
  if (bad.length) assert.fail(`${bad.length} audit(s) not ok:\n${(await Promise.all(bad.map(describe))).join('\n')}`);
  assert.equal(counts.error, 0);
  assert.equal(counts.warn, 0);
});
