// End-to-end: the live traffic tap of a bridge that a client started. The official SDK client
// spawns `mcpbridge serve --stdio` (as Claude Desktop would) on a copy of the demo bridge that
// sends a secret header; `mcpbridge ps --json` finds it, `mcpbridge traffic --follow --json`
// watches it, and every request, response and upstream exchange must arrive in order, linked,
// and without the secret.
// Run: node --test tests/e2e/tap/e2e-tap.test.mjs   (MCPBRIDGE_BIN=path/to/mcpbridge)

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { DEMO_READY, findProgram, sourceDir, startProcess, stop, stopAll, track, withTimeout }
  from '../harness.mjs';

const bin = findProgram('mcpbridge', 'MCPBRIDGE_BIN', ['app/cli/mcpbridge']);
const runtimeDir = mkdtempSync(path.join(tmpdir(), 'mcpbridge-tap-e2e-'));
const secret = `tapSecret-${randomBytes(12).toString('hex')}`;
// Every child sees the same private runtime folder: `ps` finds only this test's bridge.
const env = { ...process.env, XDG_RUNTIME_DIR: runtimeDir, MCPBRIDGE_SECRET_DEMO_KEY: secret };

const ctx = {};

function run(args, timeoutMs = 10000) {
  return new Promise((resolve) => {
    execFile(bin, args, { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function waitFor(what, predicate, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Forms in which a secret could leak: as is, percent-encoded, in base64 (Basic auth style).
function leakForms(value) {
  return [value, encodeURIComponent(value), Buffer.from(value).toString('base64').slice(0, 16),
    value.slice(4, 20)];
}

before(async () => {
  ctx.demo = await startProcess('mcpbridge demo-api', bin, ['demo-api', '--port', '0'],
    { ready: DEMO_READY, env });
  ctx.demoUrl = ctx.demo.match[1];

  // The demo bridge, plus a header whose value is a secret (the demo API ignores it).
  const doc = JSON.parse(readFileSync(path.join(sourceDir, 'resources/demo/pantry.mcpbridge.json'), 'utf8'));
  doc.upstream.headers = { ...(doc.upstream.headers ?? {}), 'X-Demo-Key': '${secret:demo_key}' };
  ctx.config = path.join(runtimeDir, 'pantry-with-secret.mcpbridge.json');
  writeFileSync(ctx.config, JSON.stringify(doc, null, 2));

  ctx.client = new Client({ name: 'e2e-tap', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: bin,
    args: ['serve', '--stdio', '--config', ctx.config, '--base-url', ctx.demoUrl],
    env,
    stderr: 'pipe',
  });
  ctx.serverStderr = '';
  transport.stderr.on('data', (d) => { ctx.serverStderr = (ctx.serverStderr + d).slice(-16000); });
  const start = transport.start.bind(transport);
  transport.start = () => {
    const started = start();
    ctx.server = track(transport._process);
    return started;
  };
  try {
    await withTimeout(ctx.client.connect(transport), 20000, 'stdio connect + initialize');
  } catch (e) {
    throw new Error(`${e.message}\n--- server stderr ---\n${ctx.serverStderr}`);
  }
});

after(async () => {
  try { await ctx.client?.close(); } catch { /* already closed */ }
  if (ctx.traffic) await stop(ctx.traffic);
  await stopAll();
  rmSync(runtimeDir, { recursive: true, force: true });
});

test('ps lists the bridge the client started', async () => {
  const pid = ctx.server.pid;
  const entry = await waitFor('the bridge appearing in "mcpbridge ps --json"', async () => {
    const r = await run(['ps', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout);
    assert.ok(Array.isArray(list), r.stdout);
    return list.find((b) => b.pid === pid && b.sessions === 1);
  });
  assert.equal(entry.name, 'pantry');
  assert.equal(entry.transport, 'stdio');
  assert.ok(entry.uptimeSeconds >= 0);
  ctx.bridge = entry;

  const table = await run(['ps']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^NAME\s+PID\s+TRANSPORT\s+URL\s+SESSIONS\s+UPTIME/m);
  assert.match(table.stdout, new RegExp(`^pantry\\s+${pid}\\s+stdio\\s+-\\s+1\\s`, 'm'));
});

test('the socket and its folder are private to the user', () => {
  const dir = path.join(runtimeDir, 'mcpbridge');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const socket = statSync(ctx.bridge.socket);
  assert.ok(socket.isSocket(), `${ctx.bridge.socket} is not a socket`);
  assert.equal(socket.mode & 0o777, 0o600);
  const info = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(info.length, 1);
  assert.equal(statSync(path.join(dir, info[0])).mode & 0o777, 0o600);
});

test('traffic --follow --json sees every request, response and upstream call, in order', async () => {
  // Attach beside the running client, as a user would in a second terminal.
  const traffic = spawn(bin, ['traffic', String(ctx.bridge.pid), '--follow', '--json'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  ctx.traffic = track(traffic);
  let raw = '';
  let stderr = '';
  traffic.stdout.on('data', (d) => { raw += d; });
  traffic.stderr.on('data', (d) => { stderr += d; });
  const events = () => raw.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
  // History first: the handshake that happened before we attached.
  await waitFor('the history (initialize)', () => events().some((e) => e.method === 'initialize'
    && e.messageType === 'response'));

  const tools = await ctx.client.listTools();
  assert.ok(tools.tools.some((t) => t.name === 'search_recipes'));
  const found = await ctx.client.callTool({ name: 'search_recipes', arguments: { query: 'curry' } });
  assert.ok(!found.isError, JSON.stringify(found));
  const text = found.content.find((c) => c.type === 'text')?.text ?? '';
  const firstId = JSON.parse(text).items?.[0]?.id ?? JSON.parse(text).recipes?.[0]?.id ?? 1;
  const recipe = await ctx.client.callTool({ name: 'get_recipe', arguments: { id: firstId } });
  assert.ok(!recipe.isError, JSON.stringify(recipe));
  const missing = await ctx.client.callTool({ name: 'get_recipe', arguments: { id: 987654 } });
  assert.equal(missing.isError, true, 'a recipe that does not exist should be an isError result');
  await ctx.client.ping();

  // The answer to the last call is the last thing we wait for.
  await waitFor('the last response in the traffic output', () => events().some(
    (e) => e.messageType === 'response' && e.method === 'ping'), 15000);
  const all = events();

  // In order, nothing skipped: seq strictly increasing and consecutive.
  for (let i = 1; i < all.length; ++i) {
    assert.equal(all[i].seq, all[i - 1].seq + 1, `gap or disorder after seq ${all[i - 1].seq}`);
  }
  assert.ok(!/skipped/.test(stderr), stderr);

  const requests = all.filter((e) => e.kind === 'mcp' && e.direction === 'inbound'
    && e.messageType === 'request');
  const byMethod = (m) => requests.filter((e) => e.method === m);
  assert.equal(byMethod('initialize').length, 1);
  assert.equal(byMethod('tools/list').length, 1);
  assert.equal(byMethod('tools/call').length, 3);
  assert.equal(byMethod('ping').length, 1);
  assert.ok(all.some((e) => e.method === 'notifications/initialized'));

  for (const request of requests) {
    const responses = all.filter((e) => e.kind === 'mcp' && e.direction === 'outbound'
      && e.rpcId === request.rpcId && e.sessionId === request.sessionId
      && (e.messageType === 'response' || e.messageType === 'error'));
    assert.equal(responses.length, 1, `one response for request ${request.rpcId} (${request.method})`);
    const response = responses[0];
    assert.ok(response.seq > request.seq, `response ${request.rpcId} before its request`);
    assert.equal(response.method, request.method);
    assert.ok(response.durationMs >= 0);
    assert.equal(response.body.id, request.body.id);

    const upstream = all.filter((e) => e.kind === 'upstream' && e.relatedRpcId === request.rpcId
      && e.sessionId === request.sessionId);
    if (request.method !== 'tools/call') {
      assert.equal(upstream.length, 0, `${request.method} should not call the API`);
      continue;
    }
    assert.equal(upstream.length, 1, `one API call for tools/call ${request.rpcId}`);
    const u = upstream[0];
    assert.ok(u.seq > request.seq && u.seq < response.seq,
      `the API call of ${request.rpcId} must lie between its request and response`);
    assert.equal(u.direction, 'outbound');
    assert.ok(u.url.startsWith(ctx.demoUrl), u.url);
    assert.equal(u.httpMethod, 'GET');
    const tool = request.body.params.name;
    const args = request.body.params.arguments;
    if (tool === 'search_recipes') {
      assert.match(u.url, /\/recipes\?.*q=curry/);
      assert.equal(u.httpStatus, 200);
    } else if (args.id === 987654) {
      assert.match(u.url, /\/recipes\/987654$/);
      assert.equal(u.httpStatus, 404);
      assert.equal(u.isError, true);
      assert.equal(response.isError, true);
    } else {
      assert.match(u.url, new RegExp(`/recipes/${firstId}$`));
      assert.equal(u.httpStatus, 200);
    }
  }

  // The secret header was sent (it is in the exchange) but only as "[redacted]".
  const exchange = all.find((e) => e.kind === 'upstream').body;
  const headers = exchange.request?.headers ?? {};
  const key = Object.keys(headers).find((h) => h.toLowerCase() === 'x-demo-key');
  assert.ok(key, `the upstream exchange should show the X-Demo-Key header: ${JSON.stringify(exchange)}`);
  assert.match(JSON.stringify(headers[key]), /\[redacted\]/);
  for (const form of leakForms(secret)) {
    assert.ok(!raw.includes(form), `the secret (as "${form}") appears in the traffic output`);
    assert.ok(!stderr.includes(form), 'the secret appears on traffic\'s stderr');
  }
  ctx.raw = raw;
  ctx.trafficStderr = () => stderr;
});

test('traffic without --follow prints readable history and exits', async () => {
  const r = await run(['traffic', 'pantry']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length >= 12, r.stdout);
  assert.match(r.stdout, /^\d\d:\d\d:\d\d\.\d{3} {2}→ stdio\s+#\d+\s+tools\/call search_recipes/m);
  assert.match(r.stdout, /⇢ API\s+#\d+\s+GET \/recipes/m);
  assert.match(r.stdout, /← stdio.*tools\/call.*\[\d+ ms\]/m);
  assert.match(r.stderr, new RegExp(`^Watching Pantry & Recipes \\(pantry\\), PID ${ctx.bridge.pid}, stdio\\.$`, 'm'));
  ctx.readable = r.stdout;
  for (const form of leakForms(secret)) assert.ok(!r.stdout.includes(form));
});

test('an unknown bridge is named, with what is running', async () => {
  const r = await run(['traffic', 'no-such-bridge']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /No running bridge is called 'no-such-bridge'/);
  assert.match(r.stderr, new RegExp(`pantry\\s+${ctx.bridge.pid}`));
});

test('when the bridge stops, traffic --follow ends and the tap files are gone', async () => {
  await withTimeout(ctx.client.close(), 10000, 'closing the stdio client');
  ctx.client = null;
  await waitFor('the bridge exiting', () => ctx.server.exitCode !== null || ctx.server.signalCode !== null);
  assert.equal(ctx.server.exitCode, 0, ctx.serverStderr);
  await waitFor('traffic --follow ending', () => ctx.traffic.exitCode !== null, 10000);
  assert.equal(ctx.traffic.exitCode, 0, ctx.trafficStderr());
  assert.match(ctx.trafficStderr(), /^Pantry & Recipes \(pantry\), PID \d+, has stopped\.$/m);
  assert.deepEqual(readdirSync(path.join(runtimeDir, 'mcpbridge')), []);
  const r = await run(['ps', '--json']);
  assert.deepEqual(JSON.parse(r.stdout), []);
  assert.ok(!ctx.serverStderr.includes(secret), 'the secret appears on the bridge\'s stderr');
});
