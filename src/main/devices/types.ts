/** What the engine sees of every device driver (inverter, BMS, meter, relay). */
import type { EngineEvent } from '../../shared/events.js';
import type { DeviceKind, DeviceStats, LinkState, Sample } from '../../shared/samples.js';

export interface DeviceDriver {
  readonly kind: DeviceKind;
  readonly description: string;
  start(): Promise<void>;
  /** Stop polling, close the link, clear every timer. */
  stop(): Promise<void>;
  linkState(): LinkState;
  stats(): DeviceStats;
  onSample(listener: (sample: Sample) => void): () => void;
  onLinkState(listener: (state: LinkState, reason?: string) => void): () => void;
  /** Things a person should read (implausible replies, refused commands, a different device on the port); rate-limited. */
  onEvent?(listener: (event: EngineEvent) => void): () => void;
}
