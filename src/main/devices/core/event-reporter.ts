/** Reports for people (implausible replies, refused commands), at most one per key per interval so a fault that repeats every second does not flood the event log. */
import type { EngineEvent } from '../../../shared/events.js';
import type { DeviceKind } from '../../../shared/samples.js';
import { Listeners } from '../../transport/listeners.js';

export class EventReporter {
  private readonly listeners = new Listeners<[EngineEvent]>();
  private readonly last = new Map<string, { atMs: number; suppressed: number }>();

  constructor(
    private readonly device: DeviceKind,
    private readonly clock: () => number,
    private readonly intervalMs = 60_000,
  ) {}

  onEvent(listener: (event: EngineEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  report(key: string, kind: EngineEvent['kind'], message: string, data: Record<string, unknown> = {}): void {
    const nowMs = this.clock();
    const last = this.last.get(key);
    if (last && nowMs - last.atMs < this.intervalMs) {
      last.suppressed++;
      return;
    }
    this.last.set(key, { atMs: nowMs, suppressed: 0 });
    const suppressed = last?.suppressed ?? 0;
    this.listeners.emit({ tsMs: nowMs, kind, device: this.device, message, data: suppressed ? { ...data, suppressedSinceLast: suppressed } : data });
  }
}
