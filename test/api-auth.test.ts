import { afterEach, describe, expect, it } from 'vitest';
import {
  ControlResponseSchema,
  ControllerSettingsResponseSchema,
  EnergyResponseSchema,
  EventsResponseSchema,
  HealthResponseSchema,
  HistoryResponseSchema,
  LiveResponseSchema,
  SessionResponseSchema,
} from '../src/main/api/response-schemas.js';
import { jsonBody, raw, startHarness, type Harness } from './api-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const VIEWER_GETS: Array<[string, { parse: (v: unknown) => unknown } | null]> = [
  ['/api/v1/live', LiveResponseSchema],
  ['/api/v1/history?series=inverter.batteryVoltageV', HistoryResponseSchema],
  ['/api/v1/energy?period=day', EnergyResponseSchema],
  ['/api/v1/events', EventsResponseSchema],
  ['/api/v1/controller', ControllerSettingsResponseSchema],
  ['/api/v1/session', SessionResponseSchema],
  ['/metrics', null],
];

describe('API authentication and roles', () => {
  it('answers health without a token, in the shared shape', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(HealthResponseSchema.parse(res.json()).site).toBe('test-site');
  });

  it.each(VIEWER_GETS)('GET %s: 401 without a token or with a wrong one, 200 for a viewer', async (path, schema) => {
    h = await startHarness();
    const none = await raw(h.port, 'GET', path);
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthorized' });
    expect((await raw(h.port, 'GET', path, { token: `${h.viewer}x` })).status).toBe(401);
    expect((await raw(h.port, 'GET', path, { headers: { authorization: h.viewer } })).status).toBe(401);
    const ok = await raw(h.port, 'GET', path, { token: h.viewer });
    expect(ok.status).toBe(200);
    if (schema) schema.parse(ok.json());
  });

  it('refuses control to a viewer (403) and performs it for an operator, naming the token as origin', async () => {
    h = await startHarness();
    const action = { action: 'setOutputSourcePriority', value: 'sbu' };
    const viewer = await raw(h.port, 'POST', '/api/v1/control', { token: h.viewer, ...jsonBody(action) });
    expect(viewer.status).toBe(403);
    expect(viewer.json()).toMatchObject({ error: 'forbidden' });
    expect(h.ports.controlCalls).toHaveLength(0);

    const operator = await raw(h.port, 'POST', '/api/v1/control', { token: h.operator, ...jsonBody(action) });
    expect(operator.status).toBe(200);
    expect(ControlResponseSchema.parse(operator.json()).action).toEqual(action);
    expect(h.ports.controlCalls).toEqual([{ action, origin: { kind: 'user', name: 'test-operator' } }]);
  });

  it('lets only an operator change the controller', async () => {
    h = await startHarness();
    const update = jsonBody({ mode: 'dryRun' });
    expect((await raw(h.port, 'PUT', '/api/v1/controller', { token: h.viewer, ...update })).status).toBe(403);
    const res = await raw(h.port, 'PUT', '/api/v1/controller', { token: h.operator, ...update });
    expect(res.status).toBe(200);
    expect(ControllerSettingsResponseSchema.parse(res.json()).mode).toBe('dryRun');
  });

  it('checks the token before it looks at the body', async () => {
    h = await startHarness();
    const malformed = { body: '{"action": ', headers: { 'content-type': 'application/json' } };
    expect((await raw(h.port, 'POST', '/api/v1/control', malformed)).status).toBe(401);
    expect((await raw(h.port, 'POST', '/api/v1/control', { token: h.viewer, ...malformed })).status).toBe(403);
    const huge = { body: `{"a":"${'x'.repeat(200_000)}"}`, headers: { 'content-type': 'application/json' } };
    expect((await raw(h.port, 'POST', '/api/v1/control', huge)).status).toBe(401);
  });

  it('accepts a token created while the server runs, and forgets a revoked one', async () => {
    h = await startHarness();
    const { token } = h.tokens.add('viewer', 'late');
    expect((await raw(h.port, 'GET', '/api/v1/live', { token })).status).toBe(200);
    h.tokens.revoke('late');
    expect((await raw(h.port, 'GET', '/api/v1/live', { token })).status).toBe(401);
  });

  it('needs the kiosk PIN for control when one is configured', async () => {
    h = await startHarness({ kioskPin: '4711' });
    const action = jsonBody({ action: 'setGridRelay', value: 'connected' });
    const without = await raw(h.port, 'POST', '/api/v1/control', { token: h.operator, ...action });
    expect(without.status).toBe(403);
    expect(without.json()).toMatchObject({ error: 'badPin' });
    const wrong = await raw(h.port, 'POST', '/api/v1/control', { token: h.operator, body: action.body, headers: { ...action.headers, 'x-voltmon-pin': '0000' } });
    expect(wrong.status).toBe(403);
    const right = await raw(h.port, 'POST', '/api/v1/control', { token: h.operator, body: action.body, headers: { ...action.headers, 'x-voltmon-pin': '4711' } });
    expect(right.status).toBe(200);
    expect(h.ports.controlCalls).toHaveLength(1);
    expect((await raw(h.port, 'GET', '/api/v1/live', { token: h.viewer })).status).toBe(200);
  });

  it('counts wrong PINs as failures, so a PIN cannot be guessed at request speed', async () => {
    h = await startHarness({ kioskPin: '4711', failedAuthPerMinute: 3 });
    const action = jsonBody({ action: 'setGridRelay', value: 'connected' });
    const statuses: number[] = [];
    for (const pin of ['0000', '0001', '0002', '4711']) {
      statuses.push((await raw(h.port, 'POST', '/api/v1/control', { token: h.operator, body: action.body, headers: { ...action.headers, 'x-voltmon-pin': pin } })).status);
    }
    expect(statuses).toEqual([403, 403, 403, 429]);
    expect(h.ports.controlCalls).toHaveLength(0);
  });

  it('answers 429 to an address that keeps failing, even once it finds a valid token', async () => {
    h = await startHarness({ failedAuthPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await raw(h.port, 'GET', '/api/v1/live', { token: `guess-${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const valid = await raw(h.port, 'GET', '/api/v1/live', { token: h.viewer });
    expect(valid.status).toBe(429);
    expect(valid.json()).toMatchObject({ error: 'tooManyRequests' });
    expect((await raw(h.port, 'GET', '/api/v1/health')).status).toBe(200);
  });

  it('limits the request rate of one token without affecting another', async () => {
    h = await startHarness({ requestsPerMinute: 60 });
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await raw(h.port, 'GET', '/api/v1/live', { token: h.viewer })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429]);
    expect((await raw(h.port, 'GET', '/api/v1/live', { token: h.operator })).status).toBe(200);
  });

  it('exports metrics for a viewer: frame errors per device and key values', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/metrics', { token: h.viewer });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('voltmon_device_frame_errors_total{device="inverter",kind="crcErrors"} 3');
    expect(res.text).toContain('voltmon_device_poll_latency_seconds{device="inverter"} 0.48');
    expect(res.text).toContain('voltmon_battery_voltage_volts 52.4');
    expect(res.text).toContain('voltmon_battery_soc_percent 61.5');
    expect(res.text).toContain('voltmon_device_link_state{device="inverter",state="online"} 1');
  });
});

describe('GET /session', () => {
  it('names the token and its role, for a viewer and for an operator', async () => {
    h = await startHarness();
    const viewer = await raw(h.port, 'GET', '/api/v1/session', { token: h.viewer });
    expect(viewer.status).toBe(200);
    expect(SessionResponseSchema.parse(viewer.json())).toEqual({ name: 'test-viewer', role: 'viewer', pinRequired: false });
    const operator = await raw(h.port, 'GET', '/api/v1/session', { token: h.operator });
    expect(SessionResponseSchema.parse(operator.json())).toEqual({ name: 'test-operator', role: 'operator', pinRequired: false });
  });

  it('says a PIN is required when a kiosk PIN is set, without needing the PIN itself', async () => {
    h = await startHarness({ kioskPin: '4711' });
    const res = await raw(h.port, 'GET', '/api/v1/session', { token: h.operator });
    expect(res.status).toBe(200);
    expect(SessionResponseSchema.parse(res.json())).toMatchObject({ role: 'operator', pinRequired: true });
    expect(JSON.stringify(res.json())).not.toContain('4711');
  });

  it('refuses a request without a token (401)', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/session');
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });
});

describe('CORS', () => {
  it('allows only configured origins, echoing the origin and never *', async () => {
    h = await startHarness({ corsOrigins: ['http://kiosk.local:48211'] });
    const good = await raw(h.port, 'GET', '/api/v1/live', { token: h.viewer, headers: { origin: 'http://kiosk.local:48211' } });
    expect(good.headers['access-control-allow-origin']).toBe('http://kiosk.local:48211');
    const evil = await raw(h.port, 'GET', '/api/v1/live', { token: h.viewer, headers: { origin: 'http://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from an allowed origin without a token, and gives a foreign one nothing', async () => {
    h = await startHarness({ corsOrigins: ['http://kiosk.local:48211'] });
    const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' };
    const good = await raw(h.port, 'OPTIONS', '/api/v1/control', { headers: { origin: 'http://kiosk.local:48211', ...preflight } });
    expect(good.status).toBe(204);
    expect(good.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const evil = await raw(h.port, 'OPTIONS', '/api/v1/control', { headers: { origin: 'http://evil.example', ...preflight } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives no CORS header at all when no origin is configured', async () => {
    h = await startHarness();
    const res = await raw(h.port, 'GET', '/api/v1/health', { headers: { origin: 'http://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
