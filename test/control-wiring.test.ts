import { describe, expect, it } from 'vitest';
import { checkControlPin, createControl, createSimulatedInverter, DEFAULT_BATTERY } from '../src/main/control/index.js';
import type { EngineEvent } from '../src/shared/events.js';

function fakeStore() {
  const events: EngineEvent[] = [];
  const settings = new Map<string, unknown>();
  return {
    events,
    settings,
    appendEvent: (e: EngineEvent) => events.push(e),
    getSetting: <T>(k: string) => settings.get(k) as T | undefined,
    putSetting: (k: string, v: unknown) => void settings.set(k, v),
  };
}

describe('createControl', () => {
  it('audits commands into the store and hands each event with its id to the stream', async () => {
    const store = fakeStore();
    const streamed: Array<EngineEvent & { id: number }> = [];
    const inverter = createSimulatedInverter({ batteryBulkVoltageV: 56, batteryFloatVoltageV: 55.5, outputSourcePriority: 'sbu' });
    const setup = createControl({
      inverter,
      battery: DEFAULT_BATTERY,
      timeZone: 'Europe/Berlin',
      store,
      controller: { mode: 'off', thresholds: {} },
      onEvent: (e) => streamed.push(e),
    });
    if (!setup.ok) throw new Error(setup.error.join('; '));
    const outcome = await setup.queue.submit({ action: 'setOutputSourcePriority', value: 'utilityFirst' }, { kind: 'user', name: 'kiosk' });
    expect(outcome.status).toBe('applied');
    expect(store.events).toHaveLength(1);
    expect(store.events[0]).toMatchObject({ kind: 'control', device: 'inverter', data: { before: 'sbu', after: 'utilityFirst', commandText: 'POP00' } });
    expect(streamed[0]?.id).toBe(1);
    // setController goes through the same queue, is audited, and persists.
    expect((await setup.queue.submit({ action: 'setController', value: 'dryRun' }, { kind: 'user', name: 'kiosk' })).status).toBe('applied');
    expect(store.settings.get('controller.mode')).toBe('dryRun');
  });

  it('refuses thresholds from the config that do not hold together', () => {
    const setup = createControl({ battery: DEFAULT_BATTERY, timeZone: 'UTC', store: fakeStore(), controller: { mode: 'off', thresholds: { socLowPct: 50, socHighPct: 40 } } });
    expect(setup.ok).toBe(false);
    expect(!setup.ok && setup.error).toEqual(['controller.socHighPct: socHighPct must be above socLowPct (50)']);
  });
});

describe('kiosk PIN', () => {
  it('lets everything through when no PIN is configured', () => {
    expect(checkControlPin(undefined, undefined)).toEqual({ ok: true });
  });

  it('needs the configured PIN, exactly', () => {
    expect(checkControlPin('4711', '4711')).toEqual({ ok: true });
    expect(checkControlPin('4711', ['4711'])).toEqual({ ok: true });
    expect(checkControlPin('4711', undefined)).toMatchObject({ ok: false, reason: 'pinRequired' });
    expect(checkControlPin('4711', '')).toMatchObject({ ok: false, reason: 'pinRequired' });
    expect(checkControlPin('4711', '4712')).toMatchObject({ ok: false, reason: 'pinWrong' });
    expect(checkControlPin('4711', '47110')).toMatchObject({ ok: false, reason: 'pinWrong' });
  });
});
