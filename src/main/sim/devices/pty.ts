/**
 * Pseudo-terminal pairs from socat, so a simulator looks like a serial device to any program
 * (voltmon's serial transport, mbpoll, minicom): the simulator holds one end, the client opens the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { DeviceSimulator } from './device-simulator.js';

export interface PtyPair {
  /** The end the simulator opens. */
  simPath: string;
  /** The end to hand to the client (the symlink when one was asked for). */
  clientPath: string;
  /** Stop socat; both paths vanish. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 5000;
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

export interface PtyOptions {
  socatPath?: string;
  /**
   * Also make `link` a symlink to the client end (socat's `link=`), so a config can name a stable path.
   * Refused under /dev: a simulator must never shadow a real device node.
   */
  link?: string;
}

/**
 * What socat's `-d -d` log on stderr has said so far. stderr arrives in chunks cut anywhere, so only
 * whole lines are read: a chunk ending in `PTY is /dev/pts/1` may be the first half of `/dev/pts/12`.
 */
export class SocatLog {
  /** The pty paths in the order socat opened them: the first address's end, then the second's. */
  readonly ptyPaths: string[] = [];
  private transferLoop = false;
  private partial = '';
  private text = '';

  /** Take the next chunk of stderr; true once both ptys are reported and socat has started relaying. */
  push(chunk: string): boolean {
    this.text += chunk;
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const pty = /\bPTY is (\/\S+)\s*$/.exec(line);
      if (pty?.[1] && !this.ptyPaths.includes(pty[1])) this.ptyPaths.push(pty[1]);
      if (line.includes('starting data transfer loop')) this.transferLoop = true;
    }
    return this.ready;
  }

  get ready(): boolean {
    return this.ptyPaths.length >= 2 && this.transferLoop;
  }

  /** Everything socat wrote so far, for error messages. */
  toString(): string {
    return this.text.trim();
  }
}

/** Start `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and read the two /dev/pts paths it reports. */
export function openPtyPair(options: PtyOptions = {}): Promise<PtyPair> {
  if (options.link !== undefined && (!options.link.startsWith('/') || options.link.startsWith('/dev/') || /[,!:]/.test(options.link))) {
    return Promise.reject(new Error(`cannot link a simulated pty at ${options.link}: use an absolute path outside /dev without , ! or :`));
  }
  const clientAddress = options.link ? `pty,raw,echo=0,link=${options.link}` : 'pty,raw,echo=0';
  const socatArgs = [options.socatPath ?? 'socat', '-d', '-d', 'pty,raw,echo=0', clientAddress];
  // setpriv makes the kernel stop socat when we die, even by SIGKILL: no orphaned ptys.
  const [command = 'socat', ...args] = SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', '--', ...socatArgs] : socatArgs;
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    const log = new SocatLog();
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`socat did not report two ptys within ${READY_TIMEOUT_MS} ms: ${log.toString()}`), READY_TIMEOUT_MS);
    child.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? 'socat is not installed (apt install socat): it is needed for simulated serial ports' : `socat: ${err.message}`),
    );
    child.once('exit', (code) => {
      if (code === 127) fail(`socat is not installed (apt install socat): it is needed for simulated serial ports (${log.toString()})`);
      else fail(`socat exited (${String(code)}) before its ptys were ready: ${log.toString()}`);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Once ready, stderr is still read (and dropped) so socat never blocks on a full pipe.
      if (settled || !log.push(chunk)) return;
      settled = true;
      clearTimeout(timer);
      const [simPath = '', ptyPath = ''] = log.ptyPaths;
      resolve({ simPath, clientPath: options.link ?? ptyPath, close: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface PtyAttachment {
  clientPath: string;
  simPath: string;
  close(): Promise<void>;
}

/** A pty pair with the simulator attached to its sim end: hand `clientPath` to the client. */
export async function exposeOnPty(simulator: DeviceSimulator, options: PtyOptions = {}): Promise<PtyAttachment> {
  const pair = await openPtyPair(options);
  const port = new SerialPort({ path: pair.simPath, baudRate: simulator.baud, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (err) {
    await pair.close();
    throw err;
  }
  port.on('error', () => undefined);
  const detach = simulator.attach({
    write: (data) => {
      if (port.isOpen) port.write(Buffer.from(data));
    },
    onData: (listener) => {
      port.on('data', listener);
      return () => port.off('data', listener);
    },
  });
  return {
    clientPath: pair.clientPath,
    simPath: pair.simPath,
    async close() {
      detach();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.close();
    },
  };
}
