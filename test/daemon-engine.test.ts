import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlResponse } from '../src/shared/api.js';
import { startEngine, type Engine } from '../src/main/engine.js';
import { simulatedConfig } from '../src/main/engine/simulated-config.js';
import {
  ControlResponseSchema,
  ControllerSettingsResponseSchema,
  EnergyResponseSchema,
  EventsResponseSchema,
  HealthResponseSchema,
  HistoryResponseSchema,
  LiveResponseSchema,
} from '../src/main/api/response-schemas.js';

const quiet = pino({ level: 'silent' });
const dataDir = mkdtempSync(join(tmpdir(), 'voltmon-engine-'));
let engine: Engine;
let base: string;
let operator: string;

const start = async (): Promise<void> => {
  engine = await startEngine({ config: simulatedConfig('Europe/Berlin'), dataDir, simulate: true, logger: quiet, host: '127.0.0.1', port: 0, staticRoot: null });
  base = `http://127.0.0.1:${engine.address.port}`;
  operator = engine.tokens.add('operator', `test-${Date.now()}`).token;
};

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
};

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(start);
afterAll(() => engine?.stop());

describe('the engine behind the API, on the simulated plant', () => {
  it('reports every device online in health once the drivers have polled', async () => {
    const health = await until('all devices online', async () => {
      const h = HealthResponseSchema.parse((await call('GET', '/api/v1/health')).json);
      return h.devices.every((d) => d.link === 'online') && h.devices.length >= 4 ? h : undefined;
    });
    expect(health.simulated).toBe(true);
    expect(health.devices.map((d) => d.device).sort()).toEqual(['bms', 'inverter', 'meter', 'relay']);
    expect(health.controller.mode).toBe('off');
  });

  it('changes an inverter setting through the real driver and reads it back from the simulated inverter', async () => {
    await until('the current priority', async () => LiveResponseSchema.parse((await call('GET', '/api/v1/live')).json).values?.['inverter.outputSourcePriority']);
    const res = await call('POST', '/api/v1/control', { action: 'setOutputSourcePriority', value: 'utilityFirst' });
    expect(res.status).toBe(200);
    const result: ControlResponse = ControlResponseSchema.parse(res.json);
    expect(['applied', 'unchanged']).toContain(result.outcome.status);
    expect(engine.simulation?.plant.inverter.qpiri().outputSourcePriorityName).toBe('utilityFirst');
  });

  it('refuses a bulk voltage outside the battery window and says why', async () => {
    const result = ControlResponseSchema.parse((await call('POST', '/api/v1/control', { action: 'setBulkVoltage', value: 70 })).json);
    expect(result.outcome.status).toBe('refused');
  });

  it('audits every control request as an event', async () => {
    const events = EventsResponseSchema.parse((await call('GET', '/api/v1/events?kind=control')).json).events;
    expect(events.some((e) => e.message.includes('setBulkVoltage') && e.message.includes('refused'))).toBe(true);
  });

  it('takes controller thresholds it accepts, refuses others with the reason, and keeps them across a restart', async () => {
    const bad = await call('PUT', '/api/v1/controller', { thresholds: { gridRelayOnV: 70 } });
    expect(bad.status).toBe(400);
    expect((bad.json as { message: string }).message).toContain('gridRelayOnV');

    const good = await call('PUT', '/api/v1/controller', { thresholds: { gridRelayOnV: 51.0 }, mode: 'dryRun' });
    expect(good.status).toBe(200);
    expect(ControllerSettingsResponseSchema.parse(good.json)).toMatchObject({ mode: 'dryRun', thresholds: { gridRelayOnV: 51.0, gridRelayOffV: 51.8 } });

    await engine.stop();
    await start();
    const after = ControllerSettingsResponseSchema.parse((await call('GET', '/api/v1/controller')).json);
    expect(after).toMatchObject({ mode: 'dryRun', thresholds: { gridRelayOnV: 51.0 } });
  });

  it('answers history and energy from the store', async () => {
    const now = Date.now();
    const history = await until('stored history', async () => {
      const h = HistoryResponseSchema.parse((await call('GET', `/api/v1/history?series=bms.socPct,inverter.batteryVoltageV&from=${now - 3_600_000}&to=${now + 60_000}&points=100`)).json);
      return (h.series['bms.socPct'] ?? []).length > 0 ? h : undefined;
    });
    expect(history.series['inverter.batteryVoltageV']?.length).toBeGreaterThan(0);
    const energy = await call('GET', '/api/v1/energy?period=day');
    expect(energy.status).toBe(200);
    expect(EnergyResponseSchema.parse(energy.json).timeZone).toBe('Europe/Berlin');
  });

  it('exports the battery voltage and frame counters as metrics', async () => {
    const online = /^voltmon_device_link_state\{device="inverter",state="online"\} 1$/m;
    const counted = /^voltmon_device_frames_total\{device="bms"\} [1-9]\d*$/m;
    const text = await until('the inverter online and BMS frames counted', async () => {
      const t = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${operator}` } })).text();
      return online.test(t) && counted.test(t) ? t : undefined;
    });
    expect(text).toMatch(/^voltmon_battery_voltage_volts \d+(\.\d+)?$/m);
  });

  it('records lineFail once as a warning when the relay cuts the grid, and its clearing when the grid is back', async () => {
    const plant = engine.simulation?.plant;
    if (!plant) throw new Error('the engine runs without its simulation');
    const lineFailEvents = async (): Promise<{ message: string; kind: string; device?: string }[]> =>
      EventsResponseSchema.parse((await call('GET', '/api/v1/events?kind=warning')).json).events.filter((e) => e.device === 'inverter' && e.message.includes('lineFail'));
    const before = (await lineFailEvents()).length;

    let lineFailReports = 0;
    const off = engine.bus.on('sample', (s) => {
      if (s.source === 'QPIWS' && Object.values(s.values).includes('lineFail')) lineFailReports++;
    });
    try {
      plant.setGridConnected(false);
      const raised = await until('a lineFail warning event', async () => {
        const events = await lineFailEvents();
        return events.length > before ? events : undefined;
      });
      expect(raised.some((e) => /warning.*lineFail/i.test(e.message) && !e.message.includes('cleared'))).toBe(true);
      // A second QPIWS report with the flag still set must not add an event.
      await until('a second report with lineFail', async () => (lineFailReports >= 2 ? true : undefined));
      expect((await lineFailEvents()).length).toBe(before + 1);

      plant.setGridConnected(true);
      const cleared = await until('the lineFail clearing event', async () => (await lineFailEvents()).find((e) => e.message.includes('cleared')));
      expect(cleared.kind).toBe('warning');
      expect((await lineFailEvents()).length).toBe(before + 2);
    } finally {
      off();
      plant.setGridConnected(true);
    }
  });
});
