/**
 * Other voltmon instances this one talks to over their API: a client, the relay a peer owns (driven
 * with POST /control, watched through GET /live), and the watchdog's view of the controller host
 * (GET /health; its silence makes the local relay connect the grid).
 */
import type { ControlResponse, LiveResponse } from '../../shared/api.js';
import { API_PREFIX } from '../../shared/api.js';
import type { PeerConfig } from '../../shared/config.js';
import type { DeviceStats, FieldValue, LinkState, Sample } from '../../shared/samples.js';
import { ControlResponseSchema, HealthResponseSchema, LiveResponseSchema } from '../api/response-schemas.js';
import type { RelayPort } from '../control/ports.js';
import type { DeviceDriver } from '../devices/types.js';
import { Listeners } from '../transport/listeners.js';
import { httpFetch, type HttpFetch, type HttpFetchInit, type HttpFetchResponse } from '../net/http-fetch.js';

export class PeerError extends Error {
  override readonly name = 'PeerError';
}

export interface PeerClient {
  readonly name: string;
  readonly url: string;
  get(path: string, withToken: boolean): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
}

export function createPeerClient(peer: PeerConfig, timeoutMs = 5000, fetchImpl: HttpFetch = httpFetch): PeerClient {
  const base = peer.url.replace(/\/+$/, '') + API_PREFIX;
  const headers = (withToken: boolean, json: boolean): Record<string, string> => ({
    accept: 'application/json',
    ...(json ? { 'content-type': 'application/json' } : {}),
    ...(withToken && peer.token ? { authorization: `Bearer ${peer.token}` } : {}),
  });
  const call = async (path: string, init: HttpFetchInit): Promise<unknown> => {
    let res: HttpFetchResponse;
    try {
      res = await fetchImpl(base + path, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new PeerError(`${peer.name} (${peer.url}) did not answer: ${err instanceof Error ? err.message : String(err)}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PeerError(`${peer.name} answered ${res.status} with a body that is not JSON`);
    }
    if (!res.ok) {
      const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : text.slice(0, 200);
      throw new PeerError(`${peer.name} answered ${res.status}: ${message}`);
    }
    return body;
  };
  return {
    name: peer.name,
    url: peer.url,
    get: (path, withToken) => call(path, { method: 'GET', headers: headers(withToken, false) }),
    post: (path, body) => call(path, { method: 'POST', headers: headers(true, true), body: JSON.stringify(body) }),
  };
}

const emptyStats = (): DeviceStats => ({ framesOk: 0, crcErrors: 0, timeouts: 0, naks: 0, implausible: 0, reconnects: 0, lastPollLatencyMs: null });

export interface PeerRelayOptions {
  client: PeerClient;
  pollMs?: number;
  /** Consecutive failed polls before the relay counts as offline (default 3). */
  offlineAfterFailures?: number;
  now?: () => number;
}

export type PeerRelay = DeviceDriver & RelayPort;

/** The grid relay of another instance, as a device of this one: its state polled, switched through its API. */
export function createPeerRelay(options: PeerRelayOptions): PeerRelay {
  const { client } = options;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 5000;
  const offlineAfter = options.offlineAfterFailures ?? 3;
  const sampleListeners = new Listeners<[Sample]>();
  const linkListeners = new Listeners<[LinkState, string?]>();
  const stats = emptyStats();
  let link: LinkState = 'connecting';
  let state: boolean | null = null;
  let stateTsMs = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;

  const setLink = (next: LinkState, reason?: string): void => {
    if (next === link) return;
    link = next;
    linkListeners.emit(next, reason);
  };
  const publish = (connected: boolean, tsMs: number): void => {
    const changed = connected !== state || tsMs > stateTsMs;
    state = connected;
    stateTsMs = Math.max(stateTsMs, tsMs);
    if (!changed) return;
    const sample: Sample = { device: 'relay', tsMs, source: `peer:${client.name}`, values: { gridConnected: connected } };
    sampleListeners.emit(sample);
  };

  async function poll(): Promise<void> {
    const started = now();
    try {
      const live: LiveResponse = LiveResponseSchema.parse(await client.get('/live', true));
      const entry = live.series['relay.gridConnected'];
      stats.lastPollLatencyMs = now() - started;
      if (!entry || typeof entry.value !== 'boolean') throw new PeerError(`${client.name} reports no relay.gridConnected`);
      stats.framesOk += 1;
      failures = 0;
      setLink(live.links.relay === 'online' ? 'online' : 'offline', `${client.name} reports its relay ${live.links.relay ?? 'unknown'}`);
      publish(entry.value, entry.tsMs);
    } catch (err) {
      stats.timeouts += 1;
      failures += 1;
      if (failures >= offlineAfter) {
        state = null;
        setLink('offline', err instanceof Error ? err.message : String(err));
      }
    }
  }

  const pollOnce = (): Promise<void> => {
    polling ??= poll().finally(() => {
      polling = null;
    });
    return polling;
  };

  return {
    kind: 'relay',
    description: `grid relay of peer ${client.name} (${client.url})`,
    async start() {
      if (timer) return;
      timer = setInterval(() => void pollOnce(), pollMs);
      void pollOnce();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await polling;
      setLink('offline', 'stopped');
    },
    linkState: () => link,
    stats: () => ({ ...stats }),
    onSample: (listener) => sampleListeners.add(listener),
    onLinkState: (listener) => linkListeners.add(listener),
    async setGridConnected(connected) {
      const body = await client.post('/control', { action: 'setGridRelay', value: connected ? 'connected' : 'disconnected' });
      const result: ControlResponse = ControlResponseSchema.parse(body);
      const { outcome } = result;
      if (outcome.status === 'refused' || outcome.status === 'failed') throw new PeerError(`${client.name} ${outcome.status}: ${outcome.reason}`);
      if (outcome.status === 'dryRun') throw new PeerError(`${client.name} only simulated the switch: ${outcome.message}`);
      const after = outcome.status === 'applied' && typeof outcome.after === 'boolean' ? outcome.after : connected;
      publish(after, now());
      return after;
    },
    isGridConnected: () => (now() - stateTsMs <= 3 * pollMs + 60_000 ? state : null),
  };
}

export interface PeerWatchOptions {
  client: PeerClient;
  pollMs: number;
  /** The peer answered its health check. */
  onAlive: () => void;
  /** Battery readings of the peer (when it has a token), for the relay's battery guard. */
  onSample?: (sample: Sample) => void;
  now?: () => number;
}

export interface PeerWatch {
  start(): void;
  stop(): Promise<void>;
  lastAliveMs(): number | null;
}

const BATTERY_SERIES: Record<string, { device: 'inverter' | 'bms'; field: string }> = {
  'inverter.batteryVoltageV': { device: 'inverter', field: 'batteryVoltageV' },
  'bms.totalVoltageV': { device: 'bms', field: 'totalVoltageV' },
  'bms.currentA': { device: 'bms', field: 'currentA' },
};

/** Polls a peer's health (the watchdog's heartbeat) and, with a token, its battery values. */
export function watchPeer(options: PeerWatchOptions): PeerWatch {
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let aliveMs: number | null = null;

  async function check(): Promise<void> {
    try {
      HealthResponseSchema.parse(await options.client.get('/health', false));
      aliveMs = now();
      options.onAlive();
    } catch {
      return;
    }
    if (!options.onSample) return;
    try {
      const live = LiveResponseSchema.parse(await options.client.get('/live', true));
      const byDevice = new Map<'inverter' | 'bms', { tsMs: number; values: Record<string, FieldValue> }>();
      for (const [name, where] of Object.entries(BATTERY_SERIES)) {
        const entry = live.series[name];
        if (!entry) continue;
        const sample = byDevice.get(where.device) ?? { tsMs: entry.tsMs, values: {} };
        sample.values[where.field] = entry.value;
        sample.tsMs = Math.min(sample.tsMs, entry.tsMs);
        byDevice.set(where.device, sample);
      }
      for (const [device, s] of byDevice) options.onSample({ device, tsMs: s.tsMs, source: `peer:${options.client.name}`, values: s.values });
    } catch {
      // Without battery values the guard counts them as unknown; the heartbeat above is what matters.
    }
  }

  return {
    start() {
      if (timer) return;
      const run = (): void => {
        running ??= check().finally(() => {
          running = null;
        });
      };
      timer = setInterval(run, options.pollMs);
      run();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
    lastAliveMs: () => aliveMs,
  };
}
