// Child-process plumbing shared by the end-to-end tests and the conformance runner: start a
// program, wait (bounded) for the line that says it is ready, keep the tail of its output for
// the failure report, and make sure every child dies on every exit path.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.MCPBRIDGE_SOURCE_DIR || path.resolve(here, '..', '..');

const children = new Set();
let cleanupInstalled = false;

function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // 'exit' handlers must be synchronous: kill() is, and SIGKILL cannot be ignored.
  process.on('exit', () => {
    for (const child of children) {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nInterrupted (${signal}); stopping child processes.\n`);
      process.exit(130);
    });
  }
}

// Keeps the last `limit` characters of a stream, for messages after a failure.
class Tail {
  constructor(limit = 16000) { this.limit = limit; this.text = ''; }
  push(chunk) {
    this.text += chunk.toString('utf8');
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }
  toString() { return this.text; }
}

// Registers a child spawned elsewhere (e.g. by the SDK's StdioClientTransport) for cleanup.
export function track(child) {
  installCleanup();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

// Starts `command args` and resolves once a stdout line matches `ready` (a RegExp).
// Resolves to { child, match, stdout, stderr, name }; rejects with the output so far when the
// program exits first or nothing matches within `timeoutMs`.
export function startProcess(name, command, args, { ready, timeoutMs = 20000, env, cwd } = {}) {
  installCleanup();
  if (!existsSync(command)) {
    return Promise.reject(new Error(`${name}: program not found at ${command}`));
  }
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  const stdout = new Tail();
  const stderr = new Tail();
  const proc = { child, name, stdout, stderr, match: null };
  child.stderr.on('data', (d) => stderr.push(d));

  return new Promise((resolve, reject) => {
    let lineBuffer = '';
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        stop(child);
        reject(new Error(`${error}\n--- ${name} stdout ---\n${stdout}\n--- ${name} stderr ---\n${stderr}`));
      } else {
        resolve(proc);
      }
    };
    const timer = setTimeout(() => finish(`${name} did not print its ready line within ${timeoutMs} ms`),
      timeoutMs);
    child.stdout.on('data', (d) => {
      stdout.push(d);
      if (settled) return;
      lineBuffer += d.toString('utf8');
      let nl;
      while ((nl = lineBuffer.indexOf('\n')) >= 0) {
        const line = lineBuffer.slice(0, nl).replace(/\r$/, '');
        lineBuffer = lineBuffer.slice(nl + 1);
        const m = ready.exec(line);
        if (m) { proc.match = m; finish(null); return; }
      }
    });
    child.once('error', (e) => finish(`${name} could not be started: ${e.message}`));
    child.once('exit', (code, signal) =>
      finish(`${name} exited before it was ready (code ${code}, signal ${signal})`));
  });
}

// Asks a child to stop, then kills it if it is still there after `graceMs`. Resolves when gone.
export function stop(child, graceMs = 2000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, graceMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { child.kill('SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

export async function stopAll() {
  await Promise.all([...children].map((c) => stop(c)));
}

// Rejects with "<what> did not finish within N ms" when `promise` takes too long.
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A program path from a command-line option (--name=PATH or --name PATH), else an environment
// variable, else the first existing candidate under the usual build directories.
export function findProgram(option, envName, relativeCandidates) {
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === `--${option}` && i + 1 < argv.length) return path.resolve(argv[i + 1]);
    if (argv[i].startsWith(`--${option}=`)) return path.resolve(argv[i].slice(option.length + 3));
  }
  if (process.env[envName]) return path.resolve(process.env[envName]);
  for (const buildDir of ['build', 'build-f']) {
    for (const rel of relativeCandidates) {
      const candidate = path.join(sourceDir, buildDir, rel);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`Cannot find ${option}: pass --${option} PATH or set ${envName}.`);
}

export const SERVE_READY = /^mcpbridge: serving "(.*)" at (http:\/\/127\.0\.0\.1:\d+\/mcp)\s*$/;
export const DEMO_READY = /^Demo API listening at (http:\/\/127\.0\.0\.1:\d+)\s*$/;
export const FIXTURE_READY = /^Fixture upstream listening at (http:\/\/127\.0\.0\.1:\d+)\s*$/;
