// Content checks with the official SDK client against the conformance bridge, to catch the
// suite's false passes: its checks mostly look at the shape of an answer (e.g. "a text item
// exists"), so an unknown tool answered as an isError result passes tools-call-simple-text, and
// a resource read that returns an error text would pass several others. Here every fixture
// tool, resource and prompt is called and its content compared with what the fixture upstream
// (tests/fixtures, see FIXTURE.md) really serves through the bridge document
// tests/fixtures/conformance.mcpbridge.json.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FIXTURE_TEXT = 'Hello from the fixture upstream';

class CheckFailure extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckFailure(message);
}

function short(value) {
  const text = JSON.stringify(value);
  return text && text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

function isPng(base64) {
  const bytes = Buffer.from(base64 ?? '', 'base64');
  return bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, 8).equals(PNG_SIGNATURE);
}

function isWav(base64) {
  const bytes = Buffer.from(base64 ?? '', 'base64');
  return bytes.length > 44 && bytes.toString('latin1', 0, 4) === 'RIFF'
    && bytes.toString('latin1', 8, 12) === 'WAVE';
}

function texts(result) {
  return (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

function expectSuccess(result, what) {
  expect(result.isError !== true, `${what} returned isError: ${short(result)}`);
}

// Every check: [name, async (ctx) => void]. A thrown error fails the check with its message.
const checks = [
  ['initialize: server info and capabilities', async ({ client }) => {
    const info = client.getServerVersion();
    expect(info?.name === 'conformance-fixture', `serverInfo.name is ${short(info?.name)}`);
    expect(typeof info?.version === 'string' && info.version.length > 0, 'serverInfo.version missing');
    const caps = client.getServerCapabilities() ?? {};
    for (const cap of ['tools', 'resources', 'prompts', 'logging', 'completions']) {
      expect(caps[cap] !== undefined, `capability "${cap}" not declared: ${short(caps)}`);
    }
    expect((client.getInstructions() ?? '').includes('fixture'), 'instructions from the document missing');
  }],

  ['ping answers {}', async ({ client }) => {
    const result = await client.ping();
    expect(result && Object.keys(result).length === 0, `ping answered ${short(result)}`);
  }],

  ['tools/list: the document\'s tools, each with a description and an object schema', async ({ client, document }) => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    const expected = document.tools.map((t) => t.name).sort();
    expect(short(names) === short(expected), `tools ${short(names)}, expected ${short(expected)}`);
    for (const tool of tools) {
      expect(typeof tool.description === 'string' && tool.description.length > 0,
        `${tool.name} has no description`);
      expect(tool.inputSchema?.type === 'object', `${tool.name} inputSchema is ${short(tool.inputSchema)}`);
    }
    const elicit = tools.find((t) => t.name === 'test_elicitation');
    expect(elicit.inputSchema.properties?.username && elicit.inputSchema.properties?.email,
      `test_elicitation schema lacks username/email: ${short(elicit.inputSchema)}`);
  }],

  ['json_schema_2020_12_tool: inputSchema kept verbatim', async ({ client, document }) => {
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === 'json_schema_2020_12_tool');
    const given = document.tools.find((t) => t.name === 'json_schema_2020_12_tool').inputSchema;
    expect(tool, 'json_schema_2020_12_tool not listed');
    expect(JSON.stringify(sortKeys(tool.inputSchema)) === JSON.stringify(sortKeys(given)),
      `inputSchema changed: ${short(tool.inputSchema)}`);
  }],

  ['json_schema_2020_12_tool: a call reaches POST /echo with the arguments in the body', async ({ client }) => {
    const result = await client.callTool({
      name: 'json_schema_2020_12_tool',
      arguments: { name: 'Ada', address: { street: '1 Main St', city: 'Lovelace City' } },
    });
    expectSuccess(result, 'json_schema_2020_12_tool');
    const text = texts(result);
    expect(text.includes('"POST"') && text.includes('Lovelace City') && text.includes('Ada'),
      `echo does not show the POSTed body: ${short(result)}`);
  }],

  ['json_schema_2020_12_tool: an unknown property is refused (additionalProperties false)', async ({ client }) => {
    let result;
    try {
      result = await client.callTool({ name: 'json_schema_2020_12_tool', arguments: { bogus: 1 } });
    } catch (e) {
      expect(/bogus/.test(e.message), `error does not name the property: ${e.message}`);
      return;
    }
    expect(result.isError === true, `call with an unknown property succeeded: ${short(result)}`);
    expect(/bogus/.test(texts(result)), `error text does not name "bogus": ${short(result)}`);
  }],

  ['test_simple_text returns the fixture\'s text', async ({ client }) => {
    const result = await client.callTool({ name: 'test_simple_text' });
    expectSuccess(result, 'test_simple_text');
    expect(texts(result).includes(FIXTURE_TEXT), `text is not the fixture's: ${short(result)}`);
  }],

  ['test_image_content returns a real PNG', async ({ client }) => {
    const result = await client.callTool({ name: 'test_image_content', arguments: {} });
    expectSuccess(result, 'test_image_content');
    const image = result.content.find((c) => c.type === 'image');
    expect(image, `no image item: ${short(result)}`);
    expect(image.mimeType === 'image/png', `mimeType ${image.mimeType}`);
    expect(isPng(image.data), 'image data is not a PNG');
  }],

  ['test_audio_content returns a real WAV as audio/wav', async ({ client }) => {
    const result = await client.callTool({ name: 'test_audio_content', arguments: {} });
    expectSuccess(result, 'test_audio_content');
    const audio = result.content.find((c) => c.type === 'audio');
    expect(audio, `no audio item: ${short(result)}`);
    expect(audio.mimeType === 'audio/wav', `mimeType ${audio.mimeType}`);
    expect(isWav(audio.data), 'audio data is not a RIFF/WAVE file');
  }],

  ['test_embedded_resource embeds the fixture text with its uri and mimeType', async ({ client }) => {
    const result = await client.callTool({ name: 'test_embedded_resource', arguments: {} });
    expectSuccess(result, 'test_embedded_resource');
    const item = result.content.find((c) => c.type === 'resource');
    expect(item, `no resource item: ${short(result)}`);
    expect(item.resource.uri === 'test://embedded-resource', `uri ${item.resource.uri}`);
    expect(/^text\/plain/.test(item.resource.mimeType ?? ''), `mimeType ${item.resource.mimeType}`);
    expect((item.resource.text ?? '').includes(FIXTURE_TEXT), `text ${short(item.resource.text)}`);
  }],

  ['test_multiple_content_types: the three multipart parts as text, image and resource', async ({ client }) => {
    const result = await client.callTool({ name: 'test_multiple_content_types', arguments: {} });
    expectSuccess(result, 'test_multiple_content_types');
    expect(texts(result).includes('Here is a picture and a document.'), `text part missing: ${short(result)}`);
    const image = result.content.find((c) => c.type === 'image');
    expect(image && image.mimeType === 'image/png' && isPng(image.data), `PNG part missing: ${short(result)}`);
    const res = result.content.find((c) => c.type === 'resource');
    expect(res && res.resource.uri === 'test://fixture/document'
      && (res.resource.text ?? '').includes('An embedded document.'),
    `document part missing or wrong: ${short(res)}`);
  }],

  ['test_error_handling: isError result naming HTTP 500', async ({ client }) => {
    const result = await client.callTool({ name: 'test_error_handling', arguments: {} });
    expect(result.isError === true, `not an isError result: ${short(result)}`);
    expect(/500/.test(texts(result)), `error text does not mention 500: ${short(result)}`);
  }],

  ['unknown tool: a JSON-RPC error, not an isError result', async ({ client }) => {
    let result;
    try {
      result = await client.callTool({ name: 'no_such_tool_anywhere', arguments: {} });
    } catch (e) {
      expect(/no_such_tool_anywhere/.test(e.message), `error does not name the tool: ${e.message}`);
      return;
    }
    throw new CheckFailure(`unknown tool answered as a result: ${short(result)}`);
  }],

  ['test_tool_with_logging: at least 3 log messages during the call', async ({ client, logs }) => {
    await client.setLoggingLevel('debug');
    logs.length = 0;
    const result = await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
    expectSuccess(result, 'test_tool_with_logging');
    expect(texts(result).includes('delayed'), `not the fixture's /delay answer: ${short(result)}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs.length >= 3, `${logs.length} log messages: ${short(logs)}`);
    for (const log of logs) expect(typeof log.level === 'string', `log without level: ${short(log)}`);
    await client.setLoggingLevel('error');
    logs.length = 0;
    await client.callTool({ name: 'test_simple_text' });
    await new Promise((r) => setTimeout(r, 200));
    const loud = logs.filter((l) => !['error', 'critical', 'alert', 'emergency'].includes(l.level));
    expect(loud.length === 0, `log level "error" still sends ${short(loud)}`);
  }],

  ['test_tool_with_progress: at least 3 non-decreasing progress notifications', async ({ client }) => {
    const progress = [];
    const result = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined,
      { onprogress: (p) => progress.push(p) });
    expectSuccess(result, 'test_tool_with_progress');
    expect(texts(result).includes('delayed'), `not the fixture's /delay answer: ${short(result)}`);
    expect(progress.length >= 3, `${progress.length} progress notifications: ${short(progress)}`);
    for (let i = 1; i < progress.length; ++i) {
      expect(progress[i].progress >= progress[i - 1].progress, `progress went down: ${short(progress)}`);
    }
  }],

  // server-sse-polling only looks at the stream when tools/call is answered with SSE; this
  // bridge answers plain JSON unless something is sent before the result, so that scenario is
  // INFO only. Here a progress call forces a stream, and we check what it would have checked.
  ['an SSE answer starts with a priming event (id, empty data, retry) and ends with the result', async ({ url, sessionId, protocolVersion }) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
        'Mcp-Session-Id': sessionId, 'MCP-Protocol-Version': protocolVersion,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'sse-1', method: 'tools/call',
        params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'sse-p' } } }),
      signal: AbortSignal.timeout(10000),
    });
    expect(res.status === 200, `HTTP ${res.status}`);
    expect((res.headers.get('content-type') ?? '').startsWith('text/event-stream'),
      `content-type ${res.headers.get('content-type')} for a call that reports progress`);
    const events = (await res.text()).split(/\r?\n\r?\n/).filter((e) => e.trim()).map((block) => {
      const event = { data: [] };
      for (const line of block.split(/\r?\n/)) {
        const m = /^([a-z]+):\s?(.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'data') event.data.push(m[2]); else event[m[1]] = m[2];
      }
      event.data = event.data.join('\n');
      return event;
    });
    expect(events.length >= 2, `${events.length} events`);
    expect(events[0].id && events[0].data === '', `first event is not a priming event: ${short(events[0])}`);
    expect(events.some((e) => /^\d+$/.test(e.retry ?? '')), 'no retry field');
    const last = JSON.parse(events.at(-1).data);
    expect(last.id === 'sse-1' && last.result && last.result.isError !== true, `last event ${short(last)}`);
    const progress = events.slice(1, -1).map((e) => JSON.parse(e.data)).filter((m) => m.method === 'notifications/progress');
    expect(progress.length >= 3, `${progress.length} progress events on the stream`);
  }],

  ['test_reconnection succeeds', async ({ client }) => {
    const result = await client.callTool({ name: 'test_reconnection', arguments: {} });
    expectSuccess(result, 'test_reconnection');
    expect(texts(result).includes('delayed'), `not the fixture's /delay answer: ${short(result)}`);
  }],

  ['test_elicitation asks for the missing username and email, then calls /echo with them', async ({ client, elicit }) => {
    const { request, result } = await elicit('test_elicitation',
      { message: 'Please provide your information' },
      { username: 'testuser', email: 'test@example.com' });
    const schema = request.params.requestedSchema;
    expect(schema?.properties?.username?.type === 'string' && schema?.properties?.email?.type === 'string',
      `form lacks username/email: ${short(schema)}`);
    expect(['username', 'email'].every((n) => schema.required?.includes(n)),
      `username and email not required: ${short(schema.required)}`);
    expect(!schema.properties.message, 'the form asks for "message", which the call already gave');
    expectSuccess(result, 'test_elicitation');
    const echo = texts(result);
    expect(echo.includes('testuser') && echo.includes('example.com') && echo.includes('Please provide'),
      `echo does not carry the answers and the message: ${short(result)}`);
  }],

  ['test_elicitation_sep1034_defaults offers the parameter defaults and uses the answers', async ({ client, elicit }) => {
    const { request, result } = await elicit('test_elicitation_sep1034_defaults', {},
      { name: 'Jane Smith', age: 25, score: 88.5, status: 'inactive', verified: false });
    const p = request.params.requestedSchema?.properties ?? {};
    expect(p.name?.type === 'string' && p.name.default === 'John Doe', `name ${short(p.name)}`);
    expect(p.age?.type === 'integer' && p.age.default === 30, `age ${short(p.age)}`);
    expect(p.score?.type === 'number' && p.score.default === 95.5, `score ${short(p.score)}`);
    expect(p.status?.type === 'string' && p.status.default === 'active'
      && short(p.status.enum) === short(['active', 'inactive', 'pending']), `status ${short(p.status)}`);
    expect(p.verified?.type === 'boolean' && p.verified.default === true, `verified ${short(p.verified)}`);
    expectSuccess(result, 'test_elicitation_sep1034_defaults');
    const echo = texts(result);
    expect(/Jane(\+|%20| )Smith/.test(echo) && echo.includes('88.5') && echo.includes('inactive'),
      `echo does not carry the answers: ${short(result)}`);
  }],

  ['test_elicitation_sep1330_enums offers all five enum forms', async ({ client, elicit }) => {
    const { request, result } = await elicit('test_elicitation_sep1330_enums', {}, {
      untitledSingle: 'option2', titledSingle: 'value3', legacyEnum: 'opt1',
      untitledMulti: ['option1', 'option3'], titledMulti: ['value2'],
    });
    const p = request.params.requestedSchema?.properties ?? {};
    expect(Array.isArray(p.untitledSingle?.enum) && !p.untitledSingle.oneOf, `untitledSingle ${short(p.untitledSingle)}`);
    expect(Array.isArray(p.titledSingle?.oneOf) && !p.titledSingle.enum
      && p.titledSingle.oneOf.every((o) => typeof o.const === 'string' && typeof o.title === 'string'),
    `titledSingle ${short(p.titledSingle)}`);
    expect(Array.isArray(p.legacyEnum?.enumNames) && p.legacyEnum.enumNames.length === p.legacyEnum.enum?.length,
      `legacyEnum ${short(p.legacyEnum)}`);
    expect(p.untitledMulti?.type === 'array' && Array.isArray(p.untitledMulti.items?.enum),
      `untitledMulti ${short(p.untitledMulti)}`);
    expect(p.titledMulti?.type === 'array' && Array.isArray(p.titledMulti.items?.anyOf) && !p.titledMulti.items.enum,
      `titledMulti ${short(p.titledMulti)}`);
    expectSuccess(result, 'test_elicitation_sep1330_enums');
    const echo = texts(result);
    expect(['option2', 'value3', 'opt1', 'option3', 'value2'].every((v) => echo.includes(v)),
      `echo does not carry the choices: ${short(result)}`);
  }],

  ['resources/list: the four fixed resources', async ({ client }) => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri).sort();
    const expected = ['test://example-resource', 'test://static-binary', 'test://static-text', 'test://watched-resource'];
    expect(short(uris) === short(expected), `resources ${short(uris)}`);
    for (const r of resources) expect(r.name && r.description, `${r.uri} lacks name or description`);
  }],

  ['resources/templates/list: test://template/{id}/data', async ({ client }) => {
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.some((t) => t.uriTemplate === 'test://template/{id}/data'),
      `templates ${short(resourceTemplates)}`);
  }],

  ['resources/read test://static-text: the fixture text', async ({ client }) => {
    const { contents } = await client.readResource({ uri: 'test://static-text' });
    expect(contents.length === 1, `${contents.length} contents`);
    expect(contents[0].uri === 'test://static-text', `uri ${contents[0].uri}`);
    expect(/^text\/plain/.test(contents[0].mimeType ?? ''), `mimeType ${contents[0].mimeType}`);
    expect(contents[0].text === 'This is the static text resource.', `text ${short(contents[0].text)}`);
  }],

  ['resources/read test://static-binary: a PNG blob', async ({ client }) => {
    const { contents } = await client.readResource({ uri: 'test://static-binary' });
    expect(contents[0]?.uri === 'test://static-binary', `uri ${contents[0]?.uri}`);
    expect(contents[0].mimeType === 'image/png', `mimeType ${contents[0].mimeType}`);
    expect(isPng(contents[0].blob), 'blob is not a PNG');
  }],

  ['resources/read test://template/123/data: the fixture\'s item 123', async ({ client }) => {
    const { contents } = await client.readResource({ uri: 'test://template/123/data' });
    expect(contents[0]?.uri === 'test://template/123/data', `uri ${contents[0]?.uri}`);
    expect(contents[0].text === 'Data for item 123', `text ${short(contents[0].text)}`);
  }],

  ['resources/read of an unknown uri is a JSON-RPC error', async ({ client }) => {
    let result;
    try {
      result = await client.readResource({ uri: 'test://no-such-resource' });
    } catch (e) {
      expect(/no-such-resource/.test(e.message), `error does not name the uri: ${e.message}`);
      return;
    }
    throw new CheckFailure(`unknown resource answered: ${short(result)}`);
  }],

  ['resources/subscribe and unsubscribe test://watched-resource', async ({ client }) => {
    expect(client.getServerCapabilities()?.resources?.subscribe === true, 'resources.subscribe not declared');
    const sub = await client.subscribeResource({ uri: 'test://watched-resource' });
    const unsub = await client.unsubscribeResource({ uri: 'test://watched-resource' });
    expect(Object.keys(sub).length === 0 && Object.keys(unsub).length === 0,
      `answers ${short(sub)} ${short(unsub)}`);
  }],

  ['prompts/list: every prompt with a description', async ({ client, document }) => {
    const { prompts } = await client.listPrompts();
    expect(short(prompts.map((p) => p.name).sort()) === short(document.prompts.map((p) => p.name).sort()),
      `prompts ${short(prompts.map((p) => p.name))}`);
    for (const p of prompts) expect(p.description, `${p.name} has no description`);
  }],

  ['prompts/get test_simple_prompt', async ({ client }) => {
    const { messages } = await client.getPrompt({ name: 'test_simple_prompt' });
    expect(messages.length === 1 && messages[0].role === 'user'
      && messages[0].content.text === 'This is a simple prompt for testing.', `messages ${short(messages)}`);
  }],

  ['prompts/get test_prompt_with_arguments fills in the values', async ({ client }) => {
    const { messages } = await client.getPrompt({
      name: 'test_prompt_with_arguments', arguments: { arg1: 'testValue1', arg2: 'testValue2' },
    });
    expect(messages[0]?.content?.text === "Prompt with arguments: arg1='testValue1', arg2='testValue2'",
      `messages ${short(messages)}`);
  }],

  ['prompts/get without a required argument is a JSON-RPC error naming it', async ({ client }) => {
    let result;
    try {
      result = await client.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'x' } });
    } catch (e) {
      expect(/arg2/.test(e.message), `error does not name arg2: ${e.message}`);
      return;
    }
    throw new CheckFailure(`missing argument accepted: ${short(result)}`);
  }],

  ['prompts/get test_prompt_with_embedded_resource embeds the resource it names', async ({ client }) => {
    const { messages } = await client.getPrompt({
      name: 'test_prompt_with_embedded_resource', arguments: { resourceUri: 'test://example-resource' },
    });
    const res = messages.find((m) => m.content?.type === 'resource');
    expect(res, `no resource message: ${short(messages)}`);
    expect(res.content.resource.uri === 'test://example-resource', `uri ${res.content.resource.uri}`);
    expect((res.content.resource.text ?? '').includes(FIXTURE_TEXT), `text ${short(res.content.resource)}`);
  }],

  ['prompts/get test_prompt_with_image carries a real PNG', async ({ client }) => {
    const { messages } = await client.getPrompt({ name: 'test_prompt_with_image' });
    const img = messages.find((m) => m.content?.type === 'image');
    expect(img && img.content.mimeType === 'image/png' && isPng(img.content.data), `messages ${short(messages)}`);
  }],

  ['completion/complete offers matching prompt and template values', async ({ client }) => {
    const a = await client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'par' },
    });
    expect(short([...a.completion.values].sort()) === short(['paris', 'park', 'party']),
      `arg1 "par" completed to ${short(a.completion)}`);
    const b = await client.complete({
      ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' }, argument: { name: 'arg1', value: 'zzz' },
    });
    expect(Array.isArray(b.completion.values) && b.completion.values.length === 0,
      `arg1 "zzz" completed to ${short(b.completion)}`);
    const c = await client.complete({
      ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '12' },
    });
    expect(short([...c.completion.values].sort()) === short(['123', '124']),
      `template id "12" completed to ${short(c.completion)}`);
  }],
];

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}

// Runs every check against `url`; returns [{ name, ok, message }]. Each check has its own
// time limit so that one hanging call cannot eat the whole budget.
export async function runSdkChecks(url, document, { perCheckMs = 15000 } = {}) {
  const logs = [];
  let pendingElicitation = null;
  const client = new Client({ name: 'mcpbridge-conformance-runner', version: '1.0.0' },
    { capabilities: { elicitation: {} } });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    if (!pendingElicitation) return { action: 'decline' };
    pendingElicitation.request = request;
    return { action: 'accept', content: pendingElicitation.answer };
  });
  const elicit = async (name, args, answer) => {
    pendingElicitation = { answer, request: null };
    try {
      const result = await client.callTool({ name, arguments: args });
      expect(pendingElicitation.request, `${name}: the server did not send elicitation/create; result ${short(result)}`);
      return { request: pendingElicitation.request, result };
    } finally {
      pendingElicitation = null;
    }
  };

  const results = [];
  const transport = new StreamableHTTPClientTransport(new URL(url));
  try {
    await withLimit(client.connect(transport), perCheckMs, 'connect + initialize');
  } catch (e) {
    return [{ name: 'connect and initialize with the SDK client', ok: false, message: e.message }];
  }
  const ctx = {
    client, document, logs, elicit, url,
    sessionId: transport.sessionId,
    protocolVersion: transport.protocolVersion ?? '2025-11-25',
  };
  for (const [name, fn] of checks) {
    try {
      await withLimit(fn(ctx), perCheckMs, name);
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, message: e instanceof CheckFailure ? e.message : `${e.name}: ${e.message}` });
    }
  }
  try {
    await withLimit(transport.terminateSession(), 5000, 'DELETE session');
  } catch (e) {
    results.push({ name: 'DELETE ends the session', ok: false, message: e.message });
  }
  await client.close().catch(() => {});
  return results;
}

function withLimit(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}
