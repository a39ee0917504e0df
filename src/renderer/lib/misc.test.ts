import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';
import { alarmLabel, humanize, inverterFlagLabel, listItems, splitList } from './labels';
import { hashFor, pageFromHash, PAGES } from './routes';
import { changedThresholds, thresholdUnit } from './thresholds';
import { minAxisSpan, widenRange } from './axis';

describe('reconnect backoff', () => {
  it('starts at half a second and doubles up to ten seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(n, 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('spreads retries by ±20 %', () => {
    expect(backoffDelayMs(2, 0)).toBe(1600);
    expect(backoffDelayMs(2, 0.999999)).toBe(2400);
  });
});

describe('routes', () => {
  it('every page has a hash that leads back to it', () => {
    for (const p of PAGES) expect(pageFromHash(hashFor(p.id))).toBe(p.id);
  });

  it('tolerates sloppy fragments and falls back to the overview', () => {
    expect(pageFromHash('#battery')).toBe('battery');
    expect(pageFromHash('#/Battery/')).toBe('battery');
    expect(pageFromHash('#/nope')).toBe('overview');
    expect(pageFromHash('')).toBe('overview');
  });
});

describe('labels', () => {
  it('Daly alarm names read as words with their level', () => {
    expect(alarmLabel('cellVoltHighL1')).toEqual({ text: 'Cell voltage high (warning)', level: 'warning' });
    expect(alarmLabel('socLowL2')).toEqual({ text: 'SOC low (protection)', level: 'protection' });
    expect(alarmLabel('chargeMosTempHigh').text).toBe('Charge MOS temperature high');
  });

  it('unknown names are split rather than hidden', () => {
    expect(humanize('highAcInputDuringBusSoftStart')).toBe('High ac input during bus soft start');
  });

  it('inverter flags in words, read from the flattened list', () => {
    const live: Record<string, string> = { 'inverter.warnings[0]': 'lineFail', 'inverter.warnings[1]': 'fanLocked' };
    expect(listItems((s) => live[s], 'inverter.warnings').map(inverterFlagLabel)).toEqual(['Grid lost (line fail)', 'Fan locked']);
    expect(listItems(() => undefined, 'inverter.faults')).toEqual([]);
  });

  it('list series split on commas', () => {
    expect(splitList('5, 8,')).toEqual(['5', '8']);
    expect(splitList(null)).toEqual([]);
  });
});

describe('controller thresholds form', () => {
  it('reads the unit from the name', () => {
    expect(thresholdUnit('gridRelayOnV')).toBe('V');
    expect(thresholdUnit('socLowPct')).toBe('%');
    expect(thresholdUnit('capacityAh')).toBe('Ah');
    expect(thresholdUnit('chargeCurrentSafeA')).toBe('A');
    expect(thresholdUnit('cooldownMinutes')).toBe('min');
  });

  it('sends only what changed, and names fields that are not numbers', () => {
    const current = { gridRelayOnV: 51.2, gridRelayOffV: 51.8, socLowPct: 14 };
    const r = changedThresholds(current, { gridRelayOnV: '51.2', gridRelayOffV: '52,0', socLowPct: 'abc' });
    expect(r).toEqual({ changes: { gridRelayOffV: 52 }, invalid: ['socLowPct'] });
    expect(changedThresholds(current, { gridRelayOnV: '' }).invalid).toEqual(['gridRelayOnV']);
  });
});

describe('y-axis span', () => {
  it('a steady battery voltage gets at least 0.2 V of axis, cells 20 mV', () => {
    const r = widenRange(52.8, 52.801, minAxisSpan('inverter.batteryVoltageV', 'V'));
    expect(r.max - r.min).toBeCloseTo(0.2, 9);
    expect((r.max + r.min) / 2).toBeCloseTo(52.8005, 9);
    expect(minAxisSpan('bms.cellVoltagesV[3]', 'V')).toBe(0.02);
  });

  it('leaves a wide range alone', () => {
    expect(widenRange(0, 3000, minAxisSpan('inverter.pvPowerW', 'W'))).toEqual({ min: 0, max: 3000 });
  });
});
