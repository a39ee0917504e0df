/**
 * What the screen knows right now: the latest value of every series, device links, health, recent
 * events, and whether the stream is up. Fed by stream messages; read by React through subscribe/get and
 * by charts through onSample (they append in place without a React render).
 */
import type { HealthResponse, LiveResponse, StreamMessage } from '../../shared/api';
import type { EngineEvent } from '../../shared/events';
import type { DeviceKind, FieldValue, LinkState, Sample } from '../../shared/samples';
import { parseSeriesName, seriesName } from '../../shared/samples';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

export interface ConnectionInfo {
  state: StreamState;
  /** Failed attempts since the stream was last up. */
  attempt: number;
  /** When the next attempt starts (reconnecting only). */
  nextRetryAtMs: number | null;
  /** When the last message arrived: the age of what is on screen. */
  lastMessageAtMs: number | null;
  /** Has any snapshot arrived since the page loaded? Before that there is nothing to show. */
  everConnected: boolean;
}

export interface LiveEntry {
  value: FieldValue;
  tsMs: number;
}

export type LiveEvent = EngineEvent & { id: number };

const MAX_EVENTS = 100;

export class LiveStore {
  private readonly values = new Map<string, LiveEntry>();
  private readonly listeners = new Set<() => void>();
  private readonly sampleListeners = new Set<(sample: Sample) => void>();
  private flushPending = false;
  private connectionInfo: ConnectionInfo = { state: 'connecting', attempt: 0, nextRetryAtMs: null, lastMessageAtMs: null, everConnected: false };
  private healthInfo: HealthResponse | null = null;
  private linkStates: Partial<Record<DeviceKind, LinkState>> = {};
  private recentEvents: LiveEvent[] = [];
  /** Bumped on every change: a cheap snapshot for views that read many series at once. */
  version = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** Coalesces notifications: a burst of samples re-renders once. */
    private readonly schedule: (flush: () => void) => void = (flush) => setTimeout(flush, 50),
  ) {}

  get(series: string): LiveEntry | undefined {
    return this.values.get(series);
  }

  value(series: string): FieldValue | undefined {
    return this.values.get(series)?.value;
  }

  get connection(): ConnectionInfo {
    return this.connectionInfo;
  }

  get health(): HealthResponse | null {
    return this.healthInfo;
  }

  get links(): Partial<Record<DeviceKind, LinkState>> {
    return this.linkStates;
  }

  get events(): readonly LiveEvent[] {
    return this.recentEvents;
  }

  /**
   * Whether a series' value may be out of date: the stream is down, or its device is not online.
   * Settings and the relay change rarely, so age alone does not make a value stale.
   */
  isStale(series: string): boolean {
    if (this.connectionInfo.state !== 'open') return true;
    const device = parseSeriesName(series)?.device;
    if (!device) return false;
    const link = this.linkStates[device];
    return link !== undefined && link !== 'online';
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  onSample(listener: (sample: Sample) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  apply(message: StreamMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.applySnapshot(message.live, message.health);
        break;
      case 'sample':
        this.applySample(message.sample);
        break;
      case 'link':
        this.linkStates = { ...this.linkStates, [message.device]: message.state };
        break;
      case 'event':
        this.recentEvents = [message.event, ...this.recentEvents.filter((e) => e.id !== message.event.id)].slice(0, MAX_EVENTS);
        break;
      case 'control':
        // Control results also arrive as events (the audit log); the Control page shows its own answers.
        break;
    }
    this.setConnection({ state: 'open', attempt: 0, nextRetryAtMs: null, lastMessageAtMs: this.now(), everConnected: true });
  }

  setConnection(next: Partial<ConnectionInfo>): void {
    const merged = { ...this.connectionInfo, ...next };
    const c = this.connectionInfo;
    if (merged.state === c.state && merged.attempt === c.attempt && merged.nextRetryAtMs === c.nextRetryAtMs && merged.lastMessageAtMs === c.lastMessageAtMs && merged.everConnected === c.everConnected) return;
    this.connectionInfo = merged;
    this.changed();
  }

  private applySnapshot(live: LiveResponse, health: HealthResponse): void {
    for (const [name, entry] of Object.entries(live.series)) this.setValue(name, entry.value, entry.tsMs);
    this.linkStates = { ...live.links };
    for (const d of health.devices) this.linkStates[d.device] = d.link;
    this.healthInfo = health;
    this.changed();
  }

  private applySample(sample: Sample): void {
    for (const [field, value] of Object.entries(sample.values)) this.setValue(seriesName(sample.device, field), value, sample.tsMs);
    // A sample proves its device answers, whatever link message may have been missed.
    if (this.linkStates[sample.device] !== 'online') this.linkStates = { ...this.linkStates, [sample.device]: 'online' };
    for (const listener of this.sampleListeners) listener(sample);
  }

  private setValue(name: string, value: FieldValue, tsMs: number): void {
    const old = this.values.get(name);
    if (old && old.tsMs > tsMs) return;
    if (old && old.value === value && old.tsMs === tsMs) return;
    this.values.set(name, { value, tsMs });
    this.changed();
  }

  private changed(): void {
    this.version += 1;
    if (this.flushPending) return;
    this.flushPending = true;
    this.schedule(() => {
      this.flushPending = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
