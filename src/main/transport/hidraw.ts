/**
 * Linux `/dev/hidraw*`: the inverter's USB-HID port. The node is opened non-blocking and read by a short
 * adaptive poll, because a blocking read would pin a libuv worker thread until the inverter speaks and
 * could not be interrupted by close().
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { LinkState } from '../../shared/samples.js';
import { classifyOsError, TransportError } from './errors.js';
import { HID_REPORT_SIZE, hidReportPayload, toHidReports } from './hid-reports.js';
import { Listeners } from './listeners.js';
import type { Transport } from './types.js';

export interface HidrawTransportOptions {
  path: string;
  reportSize?: number;
  /** Poll delay right after traffic; it doubles while the line is quiet up to `idlePollMs`. */
  activePollMs?: number;
  idlePollMs?: number;
}

export class HidrawTransport implements Transport {
  readonly description: string;
  private handle: FileHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pollMs: number;
  private readonly reportSize: number;
  private readonly activePollMs: number;
  private readonly idlePollMs: number;
  private readonly dataListeners = new Listeners<[Buffer]>();
  private readonly linkListeners = new Listeners<[LinkState, string | undefined]>();

  constructor(private readonly options: HidrawTransportOptions) {
    this.description = `hidraw:${options.path}`;
    this.reportSize = options.reportSize ?? HID_REPORT_SIZE;
    this.activePollMs = options.activePollMs ?? 2;
    this.idlePollMs = options.idlePollMs ?? 25;
    this.pollMs = this.activePollMs;
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  async open(): Promise<void> {
    if (this.handle) return;
    try {
      this.handle = await open(this.options.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (err) {
      throw classifyOsError(this.description, err);
    }
    this.pollMs = this.activePollMs;
    this.schedule(this.handle);
    this.linkListeners.emit('online', undefined);
  }

  async write(data: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new TransportError('notOpen', `${this.description}: not open`);
    try {
      for (const report of toHidReports(data, this.reportSize)) await handle.write(report);
    } catch (err) {
      const error = classifyOsError(this.description, err);
      this.lost(handle, error.message);
      throw error;
    }
    this.pollMs = this.activePollMs;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = null;
    this.clearTimer();
    await handle.close().catch(() => undefined);
    this.linkListeners.emit('offline', 'closed');
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.dataListeners.add(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.linkListeners.add(listener);
  }

  private schedule(handle: FileHandle): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.readOnce(handle);
    }, this.pollMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async readOnce(handle: FileHandle): Promise<void> {
    const buffer = Buffer.alloc(this.reportSize * 8);
    let bytesRead = 0;
    try {
      ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      // A non-blocking read with nothing to say fails with EAGAIN; 0 bytes is end of file: the device hung up.
      if (bytesRead === 0) {
        this.lost(handle, `${this.description}: device went away (end of file)`);
        return;
      }
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
        this.lost(handle, classifyOsError(this.description, err).message);
        return;
      }
    }
    if (this.handle !== handle) return;
    if (bytesRead > 0) {
      // The kernel hands out one report per read; a pty used in tests may merge several, so cut by size.
      for (let offset = 0; offset < bytesRead; offset += this.reportSize) {
        const report = buffer.subarray(offset, Math.min(offset + this.reportSize, bytesRead));
        this.dataListeners.emit(Buffer.from(hidReportPayload(report)));
      }
      this.pollMs = this.activePollMs;
    } else {
      this.pollMs = Math.min(this.pollMs * 2, this.idlePollMs);
    }
    if (this.handle === handle) this.schedule(handle);
  }

  private lost(handle: FileHandle, reason: string): void {
    if (this.handle !== handle) return;
    this.handle = null;
    this.clearTimer();
    void handle.close().catch(() => undefined);
    this.linkListeners.emit('offline', reason);
  }
}
