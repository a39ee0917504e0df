/**
 * socat pty pairs for the acquisition tests (test/acq-*.test.ts). Rejects, never skips, when socat is
 * missing. (Kept here rather than using src/main/sim's openPtyPair, which can miss socat's "ready" line
 * when its log arrives in two chunks.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';
import type { DeviceSimulator } from '../src/main/sim/index.js';

export interface PtyPair {
  /** The two ends; with `link`, `b` is the symlink. */
  a: string;
  b: string;
  close(): Promise<void>;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  });
}

/** `socat pty pty`; with `link`, the second end also appears under that stable path (like a udev name). */
export function ptyPair(link?: string): Promise<PtyPair> {
  const second = link ? `pty,raw,echo=0,link=${link}` : 'pty,raw,echo=0';
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', second], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    let done = false;
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`socat did not start within 5 s: ${stderr}`));
    }, 5000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`socat is required for the acquisition tests (apt install socat): ${err.message}`));
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr += text;
      const paths = [...stderr.matchAll(/PTY is (\/dev\/\S+)/g)].map((m) => m[1] as string);
      if (done || paths.length < 2 || !stderr.includes('starting data transfer loop')) return;
      done = true;
      clearTimeout(timer);
      resolve({ a: paths[0] as string, b: link ?? (paths[1] as string), close: () => stop(child) });
    });
  });
}

export interface Plug {
  /** The path a driver opens. */
  clientPath: string;
  /** Unplug: the simulator lets go and the pty pair vanishes. */
  close(): Promise<void>;
}

/** A pty pair with `sim` attached to one end; the driver opens `clientPath` (the stable `link` when given). */
export async function plug(sim: DeviceSimulator, link?: string): Promise<Plug> {
  const pair = await ptyPair(link);
  const port = new SerialPort({ path: pair.a, baudRate: sim.baud, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    await pair.close();
    throw err;
  }
  port.on('error', () => undefined);
  const detach = sim.attach({
    write: (data) => {
      if (port.isOpen) port.write(Buffer.from(data));
    },
    onData: (listener) => {
      port.on('data', listener);
      return () => port.off('data', listener);
    },
  });
  return {
    clientPath: pair.b,
    async close() {
      detach();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
    },
  };
}
