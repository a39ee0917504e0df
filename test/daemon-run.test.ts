import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { HistoryResponse, StreamMessage } from '../src/shared/api.js';
import { openStore } from '../src/main/store/index.js';
import { CLI, ensureBuilt } from './daemon-build.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

interface LogLine {
  level: number;
  msg: string;
  url?: string;
}

describe('voltmon run --simulate as a child process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'voltmon-daemon-'));
  let child: ChildProcess;
  let port: number;
  const lines: LogLine[] = [];
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    ensureBuilt();
    port = await freePort();
    // Started as an installed bin is: the file itself, so its #! line's Node flags apply.
    child = spawn(CLI, ['run', '--simulate', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const started = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`daemon exited early with ${code}: ${JSON.stringify(lines.slice(-3))}`)));
      createInterface({ input: child.stdout! }).on('line', (text) => {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        if (line.url) resolve();
      });
    });
    await started;
  }, 300_000);

  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('runs on the V8 interpreter, as the installed bin starts it (the memory target depends on it)', () => {
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('--lite-mode');
  });

  const token = (): string => {
    const url = lines.find((l) => l.url)?.url ?? '';
    return url.slice(url.indexOf('#token=') + '#token='.length);
  };

  it('logs one start-up line with the UI address and a fresh operator token in its fragment', () => {
    const announcing = lines.filter((l) => l.msg.includes(`:${port}`));
    expect(announcing).toHaveLength(1);
    expect(announcing[0]?.url).toMatch(new RegExp(`^http://localhost:${port}/#token=vmt_[A-Za-z0-9_-]{43}$`));
  });

  it('streams live inverter, BMS and meter samples from the simulated wire over WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream?token=${token()}`);
    const seen = new Map<string, number>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no inverter, BMS and meter samples within 15 s: ${[...seen.keys()].join(', ')}`)), 15_000);
      ws.on('error', reject);
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as StreamMessage;
        if (message.type !== 'sample') return;
        const { device, values } = message.sample;
        if (device === 'inverter' && typeof values.batteryVoltageV === 'number') seen.set('inverter.batteryVoltageV', values.batteryVoltageV);
        if (device === 'bms' && typeof values.socPct === 'number') seen.set('bms.socPct', values.socPct);
        if (device === 'meter' && typeof values.voltageV === 'number') seen.set('meter.voltageV', values.voltageV);
        if (seen.size === 3) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    ws.close();
    expect(seen.get('inverter.batteryVoltageV')).toBeGreaterThan(40);
    expect(seen.get('inverter.batteryVoltageV')).toBeLessThan(65);
    expect(seen.get('bms.socPct')).toBeGreaterThanOrEqual(0);
    expect(seen.get('bms.socPct')).toBeLessThanOrEqual(100);
    expect(seen.get('meter.voltageV')).toBeGreaterThan(180);
  });

  it('answers a history query from the store once a batch is committed', async () => {
    const headers = { authorization: `Bearer ${token()}` };
    let body: HistoryResponse | null = null;
    for (let attempt = 0; attempt < 40; attempt++) {
      const now = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/history?series=inverter.batteryVoltageV&from=${now - 600_000}&to=${now}&points=60`, { headers });
      expect(res.status).toBe(200);
      body = (await res.json()) as HistoryResponse;
      if ((body.series['inverter.batteryVoltageV'] ?? []).length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const points = body?.series['inverter.batteryVoltageV'] ?? [];
    expect(points.length).toBeGreaterThan(0);
    expect(points[0]?.avg).toBeGreaterThan(40);
  });

  it('accepts a token made by `voltmon token add` while it runs', async () => {
    const added = spawnSync(process.execPath, [CLI, 'token', 'add', '--role', 'viewer', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(added.status).toBe(0);
    const viewer = added.stdout.trim();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/live`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
  });

  it('stops on SIGTERM with exit code 0 and leaves an intact store with the data', async () => {
    child.kill('SIGTERM');
    const result = await Promise.race([exit, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
    expect(result).toEqual({ code: 0, signal: null });

    const path = join(dataDir, 'simulated.db');
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const store = openStore({ path, timeZone: 'UTC' });
    try {
      const latest = store.latest();
      expect(typeof latest['inverter.batteryVoltageV']?.value).toBe('number');
      expect(typeof latest['bms.socPct']?.value).toBe('number');
      expect(store.events({ limit: 10 }).map((e) => e.message)).toContain('voltmon stopping');
    } finally {
      store.close();
    }
  });
});
