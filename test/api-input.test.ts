import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HISTORY_POINTS } from '../src/main/api/request-schemas.js';
import { ApiErrorSchema, EventsResponseSchema, HistoryResponseSchema } from '../src/main/api/response-schemas.js';
import { jsonBody, raw, startHarness, type Harness } from './api-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const post = (body: string | Buffer, contentType = 'application/json') =>
  raw(h.port, 'POST', '/api/v1/control', { token: h.operator, body, headers: { 'content-type': contentType } });

const errorOf = (res: { json(): unknown }) => ApiErrorSchema.parse(res.json());

describe('POST /control with bad bodies', () => {
  it('answers malformed JSON with 400 badJson', async () => {
    h = await startHarness();
    const res = await post('{"action": ');
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('badJson');
  });

  it('refuses an unknown action, an unknown field and a wrong type with 400, doing nothing', async () => {
    h = await startHarness();
    for (const body of [
      { action: 'formatTheDisk', value: 1 },
      { action: 'setGridRelay', value: 'connected', force: true },
      { action: 'setMaxChargingCurrent', value: '30' },
      { action: 'setMaxChargingCurrent', value: 30.5 },
      [],
    ]) {
      const res = await post(JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).error).toBe('badRequest');
    }
    expect(h.ports.controlCalls).toHaveLength(0);
  });

  it('names the unknown field in the message', async () => {
    h = await startHarness();
    const res = await post(JSON.stringify({ action: 'setGridRelay', value: 'connected', force: true }));
    expect(errorOf(res).message).toContain("'force'");
  });

  it('answers a body over 64 KiB with 413', async () => {
    h = await startHarness();
    const res = await post(JSON.stringify({ action: 'setGridRelay', value: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(errorOf(res).error).toBe('payloadTooLarge');
  });

  it('answers a 5 MB body with 413 and stays up', async () => {
    h = await startHarness();
    const res = await post(Buffer.alloc(5_000_000, 0x61));
    expect(res.status).toBe(413);
    expect((await raw(h.port, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('lets a client that sends all 5 MB before reading (as urllib does) read the 413, without a reset', async () => {
    h = await startHarness();
    const body = Buffer.alloc(5_000_000, 0x61);
    const head =
      `POST /api/v1/control HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.operator}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const socket = connect(h.port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', () => undefined);
    const writeError = await new Promise<Error | null | undefined>((resolve) => socket.write(Buffer.concat([Buffer.from(head), body]), resolve));
    await new Promise((resolve) => socket.on('close', resolve));
    expect(writeError ?? null).toBeNull();
    expect(Buffer.concat(received).toString('utf8')).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('answers a body that is not JSON with 415', async () => {
    h = await startHarness();
    const res = await post('action=setGridRelay', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expect(errorOf(res).error).toBe('unsupportedMediaType');
  });

  it('refuses unknown fields and wrong types in a controller update', async () => {
    h = await startHarness();
    for (const body of [{ mode: 'turbo' }, { enabled: true }, { thresholds: { gridOnV: 'high' } }]) {
      const res = await raw(h.port, 'PUT', '/api/v1/controller', { token: h.operator, ...jsonBody(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(h.ports.controllerUpdates).toHaveLength(0);
  });

  it("passes on the controller's refusal of a threshold as 400 with its reason", async () => {
    h = await startHarness();
    const res = await raw(h.port, 'PUT', '/api/v1/controller', { token: h.operator, ...jsonBody({ thresholds: { gridOnV: 75 } }) });
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toBe('controller: gridOnV must be below 60 V');
  });
});

describe('GET /history parameters', () => {
  const history = (query: string) => raw(h.port, 'GET', `/api/v1/history?${query}`, { token: h.viewer });

  it('accepts from/to as UTC ms and as ISO 8601 and passes them on as ms', async () => {
    h = await startHarness();
    expect((await history('series=bms.socPct&from=1767225600000&to=1767229200000&points=60')).status).toBe(200);
    expect((await history('series=bms.socPct&from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00%2B01:00')).status).toBe(200);
    expect(h.ports.historyQueries[0]).toEqual({ series: ['bms.socPct'], from: 1_767_225_600_000, to: 1_767_229_200_000, points: 60 });
    expect(h.ports.historyQueries[1]).toMatchObject({ from: Date.UTC(2026, 0, 1, 0), to: Date.UTC(2026, 0, 1, 1) });
  });

  it('answers several series in one response', async () => {
    h = await startHarness();
    const res = await history('series=inverter.batteryVoltageV,bms.cellVoltagesV[3]&points=10');
    expect(Object.keys(HistoryResponseSchema.parse(res.json()).series)).toEqual(['inverter.batteryVoltageV', 'bms.cellVoltagesV[3]']);
  });

  it('refuses an unknown series with 400 naming it', async () => {
    h = await startHarness();
    const res = await history('series=inverter.batteryVoltageV,inverter.warpCoreTempC');
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toContain('inverter.warpCoreTempC');
    expect(h.ports.historyQueries).toHaveLength(0);
  });

  it(`caps points at ${MAX_HISTORY_POINTS}`, async () => {
    h = await startHarness();
    expect((await history('series=bms.socPct&points=1000000')).status).toBe(200);
    expect(h.ports.historyQueries[0]?.points).toBe(MAX_HISTORY_POINTS);
  });

  it.each([
    ['no series', 'from=0&to=10'],
    ['points not a number', 'series=bms.socPct&points=lots'],
    ['points zero', 'series=bms.socPct&points=0'],
    ['from after to', 'series=bms.socPct&from=2000&to=1000'],
    ['a date-time without offset', 'series=bms.socPct&from=2026-01-01T00:00:00'],
    ['an unknown parameter', 'series=bms.socPct&colour=red'],
    ['a repeated parameter', 'series=bms.socPct&series=bms.currentA'],
  ])('refuses %s with 400', async (_name, query) => {
    h = await startHarness();
    const res = await history(query);
    expect(res.status).toBe(400);
    expect(errorOf(res).error).toBe('badRequest');
  });
});

describe('GET /energy and /events parameters', () => {
  it('refuses an unknown period and a range too long for the period', async () => {
    h = await startHarness();
    expect((await raw(h.port, 'GET', '/api/v1/energy?period=week', { token: h.viewer })).status).toBe(400);
    const tooLong = await raw(h.port, 'GET', '/api/v1/energy?period=hour&from=2020-01-01&to=2026-01-01', { token: h.viewer });
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong).message).toMatch(/period=hour covers at most \d+ days/);
    expect(h.ports.energyQueries).toHaveLength(0);
  });

  it('passes a month query on in ms', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/energy?period=month&from=2025-01-01&to=2026-01-01', { token: h.viewer });
    expect(res.status).toBe(200);
    expect(h.ports.energyQueries[0]).toEqual({ period: 'month', from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 0, 1) });
  });

  it('filters events by kind and refuses an unknown kind', async () => {
    h = await startHarness();
    const ok = await raw(h.port, 'GET', '/api/v1/events?kind=fault,warning&limit=5', { token: h.viewer });
    expect(EventsResponseSchema.parse(ok.json()).events).toHaveLength(1);
    expect(h.ports.eventQueries[0]).toMatchObject({ kinds: ['fault', 'warning'], limit: 5 });
    const bad = await raw(h.port, 'GET', '/api/v1/events?kind=gossip', { token: h.viewer });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toContain('gossip');
  });
});

describe('other paths', () => {
  it('answers an unknown API path with a JSON 404', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/nothing-here', { token: h.viewer });
    expect(res.status).toBe(404);
    expect(errorOf(res).error).toBe('notFound');
  });

  it('describes every endpoint in openapi.json', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/openapi.json');
    const doc = res.json() as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/control', '/controller', '/energy', '/events', '/health', '/history', '/live', '/session', '/stream']);
    const action = JSON.stringify(doc.components.schemas.ControlAction);
    expect(action).toContain('setGridRelay');
    expect(action).toContain('setOutputSourcePriority');
  });
});
