// The end-to-end checks of the demo bridge (resources/demo/pantry.mcpbridge.json) with the
// official SDK client, shared by the stdio and the HTTP variant. Expectations come from the
// bridge document and from asking the demo API directly, so the checks hold as the demo data
// changes, yet every answer is compared with what the upstream really serves.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';

import { DEMO_READY, findProgram, sourceDir, startProcess, stop, stopAll } from './harness.mjs';

const STEP_MS = 20000;

export const mcpbridgeBin = () => findProgram('mcpbridge', 'MCPBRIDGE_BIN', ['app/cli/mcpbridge']);
export const demoDocumentPath = path.join(sourceDir, 'resources/demo/pantry.mcpbridge.json');

function short(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text && text.length > 800 ? `${text.slice(0, 800)}...` : text;
}

function textOf(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

function tryJson(text) {
  try { return { ok: true, value: JSON.parse(text) }; } catch { return { ok: false }; }
}

// Every string found in a JSON value, for "does the bridge's answer carry the upstream's data".
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

function fill(template, values) {
  return template.replace(/\{([^}]+)\}/g, (_, name) => values[name] ?? `{${name}}`);
}

function itemsOf(json) {
  if (Array.isArray(json)) return json;
  if (json && typeof json === 'object') {
    for (const v of Object.values(json)) if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') return v;
  }
  return [];
}

// A valid value for a parameter schema, for arguments the test does not care about.
function sampleValue(schema = {}) {
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  switch (schema.type) {
    case 'integer': return Math.max(1, schema.minimum ?? 1);
    case 'number': return Math.max(1, schema.minimum ?? 1);
    case 'boolean': return true;
    case 'array': return [];
    case 'object': return {};
    default: return 'e2e';
  }
}

// Registers the test steps. `connect(demoUrl)` returns { client, finish } where finish() closes
// the client and returns extra assertions' data ({ exitCode } for stdio).
export function definePantryTests(transportName, connect) {
  const document = JSON.parse(readFileSync(demoDocumentPath, 'utf8'));
  const ctx = {};

  before(async () => {
    const demo = await startProcess('mcpbridge demo-api', mcpbridgeBin(), ['demo-api', '--port', '0'],
      { ready: DEMO_READY });
    ctx.demo = demo;
    ctx.demoUrl = demo.match[1];
    ctx.direct = async (method, pathAndQuery) => {
      const res = await fetch(ctx.demoUrl + pathAndQuery, { method, signal: AbortSignal.timeout(10000) });
      const body = await res.text();
      return { status: res.status, body, json: tryJson(body) };
    };
    ctx.connection = await connect(ctx.demoUrl);
    ctx.client = ctx.connection.client;
  }, { timeout: 60000 });

  after(async () => {
    try {
      if (ctx.connection && !ctx.closed) await ctx.connection.finish().catch(() => {});
    } finally {
      await stopAll();
    }
  }, { timeout: 30000 });

  test(`${transportName}: initialize gives the server info and capabilities`, { timeout: STEP_MS }, () => {
    const info = ctx.client.getServerVersion();
    assert.equal(info?.name, document.server.name, `serverInfo ${short(info)}`);
    if (document.server.version) assert.equal(info.version, document.server.version);
    const caps = ctx.client.getServerCapabilities() ?? {};
    assert.ok(caps.tools, `no tools capability: ${short(caps)}`);
    if ((document.resources ?? []).length || (document.resourceTemplates ?? []).length) {
      assert.ok(caps.resources, `no resources capability: ${short(caps)}`);
    }
    if ((document.prompts ?? []).length) assert.ok(caps.prompts, `no prompts capability: ${short(caps)}`);
    if (document.server.instructions) assert.equal(ctx.client.getInstructions(), document.server.instructions);
  });

  test(`${transportName}: tools/list lists the document's tools, described, with object schemas`, { timeout: STEP_MS }, async () => {
    const { tools } = await ctx.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), document.tools.map((t) => t.name).sort());
    for (const tool of tools) {
      assert.ok(typeof tool.description === 'string' && tool.description.trim().length > 0,
        `${tool.name} has no description`);
      assert.equal(tool.inputSchema?.type, 'object', `${tool.name} inputSchema ${short(tool.inputSchema)}`);
    }
    ctx.tools = tools;
  });

  test(`${transportName}: a search call reaches the demo API and returns its data`, { timeout: STEP_MS }, async () => {
    const tool = document.tools.find((t) => t.name === 'search_recipes')
      ?? document.tools.find((t) => t.method === 'GET' && !t.path.includes('{')
        && !(t.parameters ?? []).some((p) => p.required));
    assert.ok(tool, 'the demo bridge has no search_recipes tool nor a GET tool without required arguments');
    const queryParam = (tool.parameters ?? []).find((p) => p.in === 'query'
      && /^(q|query|search|text|term|keyword)s?$/i.test(p.name))
      ?? (tool.parameters ?? []).find((p) => p.in === 'query' && (p.schema?.type ?? 'string') === 'string');

    // What the API holds, asked directly; a word of its first item's name becomes the query.
    const all = await ctx.direct(tool.method, tool.path);
    assert.equal(all.status, 200, `direct GET ${tool.path}: ${all.status} ${short(all.body)}`);
    const first = itemsOf(all.json.value)[0];
    const label = first && (first.name ?? first.title);
    const args = {};
    for (const p of tool.parameters ?? []) if (p.required) args[p.name] = sampleValue(p.schema);
    let expectedName = label;
    if (queryParam && typeof label === 'string') {
      const word = label.split(/\s+/).sort((a, b) => b.length - a.length)[0];
      args[queryParam.name] = word;
      const filtered = await ctx.direct(tool.method,
        `${tool.path}?${new URLSearchParams({ [queryParam.wireName || queryParam.name]: word })}`);
      assert.ok(filtered.body.includes(label), `the demo API itself does not find "${label}" by "${word}"`);
      // An item the query leaves out proves the query reached the API (not just "list all").
      ctx.excluded = itemsOf(all.json.value).map((i) => i.name ?? i.title)
        .find((n) => typeof n === 'string' && !filtered.body.includes(n));
    }
    const result = await ctx.client.callTool({ name: tool.name, arguments: args });
    assert.notEqual(result.isError, true, `${tool.name} failed: ${short(result)}`);
    const text = textOf(result);
    if (expectedName) {
      assert.ok(text.includes(expectedName), `${tool.name}(${short(args)}) does not mention "${expectedName}": ${short(text)}`);
      if (ctx.excluded) {
        assert.ok(!text.includes(ctx.excluded),
          `${tool.name}(${short(args)}) lists "${ctx.excluded}", which the API leaves out for that query`);
      }
    } else {
      assert.ok(strings(all.json.value).slice(0, 5).every((s) => text.includes(s)),
        `${tool.name} does not carry the API's data: ${short(text)}`);
    }
  });

  test(`${transportName}: resources/read of a template URI returns the upstream item`, { timeout: STEP_MS }, async () => {
    const templates = document.resourceTemplates ?? [];
    const template = templates.find((t) => /^recipes?:/.test(t.uriTemplate)) ?? templates[0];
    assert.ok(template, 'the demo bridge has no resource template');
    const vars = [...template.uriTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    // Values: from the template's completions, else from the first item of the list at the
    // template path's parent ("/recipes/{id}" -> "/recipes").
    const values = {};
    const listPath = template.path.replace(/\/[^/]*\{[^}]+\}.*$/, '');
    const list = itemsOf((await ctx.direct('GET', listPath)).json.value);
    for (const v of vars) {
      values[v] = template.completions?.[v]?.[0] ?? String(list[0]?.[v] ?? list[0]?.id ?? '1');
    }
    const uri = fill(template.uriTemplate, values);
    const upstream = await ctx.direct('GET', fill(template.path, Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]))));
    assert.equal(upstream.status, 200, `direct GET of ${template.path} with ${short(values)}: ${upstream.status}`);

    const { contents } = await ctx.client.readResource({ uri });
    assert.equal(contents.length, 1, `contents ${short(contents)}`);
    assert.equal(contents[0].uri, uri);
    assert.ok(typeof contents[0].text === 'string', `no text: ${short(contents[0])}`);
    const mine = tryJson(contents[0].text);
    if (upstream.json.ok && mine.ok) assert.deepEqual(mine.value, upstream.json.value);
    else assert.ok(contents[0].text.includes(upstream.body.trim().slice(0, 200)), `text ${short(contents[0].text)}`);
  });

  test(`${transportName}: prompts/get fills in the arguments`, { timeout: STEP_MS }, async () => {
    const prompt = (document.prompts ?? []).find((p) => (p.arguments ?? []).length > 0
      && p.messages.every((m) => (m.type ?? 'text') === 'text'))
      ?? (document.prompts ?? []).find((p) => (p.arguments ?? []).length > 0);
    assert.ok(prompt, 'the demo bridge has no prompt with arguments');
    const args = {};
    for (const a of prompt.arguments) args[a.name] = a.values?.[0] ?? `e2e value for ${a.name}`;
    const { messages } = await ctx.client.getPrompt({ name: prompt.name, arguments: args });
    assert.equal(messages.length, prompt.messages.length, `messages ${short(messages)}`);
    prompt.messages.forEach((m, i) => {
      assert.equal(messages[i].role, m.role ?? 'user');
      if ((m.type ?? 'text') === 'text') {
        assert.equal(messages[i].content.type, 'text');
        assert.equal(messages[i].content.text, fill(m.text, args));
      } else {
        assert.equal(messages[i].content.type, m.type, `message ${i}: ${short(messages[i])}`);
      }
    });
    const used = prompt.arguments.filter((a) => prompt.messages.some((m) => (m.text ?? '').includes(`{${a.name}}`)));
    for (const a of used) assert.ok(JSON.stringify(messages).includes(args[a.name]), `${a.name} not filled in`);
  });

  test(`${transportName}: a bad argument gives an isError result naming where`, { timeout: STEP_MS }, async () => {
    ctx.tools ??= (await ctx.client.listTools()).tools;
    let choice;
    for (const tool of document.tools) {
      const schema = ctx.tools.find((t) => t.name === tool.name)?.inputSchema ?? {};
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (prop.type === 'integer' || prop.type === 'number') { choice = { tool, name, bad: 'not a number' }; break; }
        if (Array.isArray(prop.enum) && prop.enum.every((v) => typeof v === 'string')) {
          choice = { tool, name, bad: 'no-such-choice-e2e' }; break;
        }
      }
      if (choice) break;
    }
    assert.ok(choice, 'no tool with a number or enum parameter to misuse');
    const schema = ctx.tools.find((t) => t.name === choice.tool.name).inputSchema;
    const args = {};
    for (const req of schema.required ?? []) args[req] = sampleValue(schema.properties?.[req]);
    args[choice.name] = choice.bad;
    const result = await ctx.client.callTool({ name: choice.tool.name, arguments: args });
    assert.equal(result.isError, true, `${choice.tool.name}(${short(args)}) did not fail: ${short(result)}`);
    const text = textOf(result);
    assert.ok(text.includes(`/${choice.name}`), `error does not point at /${choice.name}: ${short(text)}`);
  });

  test(`${transportName}: an unknown tool is a JSON-RPC error`, { timeout: STEP_MS }, async () => {
    await assert.rejects(ctx.client.callTool({ name: 'no_such_tool_e2e', arguments: {} }),
      (e) => /no_such_tool_e2e/.test(e.message));
  });

  test(`${transportName}: the session ends cleanly`, { timeout: STEP_MS }, async () => {
    ctx.closed = true;
    await ctx.connection.finish();
  });

  return ctx;
}

export function newClient() {
  return new Client({ name: 'mcpbridge-e2e', version: '1.0.0' }, { capabilities: {} });
}

export { stop };
