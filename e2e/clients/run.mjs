// `npm test`: builds the server binary once, then runs `node --test` over the
// test files with SEATGRAPH_BIN pointing at it, and removes the build dir.
// (Each test file runs in its own process; without this, each would build.)
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { buildServer, removeTempDir, HERE } from './harness.mjs';
import path from 'node:path';

const prebuilt = !!process.env.SEATGRAPH_BIN;
const t0 = Date.now();
const bin = await buildServer();
console.log(prebuilt ? `# using SEATGRAPH_BIN=${bin}` : `# built ${bin} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const files = process.argv.slice(2).length ? process.argv.slice(2)
  : readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).sort();
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=600000', ...files], {
  cwd: HERE, stdio: 'inherit', env: { ...process.env, SEATGRAPH_BIN: bin },
});
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
if (!prebuilt) await removeTempDir(path.dirname(bin));
process.exit(code);
