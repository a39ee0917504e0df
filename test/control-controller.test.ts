import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/main/control/audit.js';
import { createCommandQueue } from '../src/main/control/command-queue.js';
import { createController, type ControllerOptions, type DecisionData, type SettingsStore } from '../src/main/control/controller.js';
import { batteryLimits, DEFAULT_BATTERY } from '../src/main/control/limits.js';
import { createSimulatedInverter, createSimulatedRelay } from '../src/main/control/simulated-devices.js';
import { ControllerThresholdsSchema, DEFAULT_THRESHOLDS, resolveThresholds } from '../src/main/control/thresholds.js';
import type { EngineEvent } from '../src/shared/events.js';
import type { FieldValue, Sample } from '../src/shared/samples.js';
import { START_SETTINGS } from './control-fixtures.js';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const S = 1000;
const MIN = 60 * S;

const SETTINGS = START_SETTINGS;

interface Plant {
  batteryVoltageV?: number;
  bms?: Record<string, FieldValue>;
}

function setup(options: { settings?: Record<string, FieldValue>; gridConnected?: boolean; controller?: Partial<ControllerOptions>; startMs?: number } = {}) {
  let t = options.startMs ?? T0;
  const inverter = createSimulatedInverter(options.settings ?? SETTINGS);
  const relay = createSimulatedRelay(options.gridConnected ?? false);
  const audit: AuditRecord[] = [];
  const events: EngineEvent[] = [];
  const queue = createCommandQueue({ inverter, relay, limits: batteryLimits(DEFAULT_BATTERY), audit: (r) => audit.push(r), now: () => t });
  const controller = createController({ queue, timeZone: 'Europe/Berlin', mode: 'on', onEvent: (e) => events.push(e), now: () => t, ...options.controller });
  queue.attachController(controller);
  const plant: Plant = {};

  /** One poll round: what the drivers would report, the settings and relay as the devices hold them now. */
  const samplesAt = (tsMs: number): Sample[] => {
    const out: Sample[] = [{ device: 'inverter', tsMs, source: 'QPIRI', values: { ...inverter.settings } }];
    if (plant.batteryVoltageV !== undefined) out.push({ device: 'inverter', tsMs, source: 'QPIGS', values: { batteryVoltageV: plant.batteryVoltageV } });
    if (plant.bms) out.push({ device: 'bms', tsMs, source: '0x90', values: { ...plant.bms } });
    out.push({ device: 'relay', tsMs, source: 'gpio', values: { gridConnected: relay.isGridConnected() } });
    return out;
  };

  /** Run `durationMs` of 10 s polls, starting at the current time. */
  async function run(durationMs: number, stepMs = 10 * S): Promise<void> {
    const end = t + durationMs;
    while (t < end) {
      for (const sample of samplesAt(t)) await controller.onSample(sample);
      t += stepMs;
    }
  }

  const decisions = (): DecisionData[] => events.filter((e) => e.data && 'decision' in e.data).map((e) => e.data as unknown as DecisionData);
  return { inverter, relay, audit, events, controller, plant, run, decisions, now: () => t, setTime: (ms: number) => (t = ms) };
}

describe('controller: battery full', () => {
  it('lowers float, then bulk, then caps the current after the battery held 54.5 V for 2 minutes, not one sample earlier', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 54.9;
    await c.run(2 * MIN);
    // Samples at 0 … 110 s: the condition has held 110 s.
    expect(c.inverter.sent).toEqual([]);
    await c.run(10 * S);
    expect(c.inverter.sent).toEqual(['PBFT53.7', 'PCVV53.8', 'MCHGC010']);
    const taken = c.decisions().filter((d) => d.decision === 'taken');
    expect(taken.map((d) => d.rule)).toEqual(['batteryFullProtect', 'batteryFullProtect', 'batteryFullProtect']);
    expect(taken[0]?.reason).toMatch(/inverter.batteryVoltageV 54.9 >= batteryFullV \(54.5\) for 2 min/);
    expect(taken[0]?.values).toEqual({ 'inverter.batteryVoltageV': 54.9 });
    expect(c.audit.map((a) => a.origin)).toEqual(Array(3).fill({ kind: 'rule', name: 'batteryFullProtect' }));
  });

  it('does not act again while the safe values hold, and waits out its cooldown when they are undone', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 54.9;
    await c.run(3 * MIN);
    expect(c.inverter.sent).toHaveLength(3);
    await c.run(20 * MIN);
    expect(c.inverter.sent).toHaveLength(3);
    // Someone puts bulk and float back up 25 minutes in: the rule is still cooling down (30 min).
    c.inverter.settings.batteryBulkVoltageV = 56.0;
    c.inverter.settings.batteryFloatVoltageV = 55.5;
    await c.run(3 * MIN);
    expect(c.inverter.sent).toHaveLength(3);
    const cooldowns = c.decisions().filter((d) => d.decision === 'cooldown');
    expect(cooldowns).toHaveLength(1);
    await c.run(10 * MIN);
    expect(c.inverter.sent.slice(3)).toEqual(['PBFT53.7', 'PCVV53.8']);
  });

  it('acts on a cell at its maximum even when the pack voltage is modest', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 53.2;
    c.plant.bms = { 'cellVoltagesV[0]': 3.33, 'cellVoltagesV[7]': 3.54, 'cellVoltagesV[15]': 3.31 };
    await c.run(2 * MIN + 10 * S);
    expect(c.inverter.sent).toEqual(['PBFT53.7', 'PCVV53.8', 'MCHGC010']);
    expect(c.decisions()[0]?.reason).toMatch(/max bms.cellVoltagesV 3.54 >= cellMaxV \(3.53\)/);
  });

  it('acts when the BMS switched its charge MOS off', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 53.0;
    c.plant.bms = { chargeMosOn: false };
    await c.run(2 * MIN + 10 * S);
    expect(c.inverter.sent).toEqual(['PBFT53.7', 'PCVV53.8', 'MCHGC010']);
  });
});

describe('controller: low battery and recovery', () => {
  it('connects the grid after 4 minutes at or below 51.2 V, not 10 s earlier', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 51.1;
    await c.run(4 * MIN);
    expect(c.relay.isGridConnected()).toBe(false);
    await c.run(10 * S);
    expect(c.relay.isGridConnected()).toBe(true);
    expect(c.inverter.sent).toEqual([]);
    expect(c.decisions()[0]).toMatchObject({ rule: 'batteryLowConnectGrid', decision: 'taken', action: { action: 'setGridRelay', value: 'connected' } });
  });

  it('switches to utility first and connects the grid when the battery is at 50.6 V in SBU', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 50.5;
    await c.run(4 * MIN + 10 * S);
    expect(c.relay.isGridConnected()).toBe(true);
    expect(c.inverter.sent).toEqual(['POP00']);
    expect(c.decisions().filter((d) => d.decision === 'taken').map((d) => d.rule)).toContain('batteryLowToUtility');
  });

  it('goes back to SBU and disconnects the grid once the battery held 51.8 V for 10 minutes, then stays calm', async () => {
    const c = setup({ settings: { ...SETTINGS, outputSourcePriority: 'utilityFirst' }, gridConnected: true });
    c.plant.batteryVoltageV = 51.9;
    await c.run(10 * MIN);
    expect(c.inverter.sent).toEqual([]);
    await c.run(10 * S);
    expect(c.inverter.sent).toEqual(['POP02']);
    expect(c.relay.isGridConnected()).toBe(false);
    // The band between 51.2 and 51.8 V is hysteresis: nothing switches while the voltage wanders in it.
    for (const v of [51.7, 51.3, 51.6, 51.25, 51.5]) {
      c.plant.batteryVoltageV = v;
      await c.run(10 * MIN);
    }
    expect(c.inverter.sent).toEqual(['POP02']);
    expect(c.relay.switches).toBe(1);
  });

  it('does not connect the grid for a dip shorter than its window', async () => {
    const c = setup();
    for (let i = 0; i < 6; i += 1) {
      c.plant.batteryVoltageV = 51.0;
      await c.run(3 * MIN);
      c.plant.batteryVoltageV = 52.0;
      await c.run(30 * S);
    }
    expect(c.relay.switches).toBe(0);
  });
});

describe('controller: state of charge', () => {
  it('allows utility charging at 14 % SOC with solar-only charging and returns to solar only at 24 %', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 52.0;
    c.plant.bms = { socPct: 14 };
    await c.run(2 * MIN);
    expect(c.inverter.sent).toEqual([]);
    await c.run(10 * S);
    expect(c.inverter.sent).toEqual(['PCP02']);
    c.plant.bms = { socPct: 20 };
    await c.run(30 * MIN);
    expect(c.inverter.sent).toEqual(['PCP02']);
    c.plant.bms = { socPct: 24 };
    await c.run(2 * MIN + 10 * S);
    expect(c.inverter.sent).toEqual(['PCP02', 'PCP03']);
  });

  it('does nothing about SOC when the BMS reports none', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 52.0;
    c.plant.bms = { currentA: -10 };
    await c.run(60 * MIN);
    expect(c.inverter.sent).toEqual([]);
    expect(c.decisions()).toEqual([]);
  });
});

describe('controller: nearly full and the night restore', () => {
  it('lowers the charge current at 54.0 V and respects a user who raises it again until the next cycle', async () => {
    const c = setup();
    c.plant.batteryVoltageV = 54.1;
    await c.run(2 * MIN + 10 * S);
    expect(c.inverter.sent).toEqual(['MCHGC020']);
    c.inverter.settings.maxChargingCurrentA = 40;
    await c.run(60 * MIN);
    expect(c.inverter.sent).toEqual(['MCHGC020']);
    // Discharged below 53.0 V re-arms it; the next approach to full lowers the current again.
    c.plant.batteryVoltageV = 52.8;
    await c.run(MIN);
    c.plant.batteryVoltageV = 54.1;
    await c.run(2 * MIN + 10 * S);
    expect(c.inverter.sent).toEqual(['MCHGC020', 'MCHGC020']);
  });

  it('restores the optimal bulk, float and current at 03:00 local time (CEST in summer), not at 02:59', async () => {
    // 2026-07-10 02:50 in Berlin is 00:50 UTC.
    const start = Date.UTC(2026, 6, 10, 0, 50, 0);
    const c = setup({ settings: { ...SETTINGS, batteryBulkVoltageV: 53.8, batteryFloatVoltageV: 53.7, maxChargingCurrentA: 10 }, startMs: start });
    c.plant.batteryVoltageV = 52.5;
    await c.run(10 * MIN);
    expect(c.inverter.sent).toEqual([]);
    await c.run(10 * S);
    expect(c.inverter.sent).toEqual(['PCVV55.2', 'PBFT55.1', 'MCHGC060']);
    await c.run(23 * 60 * MIN, MIN);
    expect(c.inverter.sent).toHaveLength(3);
  });
});

describe('controller: modes, persistence, refusals', () => {
  it('is off unless switched on, and then acts on nothing', async () => {
    const c = setup({ controller: { mode: undefined } });
    expect(c.controller.mode()).toBe('off');
    c.plant.batteryVoltageV = 54.9;
    await c.run(30 * MIN);
    expect(c.inverter.sent).toEqual([]);
    expect(c.decisions()).toEqual([]);
  });

  it('in dry-run records what it would do, sends nothing and repeats itself only after the cooldown', async () => {
    const c = setup({ controller: { mode: 'dryRun' } });
    c.plant.batteryVoltageV = 54.9;
    await c.run(25 * MIN);
    expect(c.inverter.sent).toEqual([]);
    expect(c.audit).toEqual([]);
    const would = c.decisions().filter((d) => d.decision === 'dryRun' && d.rule === 'batteryFullProtect');
    expect(would.map((d) => d.action?.action)).toEqual(['setFloatVoltage', 'setBulkVoltage', 'setMaxChargingCurrent']);
    expect(would[0]?.outcome).toMatchObject({ status: 'dryRun', message: expect.stringContaining('PBFT53.7') });
    // The device did not change, so after its 30 min cooldown the rule reports the same intent once more.
    await c.run(10 * MIN);
    expect(c.decisions().filter((d) => d.decision === 'dryRun' && d.rule === 'batteryFullProtect')).toHaveLength(6);
  });

  it('keeps its mode and thresholds across a restart', async () => {
    const kept = new Map<string, unknown>();
    const store: SettingsStore = { getSetting: <T>(k: string) => kept.get(k) as T | undefined, putSetting: (k, v) => void kept.set(k, v) };
    const first = setup({ controller: { mode: undefined, settings: store } });
    first.controller.setMode('dryRun');
    expect(first.controller.setThresholds({ batteryFullV: 54.6 }).ok).toBe(true);
    const second = setup({ controller: { mode: 'off', settings: store } });
    expect(second.controller.mode()).toBe('dryRun');
    expect(second.controller.thresholds().batteryFullV).toBe(54.6);
    expect(first.events.some((e) => e.message === 'controller dryRun (was off)')).toBe(true);
  });

  it('reports a refused step and does not run the rest of the rule', async () => {
    const c = setup();
    c.inverter.fault = 'offline';
    c.plant.batteryVoltageV = 54.9;
    await c.run(2 * MIN + 10 * S);
    const d = c.decisions().filter((x) => x.rule === 'batteryFullProtect');
    expect(d.map((x) => x.decision)).toEqual(['refused', 'cooldown']);
    expect(d[0]).toMatchObject({ rule: 'batteryFullProtect', decision: 'refused', action: { action: 'setFloatVoltage', value: 53.7 } });
    expect(d[0]?.outcome).toMatchObject({ reason: expect.stringMatching(/inverter offline/) });
  });

  it('treats values older than 5 minutes as unknown', async () => {
    const c = setup();
    await c.controller.onSample({ device: 'inverter', tsMs: c.now(), source: 'QPIGS', values: { batteryVoltageV: 54.9 } });
    c.setTime(c.now() + 6 * MIN);
    await c.run(10 * MIN);
    expect(c.inverter.sent).toEqual([]);
  });
});

describe('controller thresholds', () => {
  it('defaults to the original installation', () => {
    expect(DEFAULT_THRESHOLDS).toMatchObject({
      switchToUsbV: 50.6,
      gridRelayOnV: 51.2,
      gridRelayOffV: 51.8,
      batteryFullV: 54.5,
      floatLowV: 53.7,
      cvLowV: 53.8,
      floatHighV: 55.1,
      cvHighV: 55.2,
      socLowPct: 14,
      socHighPct: 24,
      cellMaxV: 3.53,
      capacityAh: 280,
    });
    expect(ControllerThresholdsSchema.safeParse(DEFAULT_THRESHOLDS).success).toBe(true);
  });

  it.each([
    [{ gridRelayOffV: 51.0 }, /gridRelayOffV must be above gridRelayOnV/],
    [{ socLowPct: 30 }, /socHighPct must be above socLowPct/],
    [{ cvLowV: 53.75 }, /cvLowV must have at most one decimal/],
    [{ cellMaxV: 3.9 }, /cellMaxV/],
    [{ batteryFullV: 'high' }, /batteryFullV/],
    [{ unknownKey: 1 }, /unknownKey|Unrecognized/i],
  ])('refuses %j with a message naming the key', (partial, message) => {
    const r = resolveThresholds(partial);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.join('\n')).toMatch(message);
  });

  it('keeps run-time changes on top of the config, so later config edits still apply to other keys', () => {
    const kept = new Map<string, unknown>();
    const store: SettingsStore = { getSetting: <T>(k: string) => kept.get(k) as T | undefined, putSetting: (k, v) => void kept.set(k, v) };
    const first = setup({ controller: { settings: store, thresholds: { socLowPct: 15 } } });
    expect(first.controller.setThresholds({ batteryFullV: 54.6 }).ok).toBe(true);
    expect(first.controller.setThresholds({ cvLowV: 53.9 }).ok).toBe(true);
    expect(first.controller.thresholds()).toMatchObject({ socLowPct: 15, batteryFullV: 54.6, cvLowV: 53.9 });
    // Restart with an edited config.
    const second = setup({ controller: { settings: store, thresholds: { socLowPct: 12 } } });
    expect(second.controller.thresholds()).toMatchObject({ socLowPct: 12, batteryFullV: 54.6, cvLowV: 53.9 });
    expect(second.controller.resetThresholds()).toMatchObject({ socLowPct: 12, batteryFullV: 54.5, cvLowV: 53.8 });
  });

  it('a controller refuses bad thresholds and keeps the ones it had', () => {
    const c = setup();
    expect(c.controller.setThresholds({ gridRelayOnV: 52.0 }).ok).toBe(false);
    expect(c.controller.thresholds().gridRelayOnV).toBe(51.2);
  });
});
