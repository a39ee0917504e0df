/**
 * The relay's crash story with real processes: a daemon holding the grid disconnected is SIGKILLed (no
 * hook runs, the line keeps its level), then `voltmon relay safe` — what systemd's ExecStopPost= runs —
 * connects the grid. A crash by uncaught exception is handled by the exit hook alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const RELAY_MODULE = pathToFileURL(join(ROOT, 'src/main/devices/relay/index.ts')).href;
const CLI = join(ROOT, 'src/headless/cli.ts');

function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `import { createRelayDriver, connectGridOnExit, fileLine } from ${JSON.stringify(RELAY_MODULE)};\n${body}\n`);
  return path;
}

const level = (path: string): string => readFileSync(path, 'utf8').trim();

/** Runs a script under tsx and resolves once it printed `marker`. */
function startChild(path: string, args: string[], marker: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) resolveReady();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before '${marker}': ${err}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, ready, exited };
}

describe('relay fail-safe across process death', () => {
  it('SIGKILL leaves the line disconnected; voltmon relay safe connects the grid again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-crash-'));
    const line = join(dir, 'gpio26');
    const daemon = script(
      dir,
      'daemon.mts',
      `const driver = createRelayDriver({ openLine: fileLine(process.argv[2]), polarity: 'activeLow', batteryGuard: false });
await driver.start();
connectGridOnExit(driver);
await driver.setGridConnected(false);
process.stdout.write('disconnected\\n');
setInterval(() => {}, 1000);`,
    );
    const run = startChild(daemon, [line], 'disconnected');
    await run.ready;
    expect(level(line)).toBe('1');
    run.child.kill('SIGKILL');
    expect(await run.exited).toMatchObject({ signal: 'SIGKILL' });
    // No hook ran: the line keeps the disconnected level, as a real GPIO line would.
    expect(level(line)).toBe('1');

    const safe = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'relay', 'safe', '--gpio-file', line, '--polarity', 'activeLow'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(safe.stderr).toBe('');
    expect(safe.status).toBe(0);
    expect(safe.stdout).toMatch(/^grid connected/);
    expect(level(line)).toBe('0');

    const status = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'relay', 'status', '--gpio-file', line, '--polarity', 'activeLow'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(status.stdout).toMatch(/^grid connected/);
  });

  it('an uncaught exception runs the exit hook, which connects the grid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-crash-'));
    const line = join(dir, 'gpio26');
    const daemon = script(
      dir,
      'throws.mts',
      `const driver = createRelayDriver({ openLine: fileLine(process.argv[2]), polarity: 'activeHigh', batteryGuard: false });
await driver.start();
connectGridOnExit(driver);
await driver.setGridConnected(false);
process.stdout.write('disconnected\\n');
setTimeout(() => { throw new Error('simulated crash'); }, 50);`,
    );
    const run = startChild(daemon, [line], 'disconnected');
    await run.ready;
    expect(level(line)).toBe('0');
    expect((await run.exited).code).toBe(1);
    expect(level(line)).toBe('1');
  });

  it('voltmon relay rejects a bad command line with a usage line and exit 2', () => {
    const bad = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'relay', 'safe', '--polarity', 'sideways'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: voltmon relay/);
  });
});
