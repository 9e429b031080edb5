// Harness for the real-client suite: builds the seatgraph binary once per test
// process, starts servers on free loopback ports with a fresh SQLite database and
// demo data, and stops them (SIGTERM) when the test that started them ends.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, readdir, readFile } from 'node:fs/promises';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ADMIN_KEY = 'sgk_clientsuite_0123456789abcdef';
export const AUTH = { Authorization: `Bearer ${ADMIN_KEY}` };
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');

const BUILD_TIMEOUT_MS = 10 * 60 * 1000; // cold cgo SQLite builds take minutes
const READY_TIMEOUT_MS = 60 * 1000;

let buildPromise;
const tempDirs = new Set();

export async function makeTempDir(prefix = 'sg-clients-') {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir) {
  tempDirs.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

process.on('exit', () => {
  // Last resort for temp dirs left behind by an aborted test.
  for (const dir of tempDirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch {}
  }
});

/** Builds the server once (`go build -o <tmp>/seatgraph .` in the repo root). */
export function buildServer() {
  if (process.env.SEATGRAPH_BIN) return Promise.resolve(process.env.SEATGRAPH_BIN);
  buildPromise ??= (async () => {
    const dir = await makeTempDir('sg-clients-bin-');
    const bin = path.join(dir, 'seatgraph');
    await new Promise((resolve, reject) => {
      execFile('go', ['build', '-o', bin, '.'], { cwd: REPO, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`go build failed: ${err.message}\n${stdout}\n${stderr}`));
          else resolve();
        });
    });
    return bin;
  })();
  return buildPromise;
}

/** A free loopback TCP port (bind :0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server and registers its stop on the test context `t` (node:test),
 * so it is stopped after the test, also when the test fails.
 * Returns { url, port, graphqlUrl, stop, log() }.
 */
export async function startServer(t, { flags = [], env = {} } = {}) {
  const bin = await buildServer();
  const dir = await makeTempDir('sg-clients-db-');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ['-addr', `127.0.0.1:${port}`, '-metrics-addr=', '-db', `file:${path.join(dir, 'x.db')}`, '-demo', ...flags];
    const child = spawn(bin, args, {
      cwd: dir,
      env: { ...process.env, SEATGRAPH_ADMIN_KEY: ADMIN_KEY, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let exitedEarly = null;
    exited.then((r) => { exitedEarly = r; });

    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (exitedEarly === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
        await exited;
        clearTimeout(timer);
      }
      await removeTempDir(dir);
    };
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let ready = false;
    while (Date.now() < deadline && exitedEarly === null) {
      try {
        const res = await fetch(`${url}/readyz`);
        if (res.status === 200) { ready = true; break; }
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) {
      if (exitedEarly !== null && attempt < 2 && /address already in use/.test(output)) continue; // port race
      await stop();
      throw new Error(`seatgraph did not become ready (${JSON.stringify(exitedEarly)}): ${bin} ${args.join(' ')}\n${output}`);
    }
    if (t) t.after(stop);
    return { url, port, graphqlUrl: `${url}/graphql`, stop, log: () => output };
  }
}

/** POST a GraphQL request with fetch; returns { status, headers, body }. */
export async function gql(url, query, { variables, headers = {}, key = true } = {}) {
  const res = await fetch(url.endsWith('/graphql') ? url : `${url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(key ? AUTH : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, headers: res.headers, body };
}

/** Concatenated SDL of ../../schema/*.graphql. */
export async function repoSchemaSDL() {
  const dir = path.join(REPO, 'schema');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.graphql')).sort();
  const parts = await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')));
  return parts.join('\n');
}

/** Path of chromium; throws a clear error (test FAILS) when it is missing. */
export function chromiumPath() {
  const p = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(p)) {
    throw new Error(`Chromium not found at ${p}: install Debian's chromium (apt-get update && apt-get install -y chromium) or set env CHROMIUM to its path. Browser tests do not skip.`);
  }
  return p;
}

/** Launches chromium (playwright-core) with a fresh user data dir; closed after the test. */
export async function launchBrowser(t) {
  const executablePath = chromiumPath();
  const { chromium } = await import('playwright-core');
  const userDataDir = await makeTempDir('sg-clients-chromium-');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = async () => {
    await context.close().catch(() => {});
    await removeTempDir(userDataDir);
  };
  if (t) t.after(close);
  return { context, close };
}

/** Serves fixed HTML on a free loopback port (a second origin); closed after the test. */
export async function serveHTML(t, html, port) {
  port ??= await freePort();
  const srv = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => srv.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise((resolve) => { srv.close(() => resolve()); srv.closeAllConnections(); });
  if (t) t.after(close);
  return { origin: `http://127.0.0.1:${port}`, port, close };
}

/** A line diff (for schema drift messages). */
export function lineDiff(a, b, labelA = 'server', labelB = 'repo') {
  const A = a.split('\n'), B = b.split('\n');
  const setA = new Set(A), setB = new Set(B);
  const out = [`--- ${labelA}`, `+++ ${labelB}`];
  for (const l of A) if (!setB.has(l)) out.push(`- ${l}`);
  for (const l of B) if (!setA.has(l)) out.push(`+ ${l}`);
  return out.join('\n');
}
