import { describe, expect, it } from 'vitest';
import { checkPlausibility, type PlausibilityRule } from './plausibility.js';

const rules: PlausibilityRule[] = [
  { field: 'batteryVoltageV', min: 40, max: 60 },
  { field: 'acOutputFrequencyHz', min: 45, max: 55, when: { field: 'acOutputVoltageV', above: 0 } },
  { field: 'dischargePowerW', max: { field: 'loadW', factor: 2 } },
];

describe('checkPlausibility', () => {
  it('passes believable values and names each broken range', () => {
    expect(checkPlausibility({ batteryVoltageV: 52.4, acOutputVoltageV: 230, acOutputFrequencyHz: 50 }, rules)).toEqual([]);
    expect(checkPlausibility({ batteryVoltageV: 0.5 }, rules)).toEqual([{ field: 'batteryVoltageV', value: 0.5, message: 'batteryVoltageV 0.5 below 40' }]);
    expect(checkPlausibility({ batteryVoltageV: 61 }, rules).map((v) => v.message)).toEqual(['batteryVoltageV 61 above 60']);
  });

  it('checks a conditional range only while its condition holds', () => {
    expect(checkPlausibility({ acOutputVoltageV: 0, acOutputFrequencyHz: 0 }, rules)).toEqual([]);
    expect(checkPlausibility({ acOutputVoltageV: 230, acOutputFrequencyHz: 0 }, rules).map((v) => v.message)).toEqual([
      'acOutputFrequencyHz 0 below 45 while acOutputVoltageV > 0',
    ]);
  });

  it('compares against another field times a factor, plus an offset', () => {
    expect(checkPlausibility({ dischargePowerW: 900, loadW: 500 }, rules)).toEqual([]);
    expect(checkPlausibility({ dischargePowerW: 1200, loadW: 500 }, rules).map((v) => v.message)).toEqual(['dischargePowerW 1200 above 2 × loadW (1000)']);
    const withOffset: PlausibilityRule[] = [{ field: 'dischargePowerW', max: { field: 'loadW', factor: 2, offset: 100 } }];
    expect(checkPlausibility({ dischargePowerW: 90, loadW: 0 }, withOffset)).toEqual([]);
    expect(checkPlausibility({ dischargePowerW: 1200, loadW: 500 }, withOffset).map((v) => v.message)).toEqual(['dischargePowerW 1200 above 2 × loadW + 100 (1100)']);
  });

  it('skips fields the unit does not send (null or absent) and non-numbers', () => {
    expect(checkPlausibility({ batteryVoltageV: null }, rules)).toEqual([]);
    expect(checkPlausibility({}, rules)).toEqual([]);
    expect(checkPlausibility({ batteryVoltageV: 'x' }, rules)).toEqual([]);
  });
});

describe('checkPlausibility with array rules', () => {
  it('applies `field[*]` to every element and names the one out of range', () => {
    const cellRule: PlausibilityRule[] = [{ field: 'cellVoltagesV[*]', min: 2, max: 4 }];
    expect(checkPlausibility({ 'cellVoltagesV[0]': 3.3, 'cellVoltagesV[1]': 3.31 }, cellRule)).toEqual([]);
    expect(checkPlausibility({ 'cellVoltagesV[0]': 3.3, 'cellVoltagesV[15]': 6.5, cellVoltagesVMax: 9 }, cellRule).map((v) => v.message)).toEqual([
      'cellVoltagesV[15] 6.5 above 4',
    ]);
  });
});
