// End-to-end over stdio: the official SDK client spawns `mcpbridge serve --stdio` on the demo
// bridge (as Claude Desktop would) against `mcpbridge demo-api` on a free port.
// Run: node --test tests/e2e/e2e-stdio.test.mjs   (MCPBRIDGE_BIN=path/to/mcpbridge)

import assert from 'node:assert/strict';

import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { track, withTimeout } from './harness.mjs';
import { definePantryTests, demoDocumentPath, mcpbridgeBin, newClient } from './pantry-checks.mjs';

definePantryTests('stdio', async (demoUrl) => {
  const client = newClient();
  const transport = new StdioClientTransport({
    command: mcpbridgeBin(),
    args: ['serve', '--stdio', '--config', demoDocumentPath, '--base-url', demoUrl],
    env: { ...process.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (d) => { stderr = (stderr + d).slice(-16000); });
  // Keep a raw copy of stdout: the SDK only reports lines it cannot parse through onerror, and
  // we want to see them. start() sets _process synchronously, before any data can arrive.
  let raw = '';
  let child;
  const start = transport.start.bind(transport);
  transport.start = () => {
    const started = start();
    child = track(transport._process);
    child.stdout.on('data', (d) => { raw += d; });
    return started;
  };
  const errors = [];
  client.onerror = (e) => errors.push(e);
  try {
    await withTimeout(client.connect(transport), 20000, 'stdio connect + initialize');
  } catch (e) {
    throw new Error(`${e.message}\n--- server stderr ---\n${stderr}`);
  }

  return {
    client,
    finish: async () => {
      // close() ends stdin, waits 2 s for the exit, then sends SIGTERM.
      await withTimeout(client.close(), 10000, 'closing the stdio client');
      const lines = raw.split('\n').filter((l) => l.trim() !== '');
      assert.ok(lines.length >= 5, `only ${lines.length} lines on stdout`);
      for (const line of lines) {
        let message;
        try { message = JSON.parse(line); } catch { assert.fail(`stdout line is not JSON: ${line.slice(0, 300)}`); }
        assert.equal(message.jsonrpc, '2.0', `stdout line is not JSON-RPC 2.0: ${line.slice(0, 300)}`);
      }
      assert.deepEqual(errors.map((e) => e.message), [], 'the SDK client reported transport errors');
      assert.equal(child.signalCode, null,
        `the server did not exit within 2 s of stdin closing (killed by ${child.signalCode})\n${stderr}`);
      assert.equal(child.exitCode, 0, `the server exited with ${child.exitCode} after stdin closed\n${stderr}`);
    },
  };
});
