/**
 * The HTTP/WS API's message shapes (DESIGN.md §3), shared by the server (src/main/api) and every client
 * (src/renderer, peers). All under /api/v1/. Times are UTC milliseconds.
 */
import type { ControlAction, ControlOutcome } from './control.js';
import type { EngineEvent } from './events.js';
import type { DeviceKind, DeviceStats, FieldValue, LinkState, Sample } from './samples.js';

export const API_PREFIX = '/api/v1';
export const DEFAULT_PORT = 48211;

/** GET /health (no auth). */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  site: string;
  version: string;
  uptimeS: number;
  simulated: boolean;
  devices: Array<{ device: DeviceKind; link: LinkState; description: string; stats: DeviceStats; lastSampleTsMs: number | null }>;
  sync: { enabled: boolean; connected: boolean; backlog: number; lastError: string | null };
  controller: { mode: 'off' | 'on' | 'dryRun' };
}

/** GET /live: the latest value of every series, with the time it was read. */
export interface LiveResponse {
  tsMs: number;
  /** The same values without their times, for simple clients (scripts, home automation); sent before `series`. */
  values?: Record<string, FieldValue>;
  series: Record<string, { value: FieldValue; tsMs: number }>;
  links: Partial<Record<DeviceKind, LinkState>>;
}

/** One bucket of a history answer: min/avg/max over [tsMs, tsMs + bucketMs). */
export interface HistoryPoint {
  tsMs: number;
  min: number;
  avg: number;
  max: number;
  count: number;
}

/** GET /history?series=a,b&from=&to=&points=N */
export interface HistoryResponse {
  from: number;
  to: number;
  /** Which store level answered: raw, 1m, 1h, 1d. */
  level: 'raw' | '1m' | '1h' | '1d';
  bucketMs: number;
  series: Record<string, HistoryPoint[]>;
  /** Enum and text series (mode, priorities, alarms) have no min/max: their changes in the range, the value in effect at `from` first. */
  changes?: Record<string, Array<{ tsMs: number; value: FieldValue }>>;
}

export interface EnergyTotals {
  pvProduced: number;
  loadConsumed: number;
  gridImported: number;
  gridExported: number;
  batteryCharged: number;
  batteryDischarged: number;
}

/** GET /energy?period=hour|day|month&from=&to= : kWh per period, in the site's time zone. */
export interface EnergyResponse {
  period: 'hour' | 'day' | 'month';
  timeZone: string;
  rows: Array<{ startTsMs: number; label: string; kwh: EnergyTotals; selfConsumptionPct: number | null; selfSufficiencyPct: number | null }>;
}

/** GET /events?from=&to=&kind=&limit= */
export interface EventsResponse {
  events: Array<EngineEvent & { id: number }>;
}

/** POST /control body is a ControlAction; the answer says what really happened. */
export interface ControlResponse {
  id: number;
  action: ControlAction;
  outcome: ControlOutcome;
}

/** GET /session: who the token belongs to, and whether acting needs the kiosk PIN too. */
export interface SessionResponse {
  name: string;
  role: 'viewer' | 'operator';
  pinRequired: boolean;
}

/** GET/PUT /controller */
export interface ControllerSettingsResponse {
  mode: 'off' | 'on' | 'dryRun';
  thresholds: Record<string, number>;
}

/** WS /stream messages, server to client. The first is a snapshot; then deltas as they arrive. */
export type StreamMessage =
  | { type: 'snapshot'; live: LiveResponse; health: HealthResponse }
  | { type: 'sample'; sample: Sample }
  | { type: 'link'; device: DeviceKind; state: LinkState; tsMs: number }
  | { type: 'event'; event: EngineEvent & { id: number } }
  | { type: 'control'; result: ControlResponse };

export interface ApiError {
  error: string;
  message: string;
}
