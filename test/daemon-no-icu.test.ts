/**
 * The daemon keeps ICU out of its process: local time comes from the system's zone files, so nothing on
 * its path may call Intl or a local-time Date method (the first such call costs ~9 MB of RSS). A preload
 * wraps those entry points and writes every call, with its stack, to a file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from './daemon-build.js';

const POLL_MS = 10_000;

const GUARD = `
import { appendFileSync } from 'node:fs';
const usesPath = process.env.VOLTMON_ICU_USES;
let recording = false;
function record(name) {
  if (recording) return;
  recording = true;
  try {
    appendFileSync(usesPath, JSON.stringify({ name, stack: new Error().stack }) + '\\n');
  } finally {
    recording = false;
  }
}
function wrapMethod(owner, ownerName, key) {
  const original = owner[key];
  Object.defineProperty(owner, key, {
    ...Object.getOwnPropertyDescriptor(owner, key),
    value: function (...args) {
      record(ownerName + '.' + key);
      return original.apply(this, args);
    },
  });
}
for (const key of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter', 'DisplayNames']) {
  const original = Intl[key];
  if (!original) continue;
  const traps = {
    construct: (target, args, newTarget) => (record('Intl.' + key), Reflect.construct(target, args, newTarget)),
    apply: (target, self, args) => (record('Intl.' + key), Reflect.apply(target, self, args)),
  };
  Object.defineProperty(Intl, key, { ...Object.getOwnPropertyDescriptor(Intl, key), value: new Proxy(original, traps) });
}
for (const key of ['getTimezoneOffset', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds',
  'toString', 'toDateString', 'toTimeString', 'toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']) wrapMethod(Date.prototype, 'Date.prototype', key);
for (const key of ['localeCompare', 'toLocaleUpperCase', 'toLocaleLowerCase', 'normalize']) wrapMethod(String.prototype, 'String.prototype', key);
wrapMethod(Number.prototype, 'Number.prototype', 'toLocaleString');
`;

interface Use {
  name: string;
  stack: string;
}

function guarded(): { dir: string; args: string[]; env: NodeJS.ProcessEnv; uses: () => Use[] } {
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-no-icu-'));
  const preload = join(dir, 'icu-guard.mjs');
  const usesPath = join(dir, 'icu-uses.jsonl');
  writeFileSync(preload, GUARD);
  return {
    dir,
    args: ['--import', pathToFileURL(preload).href],
    // A zone with DST, so the day boundaries the daemon computes are not trivial.
    env: { ...process.env, TZ: 'Europe/Berlin', VOLTMON_ICU_USES: usesPath },
    uses: () =>
      existsSync(usesPath)
        ? readFileSync(usesPath, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Use)
        : [],
  };
}

describe('the daemon never touches ICU', () => {
  it('the guard records Intl and local-time Date calls (so an empty record means none were made)', () => {
    const guard = guarded();
    const result = spawnSync(process.execPath, [...guard.args, '-e', "new Intl.DateTimeFormat('en', { timeZone: 'UTC' }); new Date().getHours(); 'a'.localeCompare('b')"], { env: guard.env });
    expect(result.status, String(result.stderr)).toBe(0);
    expect(guard.uses().map((u) => u.name)).toEqual(['Intl.DateTimeFormat', 'Date.prototype.getHours', 'String.prototype.localeCompare']);
  });

  it('voltmon run --simulate: 10 s of polling, API reads of live values, history, day and month energy, and a clean stop', async () => {
    ensureBuilt();
    const guard = guarded();
    const child = spawn(process.execPath, [...guard.args, CLI, 'run', '--simulate', '--data-dir', join(guard.dir, 'data'), '--host', '127.0.0.1', '--port', '0'], {
      env: guard.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line within 60 s: ${stderr}`)), 60_000);
        child.once('exit', (code) => reject(new Error(`daemon exited early with ${code}: ${stderr}`)));
        createInterface({ input: child.stdout }).on('line', (text) => {
          const line = JSON.parse(text) as { url?: string };
          if (!line.url) return;
          clearTimeout(timer);
          resolve(new URL(line.url));
        });
      });
      const startedMs = Date.now();
      const headers = { authorization: `Bearer ${url.hash.slice('#token='.length)}` };
      const api = `http://127.0.0.1:${url.port}/api/v1`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS / 2));
      const now = Date.now();
      for (const path of [
        '/live',
        `/history?series=inverter.batteryVoltageV,bms.socPct&from=${now - 600_000}&to=${now}&points=60`,
        `/energy?period=day&from=${now - 3 * 86_400_000}&to=${now}`,
        `/energy?period=month&from=${now - 60 * 86_400_000}&to=${now}`,
        '/events',
        '/controller',
      ]) {
        const res = await fetch(`${api}${path}`, { headers });
        expect(res.status, path).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (Date.now() - startedMs))));
      child.kill('SIGTERM');
      expect(await exited, stderr).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    expect(guard.uses().map((u) => `${u.name}\n${u.stack}`)).toEqual([]);
  }, 300_000);
});
