/** Fakes and helpers shared by the API tests: in-memory ports, a real token store, raw HTTP on loopback. */
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControllerSettingsResponse, HealthResponse, LiveResponse, StreamMessage } from '../src/shared/api.js';
import type { ControlAction, ControlOrigin } from '../src/shared/control.js';
import type { EnergyQuery, EventQuery, HistoryQuery } from '../src/main/store/types.js';
import type { ApiPorts, ControllerUpdate } from '../src/main/api/ports.js';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../src/main/api/index.js';
import { openTokenStore, type TokenStore } from '../src/main/auth/token-store.js';

export class FakePorts implements ApiPorts {
  readonly historyQueries: HistoryQuery[] = [];
  readonly energyQueries: EnergyQuery[] = [];
  readonly eventQueries: EventQuery[] = [];
  readonly controlCalls: Array<{ action: ControlAction; origin: ControlOrigin }> = [];
  readonly controllerUpdates: ControllerUpdate[] = [];
  controller: ControllerSettingsResponse = { mode: 'off', thresholds: { gridOnV: 51.2, gridOffV: 51.8 } };
  private listeners = new Set<(m: StreamMessage) => void>();
  liveState: LiveResponse = {
    tsMs: 1_767_261_600_000,
    series: { 'inverter.batteryVoltageV': { value: 52.4, tsMs: 1_767_261_600_000 }, 'bms.socPct': { value: 61.5, tsMs: 1_767_261_600_000 } },
    links: { inverter: 'online', bms: 'online' },
  };

  health(): HealthResponse {
    return {
      status: 'ok',
      site: 'test-site',
      version: '0.0.0-test',
      uptimeS: 12,
      simulated: true,
      devices: [
        {
          device: 'inverter',
          link: 'online',
          description: 'memory:inverter',
          stats: { framesOk: 100, crcErrors: 3, timeouts: 1, naks: 0, implausible: 2, reconnects: 0, lastPollLatencyMs: 480 },
          lastSampleTsMs: 1_767_261_600_000,
        },
      ],
      sync: { enabled: false, connected: false, backlog: 0, lastError: null },
      controller: { mode: this.controller.mode },
    };
  }
  live(): LiveResponse {
    return this.liveState;
  }
  history(query: HistoryQuery) {
    this.historyQueries.push(query);
    return {
      from: query.from,
      to: query.to,
      level: 'raw' as const,
      bucketMs: Math.ceil((query.to - query.from) / query.points),
      series: Object.fromEntries(query.series.map((s) => [s, [{ tsMs: query.from, min: 51, avg: 52, max: 53, count: 4 }]])),
    };
  }
  energy(query: EnergyQuery) {
    this.energyQueries.push(query);
    return { period: query.period, timeZone: 'Europe/Berlin', rows: [] };
  }
  events(query: EventQuery) {
    this.eventQueries.push(query);
    return [{ id: 1, tsMs: 1_767_261_600_000, kind: 'warning' as const, device: 'inverter' as const, message: 'line fail' }];
  }
  async control(action: ControlAction, origin: ControlOrigin) {
    this.controlCalls.push({ action, origin });
    return { id: this.controlCalls.length, action, outcome: { status: 'dryRun' as const, message: 'would apply' } };
  }
  getController() {
    return this.controller;
  }
  async putController(update: ControllerUpdate) {
    this.controllerUpdates.push(update);
    if (update.thresholds && 'gridOnV' in update.thresholds && (update.thresholds.gridOnV ?? 0) > 60) {
      return { ok: false as const, error: 'gridOnV must be below 60 V' };
    }
    this.controller = { mode: update.mode ?? this.controller.mode, thresholds: { ...this.controller.thresholds, ...update.thresholds } };
    return { ok: true as const, value: this.controller };
  }
  subscribe(listener: (m: StreamMessage) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(message: StreamMessage): void {
    for (const l of this.listeners) l(message);
  }
}

export interface Harness {
  server: ApiServer;
  ports: FakePorts;
  tokens: TokenStore;
  base: string;
  port: number;
  viewer: string;
  operator: string;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<ApiServerOptions> = {}): Promise<Harness> {
  const ports = new FakePorts();
  const tokens = openTokenStore(mkdtempSync(join(tmpdir(), 'voltmon-api-')));
  const server = await createApiServer({
    ports,
    auth: tokens,
    version: '0.0.0-test',
    staticRoot: null,
    ...options,
  });
  const { port } = await server.listen('127.0.0.1', 0);
  return {
    server,
    ports,
    tokens,
    port,
    base: `http://127.0.0.1:${port}`,
    viewer: tokens.add('viewer', 'test-viewer').token,
    operator: tokens.add('operator', 'test-operator').token,
    async close() {
      await server.close();
      tokens.close();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** Plain node:http, so paths reach the server exactly as written (fetch would normalise `..`). */
export function raw(
  port: number,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}

export const jsonBody = (value: unknown): { body: string; headers: Record<string, string> } => ({
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
});
