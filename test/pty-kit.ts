/**
 * Support for tests of transports over real socat ptys: pairs and a serialport peer on the far end, all
 * closed after each test. socat is required: without it these tests fail, they do not skip.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach } from 'vitest';
import { openPtyPair, type PtyPair } from '../src/main/sim/index.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const until = async (condition: () => boolean, what: string, limitMs = 8000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
};

export const peerWrite = (peer: SerialPort, bytes: Buffer): Promise<void> =>
  new Promise((resolve, reject) => peer.write(bytes, (err) => (err ? reject(err) : peer.drain(() => resolve()))));

/**
 * Writes `pieces` from the peer one every `everyMs`, as a slow device hands its reply to a USB adapter;
 * resolves with when the last piece was written (performance.now()).
 */
export async function writePaced(peer: SerialPort, pieces: readonly Buffer[], everyMs: number): Promise<number> {
  let lastWrittenAt = 0;
  for (const piece of pieces) {
    await peerWrite(peer, piece);
    lastWrittenAt = performance.now();
    await sleep(everyMs);
  }
  return lastWrittenAt;
}

/** Registers the clean-up of everything it opens; call once at the top of a test file. */
export function ptyKit() {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** Run `cleanup` after the current test, before what was registered earlier. */
    defer(cleanup: () => Promise<void> | void): void {
      cleanups.push(cleanup);
    },
    /** A socat pty pair whose client end is also reachable at `link`, so a re-made pair has the same path. */
    async pair(link?: string): Promise<PtyPair> {
      const made = await openPtyPair(link ? { link } : {});
      cleanups.push(() => made.close());
      return made;
    },
    async openPeer(path: string): Promise<SerialPort> {
      const port = new SerialPort({ path, baudRate: 2400, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      port.on('error', () => undefined);
      cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
      return port;
    },
  };
}

/**
 * Runs `source` (an ES module, TypeScript allowed) in a child Node process and resolves with its exit code
 * (null when it had to be killed after 15 s) and what it printed: a test that a transport leaves nothing
 * behind that keeps a process alive.
 */
export async function runModule(source: string): Promise<{ exitCode: number | null; output: string }> {
  const script = join(mkdtempSync(join(tmpdir(), 'voltmon-pty-kit-')), 'script.mts');
  writeFileSync(script, source);
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { exitCode, output: output.trim() };
}
