/**
 * The part of a DeviceDriver that is the same for every device polled over a byte link (inverter, BMS,
 * SDM230): start/stop, link state, statistics and listeners all come from its DeviceRuntime. A driver
 * adds what to do when the link (re)opens and one turn of its poll loop.
 */
import type { EngineEvent } from '../../../shared/events.js';
import type { DeviceKind, DeviceStats, LinkState, Sample } from '../../../shared/samples.js';
import type { Transport } from '../../transport/types.js';
import type { DeviceDriver } from '../types.js';
import type { BackoffOptions } from './backoff.js';
import { DeviceRuntime } from './device-runtime.js';
import type { PlausibilityRule } from './plausibility.js';
import type { FrameAssembler } from './request-queue.js';

/** Options every polled driver takes; each driver's own options extend these. */
export interface PolledDriverOptions {
  transport: Transport;
  /** Per attempt. */
  replyTimeoutMs?: number;
  /** Extra attempts for a request that timed out or arrived damaged. */
  retries?: number;
  /** Replaces the driver's default plausibility rules. */
  plausibility?: readonly PlausibilityRule[];
  /** Reconnect delays while the device is unplugged. */
  backoff?: BackoffOptions;
  /** Consecutive failed requests after which an open link counts as offline. */
  offlineAfterFailures?: number;
  /** Wall clock for sample timestamps (UTC ms). */
  clock?: () => number;
}

export abstract class PolledDriver implements DeviceDriver {
  abstract readonly kind: DeviceKind;
  abstract readonly description: string;
  protected readonly runtime: DeviceRuntime;

  /** `assembler` cuts the device's frames from the byte stream (none: each exchange brings its own). */
  constructor(kind: DeviceKind, options: PolledDriverOptions, assembler?: FrameAssembler) {
    this.runtime = new DeviceRuntime({
      kind,
      transport: options.transport,
      assembler,
      backoff: options.backoff,
      offlineAfterFailures: options.offlineAfterFailures,
      clock: options.clock,
    });
  }

  async start(): Promise<void> {
    this.runtime.start({ onOpen: async () => this.onOpen(), tick: () => this.tick() });
  }

  stop(): Promise<void> {
    return this.runtime.stop();
  }

  linkState(): LinkState {
    return this.runtime.linkState();
  }

  stats(): DeviceStats {
    return this.runtime.stats();
  }

  onSample(listener: (sample: Sample) => void): () => void {
    return this.runtime.onSample(listener);
  }

  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void {
    return this.runtime.onLinkState(listener);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.runtime.onEvent(listener);
  }

  /** Runs each time the link has (re)opened, before the first poll on it: forget what the last connection learnt. */
  protected abstract onOpen(): void;

  /** One turn of the poll loop; resolves to the instant (the runtime's clock, UTC ms) of the next turn. */
  protected abstract tick(): Promise<number>;
}
