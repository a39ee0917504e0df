/**
 * serialport's native layer (`@serialport/bindings-cpp`), used without its JavaScript wrapper. The
 * wrapper's module loads the Windows and macOS code, a `debug` logger called on every event, and port
 * listing that spawns `udevadm` (Node's child_process, cluster and dgram modules with it); its poller
 * re-emits each readiness event through an EventEmitter. A daemon reading a few frames a second keeps
 * all of that in memory and runs it on every chunk. The native functions are the same ones the wrapper
 * calls: open (termios set-up and the exclusive lock), close, and a uv_poll on the fd.
 * bindings-cpp is pinned to an exact version in package.json because this reaches into its dist/.
 */
import { promisify } from 'node:util';
import type { PortInfo } from '@serialport/bindings-cpp';
import { binding as untypedBinding } from '@serialport/bindings-cpp/dist/serialport-bindings.js';
import { FdReader, type FdReaderOptions } from './serial-reader.js';

/** uv_poll event flags, as the native poller takes and reports them. */
const POLL_READABLE = 0b001;

/** The native poller: one uv_poll on an fd; an event disarms the flags it reported. */
interface NativePoller {
  poll(events: number): void;
  stop(): void;
  destroy(): void;
}

interface NativeBinding {
  open(path: string, options: NativeOpenOptions, callback: (err: Error | null, fd: number) => void): void;
  close(fd: number, callback: (err: Error | null) => void): void;
  Poller: new (fd: number, callback: (err: Error | null, events: number) => void) => NativePoller;
}

/** What the native open takes; the same defaults bindings-cpp's Linux and macOS wrappers apply. */
interface NativeOpenOptions {
  baudRate: number;
  dataBits: 8;
  stopBits: 1;
  parity: 'none';
  rtscts: false;
  xon: false;
  xoff: false;
  xany: false;
  hupcl: true;
  lock: true;
  /** Non-canonical reads: a read returns what is there (the fd is non-blocking anyway). */
  vmin: 1;
  vtime: 0;
}

const binding = untypedBinding as NativeBinding;
const openNative = promisify(binding.open.bind(binding));
const closeNative = promisify(binding.close.bind(binding));

/** Opens a tty 8N1 without flow control, locked against a second opener; resolves with the non-blocking fd. */
export function openSerialFd(path: string, baudRate: number): Promise<number> {
  return openNative(path, {
    baudRate,
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: true,
    lock: true,
    vmin: 1,
    vtime: 0,
  });
}

export function closeSerialFd(fd: number): Promise<void> {
  return closeNative(fd);
}

function createPoller(fd: number, onEvent: (err: Error | null) => void): NativePoller {
  return new binding.Poller(fd, (err) => onEvent(err));
}

/** An FdReader on a native poll of its fd; `stop` ends both (closing the fd stays the caller's). */
export interface PolledReader {
  readonly reader: FdReader;
  stop(): void;
}

/**
 * Reads `fd` on the main thread whenever it is readable (serial ttys and hidraw nodes alike). Throws when
 * the fd cannot be polled (a regular file). The reader is not started.
 */
export function readWhenReadable(fd: number, options: Omit<FdReaderOptions, 'fd' | 'poller'>): PolledReader {
  let poller: NativePoller | null = null;
  const reader = new FdReader({
    ...options,
    fd,
    poller: {
      arm: () => poller?.poll(POLL_READABLE),
      disarm: () => poller?.stop(),
    },
  });
  const polled = createPoller(fd, reader.onReadable);
  poller = polled;
  return {
    reader,
    stop() {
      reader.stop();
      polled.stop();
      polled.destroy();
    },
  };
}

/** The serial ports the OS knows, with USB identities; loads the wrapper (and its udevadm call) only when asked. */
export async function listSerialPorts(): Promise<PortInfo[]> {
  const { autoDetect } = await import('@serialport/bindings-cpp');
  return autoDetect().list();
}

/** Local serial ports are read this way on Linux and macOS; Windows has no fd to poll. */
export const serialSupported = process.platform === 'linux' || process.platform === 'darwin';
