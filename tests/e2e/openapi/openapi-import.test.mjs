// End-to-end for `mcpbridge import`: a Swagger 2.0 Petstore is imported, served over streamable
// HTTP against the fixture upstream (its /echo endpoint answers with what it received), and the
// official SDK client lists the tools and calls them: path, query, header and body arguments must
// reach the right URL. Then a sample of @readme/oas-examples documents is imported and served,
// and the SDK client must accept their tools/list.
// Run: node --test tests/e2e/openapi/openapi-import.test.mjs
//      (MCPBRIDGE_BIN=path/to/mcpbridge MCPBRIDGE_FIXTURE_BIN=path/to/mcpbridge-fixture-upstream)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import {
  FIXTURE_READY, SERVE_READY, findProgram, sourceDir, startProcess, stop, stopAll, withTimeout,
} from '../harness.mjs';

const mcpbridge = () => findProgram('mcpbridge', 'MCPBRIDGE_BIN', ['app/cli/mcpbridge']);
const fixtureBin = () => findProgram('fixture', 'MCPBRIDGE_FIXTURE_BIN',
  ['tests/fixtures/mcpbridge-fixture-upstream']);
const TOKEN = 'e2e-import-token';

let work;
let upstream;

function runImport(args) {
  const r = spawnSync(mcpbridge(), ['import', ...args], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

// Serves `doc`, connects the SDK client, runs `body(client)`, then stops everything.
async function withBridge(doc, baseUrl, body) {
  const server = await startProcess('mcpbridge serve --http', mcpbridge(),
    ['serve', '--config', doc, '--http', '127.0.0.1:0', '--base-url', baseUrl],
    { ready: SERVE_READY, env: { ...process.env, MCPBRIDGE_SECRET_API_KEY: TOKEN } });
  const client = new Client({ name: 'mcpbridge-import-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(server.match[2]));
  try {
    await withTimeout(client.connect(transport), 20000, 'connect + initialize');
    await body(client);
  } catch (e) {
    e.message += `\n--- serve stderr ---\n${server.stderr}`;
    throw e;
  } finally {
    await client.close().catch(() => {});
    await stop(server.child);
  }
}

// The fixture's /echo answer, parsed from the first text block of a tool result.
function echoOf(result) {
  assert.ok(!result.isError, `the call failed: ${JSON.stringify(result.content)}`);
  const text = result.content.find((c) => c.type === 'text');
  assert.ok(text, `no text content in ${JSON.stringify(result)}`);
  return JSON.parse(text.text);
}

before(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'mcpbridge-import-e2e-'));
  upstream = await startProcess('fixture upstream', fixtureBin(), ['--port', '0'], { ready: FIXTURE_READY });
});

after(async () => {
  await stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a Swagger 2.0 petstore keeps its parameters and calls reach the right URL', async () => {
  const doc = path.join(work, 'petstore.mcpbridge.json');
  const spec = path.join(sourceDir, 'tests/fixtures/openapi/petstore-swagger2.json');
  const imported = runImport([spec, '-o', doc]);
  assert.equal(imported.status, 0, imported.out);
  assert.match(imported.out, /8 tools from 8 of 8 operations/);
  assert.match(imported.out, /tools\/list costs about \d+ tokens per turn/);

  const base = `${upstream.match[1]}/echo/v2`;
  await withBridge(doc, base, async (client) => {
    const { tools } = await withTimeout(client.listTools(), 10000, 'tools/list');
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName).sort(), ['addPet', 'deletePet', 'findPetsByStatus',
      'getOrderById', 'getPetById', 'placeOrders', 'updatePetWithForm', 'uploadFile']);
    assert.deepEqual(Object.keys(byName.findPetsByStatus.inputSchema.properties).sort(), ['limit', 'status']);
    assert.deepEqual(byName.findPetsByStatus.inputSchema.required, ['status']);
    assert.equal(byName.getPetById.annotations.readOnlyHint, true);

    let echo = echoOf(await client.callTool({ name: 'getPetById', arguments: { petId: 42 } }));
    assert.equal(echo.method, 'GET');
    assert.equal(echo.path, '/echo/v2/pet/42');
    assert.equal(echo.headers.api_key, TOKEN, 'the API key from the secret store was not sent');

    echo = echoOf(await client.callTool({ name: 'findPetsByStatus', arguments: { status: ['sold'], limit: 5 } }));
    assert.equal(echo.path, '/echo/v2/pet/findByStatus');
    assert.equal(echo.query.status, 'sold');
    assert.equal(String(echo.query.limit), '5');

    echo = echoOf(await client.callTool({
      name: 'addPet', arguments: { name: 'doggie', photoUrls: ['a.png'], status: 'available' },
    }));
    assert.equal(echo.method, 'POST');
    assert.equal(echo.path, '/echo/v2/pet');
    assert.deepEqual(echo.body, { name: 'doggie', photoUrls: ['a.png'], status: 'available' });

    echo = echoOf(await client.callTool({ name: 'deletePet', arguments: { petId: 7, api_key: 'k' } }));
    assert.equal(echo.method, 'DELETE');
    assert.equal(echo.path, '/echo/v2/pet/7');
  });
});

test('imported oas-examples documents give a tools/list the SDK client accepts', async (t) => {
  const root = path.join(sourceDir, 'tests/node_modules/@readme/oas-examples');
  if (!existsSync(root)) {
    t.skip('tests/node_modules/@readme/oas-examples is missing (run npm ci in tests/)');
    return;
  }
  const sample = ['2.0/json/petstore.json', '3.0/yaml/parameters-style.yaml', '3.0/json/schema-circular.json',
    '3.0/json/polymorphism.json', '3.0/json/discriminators.json', '3.1/yaml/schema-types.yaml',
    '3.1/json/train-travel.json', '3.0/json/complex-nesting.json'];
  for (const rel of sample) {
    const doc = path.join(work, `${rel.replaceAll('/', '_')}.mcpbridge.json`);
    const imported = runImport([path.join(root, rel), '-o', doc, '--base-url', upstream.match[1],
      '--username', 'someone', '--client-id', 'client']);
    assert.equal(imported.status, 0, `${rel}\n${imported.out}`);
    await withBridge(doc, upstream.match[1], async (client) => {
      // The SDK validates the result against the protocol schema; a bad tool would throw here.
      const { tools } = await withTimeout(client.listTools(), 10000, `tools/list of ${rel}`);
      assert.ok(tools.length > 0, `${rel}: no tools`);
      for (const tool of tools) {
        assert.match(tool.name, /^[A-Za-z0-9_-]{1,64}$/, `${rel}: ${tool.name}`);
        assert.equal(tool.inputSchema.type, 'object', `${rel}: ${tool.name}`);
        assert.ok(tool.description, `${rel}: ${tool.name} has no description`);
      }
    });
  }
});
