/**
 * Shared by the UI end-to-end tests and the UI benchmarks: build if the sources are newer than dist,
 * start `voltmon run --simulate` on a free port, mint tokens, and drive Debian's Chromium through
 * playwright-core. Nothing here skips: a missing Chromium or a daemon that does not come up is an error.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CLI, ensureBuilt as ensureCliBuilt, mtimeMs, newestSourceMtimeMs, ROOT, runScript } from '../daemon-build.js';

export { CLI, ROOT };
/** Debian's Chromium; VOLTMON_CHROMIUM points elsewhere on other systems. */
export const CHROMIUM_PATH = process.env.VOLTMON_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const SIZES = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 },
  { width: 800, height: 480 },
] as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium) to run the UI tests`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Builds the daemon and the renderer when a source file is newer than what dist holds. */
export function ensureBuilt(): void {
  ensureCliBuilt();
  const renderer = Math.max(newestSourceMtimeMs(join(ROOT, 'src', 'shared')), newestSourceMtimeMs(join(ROOT, 'src', 'renderer')));
  if (renderer > mtimeMs(join(ROOT, 'dist', 'renderer', 'index.html'))) runScript('build:renderer');
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export const makeDataDir = (): string => mkdtempSync(join(tmpdir(), 'voltmon-ui-'));

/** `voltmon run --simulate` on 127.0.0.1; start again with the same data dir and port after a stop. */
export class Daemon {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly logPath: string;

  constructor(
    readonly dataDir: string,
    readonly port: number,
    /** More arguments for `voltmon run`, e.g. `--config FILE`. */
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.logPath = join(dataDir, 'daemon.log');
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 40_000): Promise<void> {
    const log = openSync(this.logPath, 'a');
    const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--data-dir', this.dataDir, '--host', '127.0.0.1', '--port', String(this.port), ...this.extraArgs], {
      cwd: ROOT,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`voltmon run exited with ${child.exitCode}: ${this.logTail()}`);
      try {
        const r = await fetch(`${this.baseUrl}/api/v1/health`);
        if (r.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`voltmon run did not answer /api/v1/health within ${timeoutMs} ms: ${this.logTail()}`);
  }

  /** SIGTERM, as systemd stops it; SIGKILL when `hard` (a crash or power cut). */
  async stop(hard = false): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }

  token(role: 'viewer' | 'operator'): string {
    const out = execFileSync(process.execPath, [CLI, 'token', 'add', '--role', role, '--data-dir', this.dataDir], { cwd: ROOT, encoding: 'utf8' });
    const token = out.trim().split('\n').pop()?.trim() ?? '';
    if (!/^\S{16,}$/.test(token)) throw new Error(`voltmon token add printed no token: ${out}`);
    return token;
  }

  logTail(lines = 8): string {
    try {
      return readFileSync(this.logPath, 'utf8').trim().split('\n').slice(-lines).join(' | ');
    } catch {
      return '(no log)';
    }
  }
}
