// End-to-end over streamable HTTP: `mcpbridge serve --http 127.0.0.1:0` on the demo bridge
// against `mcpbridge demo-api` on a free port, driven by the official SDK client.
// Run: node --test tests/e2e/e2e-http.test.mjs   (MCPBRIDGE_BIN=path/to/mcpbridge)

import assert from 'node:assert/strict';

import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { SERVE_READY, startProcess, stop, withTimeout } from './harness.mjs';
import { definePantryTests, demoDocumentPath, mcpbridgeBin, newClient } from './pantry-checks.mjs';

definePantryTests('http', async (demoUrl) => {
  const server = await startProcess('mcpbridge serve --http', mcpbridgeBin(),
    ['serve', '--config', demoDocumentPath, '--http', '127.0.0.1:0', '--base-url', demoUrl],
    { ready: SERVE_READY });
  const url = server.match[2];
  const client = newClient();
  const transport = new StreamableHTTPClientTransport(new URL(url));
  try {
    await withTimeout(client.connect(transport), 20000, 'HTTP connect + initialize');
  } catch (e) {
    await stop(server.child);
    throw new Error(`${e.message}\n--- server stderr ---\n${server.stderr}`);
  }
  assert.ok(transport.sessionId, 'the server issued no Mcp-Session-Id');

  return {
    client,
    finish: async () => {
      const sessionId = transport.sessionId;
      await withTimeout(transport.terminateSession(), 5000, 'DELETE of the session');
      await client.close();
      // The ended session is gone: a request with its id gets 404 (the client would re-initialize).
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'Mcp-Session-Id': sessionId,
          'MCP-Protocol-Version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'ping' }),
        signal: AbortSignal.timeout(5000),
      });
      assert.equal(res.status, 404, `a request on the ended session got ${res.status}`);
      assert.equal(server.child.exitCode, null, `the server died during the run\n${server.stderr}`);
      await stop(server.child);
    },
  };
});
