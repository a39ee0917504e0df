import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/main/control/audit.js';
import { auditEvent } from '../src/main/control/audit.js';
import { createCommandQueue, type CommandQueueOptions } from '../src/main/control/command-queue.js';
import { batteryLimits, DEFAULT_BATTERY } from '../src/main/control/limits.js';
import { createSimulatedInverter, createSimulatedRelay } from '../src/main/control/simulated-devices.js';
import type { ControlOrigin } from '../src/shared/control.js';
import { START_SETTINGS } from './control-fixtures.js';

const USER: ControlOrigin = { kind: 'user', name: 'alice' };
const RULE: ControlOrigin = { kind: 'rule', name: 'batteryFullProtect' };

const SETTINGS = START_SETTINGS;

function setup(extra: Partial<CommandQueueOptions> = {}) {
  let t = 1_767_261_600_000;
  const inverter = createSimulatedInverter(SETTINGS);
  const relay = createSimulatedRelay(false);
  const audit: AuditRecord[] = [];
  const queue = createCommandQueue({
    inverter,
    relay,
    limits: batteryLimits(DEFAULT_BATTERY),
    audit: (r) => audit.push(r),
    now: () => t,
    ...extra,
  });
  return {
    queue,
    inverter,
    relay,
    audit,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('command queue: applying and reading back', () => {
  it('sends the PI30 text, reads QPIRI back and reports applied with before and after', async () => {
    const q = setup();
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 53.7 }, RULE);
    expect(outcome).toMatchObject({ status: 'applied', before: 55.5, after: 53.7 });
    expect(q.inverter.sent).toEqual(['PBFT53.7']);
    expect(q.audit).toHaveLength(1);
    expect(q.audit[0]).toMatchObject({ origin: RULE, action: { action: 'setFloatVoltage', value: 53.7 }, commandText: 'PBFT53.7', before: 55.5, after: 53.7 });
    expect(auditEvent(q.audit[0] as AuditRecord)).toMatchObject({ kind: 'control', device: 'inverter', message: expect.stringContaining('rule batteryFullProtect') });
  });

  it.each([
    [{ action: 'setOutputSourcePriority', value: 'utilityFirst' }, 'POP00', 'outputSourcePriority', 'utilityFirst'],
    [{ action: 'setChargerSourcePriority', value: 'solarAndUtility' }, 'PCP02', 'chargerSourcePriority', 'solarAndUtility'],
    [{ action: 'setMaxChargingCurrent', value: 10 }, 'MCHGC010', 'maxChargingCurrentA', 10],
    [{ action: 'setMaxChargingCurrent', value: 100 }, 'MNCHGC0100', 'maxChargingCurrentA', 100],
    [{ action: 'setBulkVoltage', value: 56.4 }, 'PCVV56.4', 'batteryBulkVoltageV', 56.4],
    [{ action: 'setRedischargeVoltage', value: 0 }, 'PBDV00.0', 'batteryRedischargeVoltageV', 0],
    [{ action: 'setCutoffVoltage', value: 46.5 }, 'PSDV46.5', 'batteryUnderVoltageV', 46.5],
  ])('%j is sent as %s and confirmed', async (action, text, field, value) => {
    const q = setup();
    const outcome = await q.queue.submit(action, USER);
    expect(outcome.status).toBe('applied');
    expect(q.inverter.sent).toEqual([text]);
    expect(q.inverter.settings[field]).toBe(value);
  });

  it('reports failure when the inverter acknowledges but QPIRI does not show the value', async () => {
    const q = setup();
    q.inverter.fault = 'ignore';
    const outcome = await q.queue.submit({ action: 'setBulkVoltage', value: 56.4 }, USER);
    expect(outcome).toMatchObject({ status: 'failed', before: 56, after: 56 });
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/acknowledged but batteryBulkVoltageV reads 56/);
    expect(q.audit.at(-1)?.outcome.status).toBe('failed');
  });

  it('reports failure when the read-back does not answer', async () => {
    const q = setup();
    q.inverter.fault = 'noReadBack';
    const outcome = await q.queue.submit({ action: 'setBulkVoltage', value: 56.4 }, USER);
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/read-back \(QPIRI\) did not answer/);
  });

  it('reports a NAK as failed and does not retry', async () => {
    const q = setup();
    q.inverter.fault = 'nak';
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER);
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/refused PBFT54\.0 \(NAK\)/);
    expect(q.inverter.sent).toEqual(['PBFT54.0']);
    expect(q.audit).toHaveLength(1);
  });

  it('reports a timeout as not confirmed', async () => {
    const q = setup();
    q.inverter.fault = 'timeout';
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER);
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/not confirmed: timeout/);
  });

  it('refuses while the inverter is offline and sends nothing', async () => {
    const q = setup();
    q.inverter.fault = 'offline';
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER);
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/inverter offline/);
    expect(q.inverter.sent).toEqual([]);
    expect(q.audit[0]?.outcome.status).toBe('refused');
  });

  it('refuses on an instance without an inverter', async () => {
    const q = setup({ inverter: undefined });
    expect(await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER)).toMatchObject({ status: 'refused', reason: 'this instance has no inverter' });
  });

  it('turns a throwing device into a failed outcome', async () => {
    const q = setup();
    q.inverter.sendSetting = () => Promise.reject(new Error('serial port closed'));
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'device error: serial port closed' });
    expect(q.audit.at(-1)?.outcome.status).toBe('failed');
  });

  it('runs one command at a time', async () => {
    const q = setup();
    const outcomes = await Promise.all([
      q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER),
      q.queue.submit({ action: 'setOutputSourcePriority', value: 'solarFirst' }, USER),
      q.queue.submit({ action: 'setMaxChargingCurrent', value: 20 }, USER),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect(q.inverter.sent).toEqual(['PBFT54.0', 'POP01', 'MCHGC020']);
    expect(q.inverter.maxConcurrentCalls).toBe(1);
  });

  it('dry-run validates fully but sends nothing and audits nothing', async () => {
    const q = setup();
    const outcome = await q.queue.submit({ action: 'setFloatVoltage', value: 53.7 }, RULE, { dryRun: true });
    expect(outcome).toMatchObject({ status: 'dryRun', message: expect.stringContaining('PBFT53.7') });
    const refused = await q.queue.submit({ action: 'setFloatVoltage', value: 57.0 }, RULE, { dryRun: true });
    expect(refused.status).toBe('refused');
    expect(q.inverter.sent).toEqual([]);
    expect(q.audit).toEqual([]);
  });
});

describe('command queue: hard limits and bad input', () => {
  it.each([
    [{ action: 'setBulkVoltage', value: 57.8 }, /outside the battery's safe window 44.8 V to 57.6 V/],
    [{ action: 'setFloatVoltage', value: 58.4 }, /outside the battery's safe window/],
    [{ action: 'setCutoffVoltage', value: 40.0 }, /cut-off voltage 40.0 V is outside/],
    [{ action: 'setMaxChargingCurrent', value: 150 }, /above the battery's limit of 140 A/],
    [{ action: 'setMaxChargingCurrent', value: 45 }, /not one of the inverter's charge currents/],
    [{ action: 'setFloatVoltage', value: 56.5 }, /float 56.5 V would be above bulk 56.0 V/],
    [{ action: 'setBulkVoltage', value: 55.0 }, /bulk 55.0 V would be below float 55.5 V/],
    [{ action: 'setRedischargeVoltage', value: 56 }, /re-discharge 56.0 V must be below bulk 56.0 V/],
    [{ action: 'setRedischargeVoltage', value: 50 }, /re-discharge 50.0 V must be above re-charge 51.0 V/],
    [{ action: 'setRechargeVoltage', value: 46 }, /re-charge 46.0 V must be above cut-off 46.0 V/],
    [{ action: 'setCutoffVoltage', value: 51.0 }, /cut-off 51.0 V must be below re-charge 51.0 V/],
    [{ action: 'setRechargeVoltage', value: 49.5 }, /PBCV: 49.5 V is not allowed/],
    [{ action: 'setFloatVoltage', value: 53.75 }, /more than one decimal/],
  ])('refuses %j and sends nothing', async (action, reason) => {
    const q = setup();
    const outcome = await q.queue.submit(action, USER);
    expect(outcome.status).toBe('refused');
    expect(outcome.status === 'refused' && outcome.reason).toMatch(reason);
    expect(q.inverter.sent).toEqual([]);
    expect(q.audit).toHaveLength(1);
  });

  it('clamps a configured window to what the chemistry survives', async () => {
    // 16 x 4.2 V would allow 67.2 V; LiFePO4 cells stop at 3.65 V, so the ceiling is 58.4 V.
    const q = setup({ limits: batteryLimits({ chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 280, cellMinV: 2.5, cellMaxV: 4.2 }) });
    const outcome = await q.queue.submit({ action: 'setBulkVoltage', value: 58.6 }, USER);
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/outside the battery's safe window 40.0 V to 58.4 V/);
    expect((await q.queue.submit({ action: 'setBulkVoltage', value: 58.4 }, USER)).status).toBe('applied');
  });

  it('refuses a current when the inverter does not say which it allows', async () => {
    const q = setup();
    q.inverter.batteryOptionsA = null;
    const outcome = await q.queue.submit({ action: 'setMaxChargingCurrent', value: 20 }, USER);
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/QMCHGCR did not answer/);
  });

  it.each([
    [{ action: 'formatTheDisk', value: 1 }],
    [{ action: 'setBulkVoltage', value: 'high' }],
    [{ action: 'setBulkVoltage', value: Number.NaN }],
    [{ action: 'setOutputSourcePriority', value: 'solarOnly' }],
    [{ action: 'setMaxChargingCurrent', value: 20.5 }],
    [null],
    ['setBulkVoltage'],
  ])('refuses the unknown or malformed action %j', async (action) => {
    const q = setup();
    const outcome = await q.queue.submit(action, USER);
    expect(outcome.status === 'refused' && outcome.reason).toMatch(/not a valid action/);
    expect(q.inverter.sent).toEqual([]);
    expect(q.audit[0]).toMatchObject({ action, outcome: { status: 'refused' } });
  });

  it('does not rewrite a value the inverter already has', async () => {
    const q = setup();
    const outcome = await q.queue.submit({ action: 'setOutputSourcePriority', value: 'sbu' }, USER);
    expect(outcome).toMatchObject({ status: 'unchanged', reason: 'outputSourcePriority is already sbu' });
    expect(await q.queue.submit({ action: 'setBulkVoltage', value: 56.0 }, USER)).toMatchObject({ status: 'unchanged' });
    expect(q.inverter.sent).toEqual([]);
  });
});

describe('command queue: write budgets', () => {
  it('spaces writes of one setting but not of different settings', async () => {
    const q = setup();
    expect((await q.queue.submit({ action: 'setFloatVoltage', value: 54.0 }, USER)).status).toBe('applied');
    const second = await q.queue.submit({ action: 'setFloatVoltage', value: 54.2 }, USER);
    expect(second.status === 'refused' && second.reason).toMatch(/rate limited: setFloatVoltage was written 0 s ago, next write allowed in 60 s/);
    expect((await q.queue.submit({ action: 'setMaxChargingCurrent', value: 20 }, USER)).status).toBe('applied');
    q.advance(60_000);
    expect((await q.queue.submit({ action: 'setFloatVoltage', value: 54.2 }, USER)).status).toBe('applied');
  });

  it('caps the writes of one setting per day, NAKs included', async () => {
    const q = setup({ rateLimits: { setFloatVoltage: { minIntervalMs: 1000, maxPerWindow: 3, windowMs: 86_400_000 } } });
    q.inverter.fault = 'nak';
    for (let i = 0; i < 3; i += 1) {
      expect((await q.queue.submit({ action: 'setFloatVoltage', value: 54 + i / 10 }, USER)).status).toBe('failed');
      q.advance(5000);
    }
    q.inverter.fault = 'none';
    const fourth = await q.queue.submit({ action: 'setFloatVoltage', value: 54.5 }, USER);
    expect(fourth.status === 'refused' && fourth.reason).toMatch(/written 3 times in the last 24 h \(limit 3\)/);
    q.advance(86_400_000);
    expect((await q.queue.submit({ action: 'setFloatVoltage', value: 54.5 }, USER)).status).toBe('applied');
  });
});

describe('command queue: grid relay and controller', () => {
  it('switches the relay and reports the state read back', async () => {
    const q = setup();
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'applied', before: false, after: true });
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'unchanged' });
    expect(q.audit.map((a) => a.outcome.status)).toEqual(['applied', 'unchanged']);
  });

  it('reports a relay that does not follow, or throws, as failed', async () => {
    const q = setup();
    q.relay.fault = 'stuck';
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'failed', reason: 'grid relay reads disconnected after switching' });
    q.advance(120_000);
    q.relay.fault = 'throws';
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'failed', reason: 'grid relay: the relay line could not be written' });
  });

  it('spaces relay switches, except a safety connection', async () => {
    const q = setup();
    await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER);
    const back = await q.queue.submit({ action: 'setGridRelay', value: 'disconnected' }, USER);
    expect(back.status === 'refused' && back.reason).toMatch(/rate limited: setGridRelay/);
    q.advance(60_000);
    await q.queue.submit({ action: 'setGridRelay', value: 'disconnected' }, USER);
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'refused' });
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, { kind: 'safety', name: 'battery guard' })).toMatchObject({ status: 'applied' });
  });

  it('refuses relay actions without a relay, and controller actions without a controller', async () => {
    const q = setup({ relay: undefined });
    expect(await q.queue.submit({ action: 'setGridRelay', value: 'connected' }, USER)).toMatchObject({ status: 'refused', reason: 'this instance has no grid relay' });
    expect(await q.queue.submit({ action: 'setController', value: 'on' }, USER)).toMatchObject({ status: 'refused', reason: 'this instance runs no controller' });
  });

  it('switches the controller mode through an attached port', async () => {
    const q = setup();
    let mode: 'off' | 'on' | 'dryRun' = 'off';
    q.queue.attachController({ mode: () => mode, setMode: (m) => (mode = m) });
    expect(await q.queue.submit({ action: 'setController', value: 'dryRun' }, USER)).toMatchObject({ status: 'applied', before: 'off', after: 'dryRun' });
    expect(mode).toBe('dryRun');
    expect(await q.queue.submit({ action: 'setController', value: 'dryRun' }, USER)).toMatchObject({ status: 'unchanged' });
  });
});

describe('command queue: the inverter battery class', () => {
  it('uses the firmware ranges of the voltage class QPIRI reports', async () => {
    const q = setup({ limits: batteryLimits({ chemistry: 'lifepo4', cellsInSeries: 8, capacityAh: 100, cellMinV: 2.8, cellMaxV: 3.6 }) });
    Object.assign(q.inverter.settings, { batteryRatingVoltageV: 24, batteryRechargeVoltageV: 24, batteryUnderVoltageV: 23, batteryBulkVoltageV: 28.4, batteryFloatVoltageV: 27.6, batteryRedischargeVoltageV: 0 });
    // 25.5 V is a 24 V unit's back-to-utility step; a 48 V unit would refuse it.
    expect(await q.queue.submit({ action: 'setRechargeVoltage', value: 25.5 }, USER)).toMatchObject({ status: 'applied' });
    expect(q.inverter.sent).toEqual(['PBCV25.5']);
  });
});
