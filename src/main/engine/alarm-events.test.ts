import { describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/samples.js';
import { AlarmTracker, alarmReportOf, dalyAlarmLevel } from './alarm-events.js';

let clock = 1_700_000_000_000;

/** A QPIWS sample as the inverter driver emits it: the decoder's lists flattened to `faults[i]`/`warnings[i]`. */
function qpiws(faults: string[], warnings: string[]): Sample {
  const values: Sample['values'] = { severity: faults.length ? 'fault' : warnings.length ? 'warning' : 'ok' };
  faults.forEach((f, i) => (values[`faults[${i}]`] = f));
  warnings.forEach((w, i) => (values[`warnings[${i}]`] = w));
  return { device: 'inverter', source: 'QPIWS', tsMs: (clock += 5000), values };
}

const daly98 = (alarms: string[]): Sample => ({ device: 'bms', source: '0x98', tsMs: (clock += 1000), values: { activeAlarms: alarms.join(','), faultCode: 0 } });

describe('inverter warnings and faults as events', () => {
  it('records a warning when lineFail appears, in words a person understands', () => {
    const tracker = new AlarmTracker();
    expect(tracker.observe(qpiws([], []))).toEqual([]);
    const events = tracker.observe(qpiws([], ['lineFail']));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'warning', device: 'inverter', data: { appeared: ['lineFail'] } });
    expect(events[0]?.message).toContain('lineFail');
    expect(events[0]?.message).toContain('grid lost');
    expect(events[0]?.message).not.toContain('cleared');
  });

  it('does not repeat while the warning persists', () => {
    const tracker = new AlarmTracker();
    expect(tracker.observe(qpiws([], ['lineFail']))).toHaveLength(1);
    for (let i = 0; i < 5; i++) expect(tracker.observe(qpiws([], ['lineFail']))).toEqual([]);
  });

  it('records one "cleared" event naming the flags when they go, then a new event when one comes back', () => {
    const tracker = new AlarmTracker();
    tracker.observe(qpiws([], ['lineFail', 'batteryLowAlarm']));
    const cleared = tracker.observe(qpiws([], []));
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({ kind: 'warning', device: 'inverter', data: { cleared: ['lineFail', 'batteryLowAlarm'] } });
    expect(cleared[0]?.message).toMatch(/cleared.*lineFail.*batteryLowAlarm/);
    expect(tracker.observe(qpiws([], []))).toEqual([]);

    const again = tracker.observe(qpiws([], ['lineFail']));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ kind: 'warning', data: { appeared: ['lineFail'] } });
  });

  it('names only the new flag when a second warning joins one already active', () => {
    const tracker = new AlarmTracker();
    tracker.observe(qpiws([], ['lineFail']));
    const events = tracker.observe(qpiws([], ['lineFail', 'overLoad']));
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ appeared: ['overLoad'], active: ['lineFail', 'overLoad'] });
    expect(events[0]?.message).not.toContain('lineFail');
  });

  it('reports faults as faults, and a flag that turns from warning into fault as both a clear and a fault', () => {
    const tracker = new AlarmTracker();
    tracker.observe(qpiws([], ['overTemperature']));
    const events = tracker.observe(qpiws(['inverterFault', 'overTemperature'], []));
    expect(events.map((e) => e.kind).sort()).toEqual(['fault', 'warning']);
    expect(events.find((e) => e.kind === 'fault')?.data).toMatchObject({ appeared: ['inverterFault', 'overTemperature'] });
    expect(events.find((e) => e.kind === 'warning')?.data).toMatchObject({ cleared: ['overTemperature'] });
  });

  it('ignores the other inverter commands', () => {
    const tracker = new AlarmTracker();
    expect(tracker.observe({ device: 'inverter', source: 'QPIGS', tsMs: clock, values: { 'warnings[0]': 'lineFail' } })).toEqual([]);
  });
});

describe('Daly 0x98 alarms as events', () => {
  it('classes level 1 as warnings and protection or hardware failures as faults', () => {
    expect(dalyAlarmLevel('cellVoltHighL1')).toBe('warning');
    expect(dalyAlarmLevel('cellVoltHighL2')).toBe('fault');
    expect(dalyAlarmLevel('shortCircuitProtect')).toBe('fault');
    expect(alarmReportOf(daly98(['cellVoltHighL1', 'chargeMosAdhesion']))).toEqual({ faults: ['chargeMosAdhesion'], warnings: ['cellVoltHighL1'] });
  });

  it('records appearance once, ignores repeats, and records the clear', () => {
    const tracker = new AlarmTracker();
    expect(tracker.observe(daly98([]))).toEqual([]);
    const raised = tracker.observe(daly98(['cellVoltHighL1']));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'warning', device: 'bms' });
    expect(raised[0]?.message).toContain('cellVoltHighL1');
    expect(tracker.observe(daly98(['cellVoltHighL1']))).toEqual([]);

    const protection = tracker.observe(daly98(['cellVoltHighL1', 'cellVoltHighL2']));
    expect(protection).toHaveLength(1);
    expect(protection[0]).toMatchObject({ kind: 'fault', device: 'bms', data: { appeared: ['cellVoltHighL2'] } });

    const cleared = tracker.observe(daly98([]));
    expect(cleared.map((e) => [e.kind, e.data?.['cleared']])).toEqual(
      expect.arrayContaining([
        ['fault', ['cellVoltHighL2']],
        ['warning', ['cellVoltHighL1']],
      ]),
    );
    expect(cleared).toHaveLength(2);
  });

  it('keeps BMS and inverter state apart', () => {
    const tracker = new AlarmTracker();
    tracker.observe(qpiws([], ['lineFail']));
    expect(tracker.observe(daly98([]))).toEqual([]);
    expect(tracker.observe(qpiws([], ['lineFail']))).toEqual([]);
  });
});
