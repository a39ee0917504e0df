import { describe, expect, it } from 'vitest';
import { buildSettingCommand, type Pi30Setting } from './settings.js';

const built = (setting: Pi30Setting, options = {}): string => {
  const result = buildSettingCommand(setting, options);
  return result.ok ? result.value : `refused: ${result.error.code}: ${result.error.message}`;
};
const volts = (kind: 'bulkVoltage' | 'floatVoltage' | 'rechargeVoltage' | 'redischargeVoltage' | 'cutoffVoltage', valueV: number, batteryNominalV?: 12 | 24 | 48) =>
  built({ kind, valueV }, batteryNominalV === undefined ? {} : { batteryNominalV });

describe('priorities and battery type', () => {
  it('builds POP, PCP and PBT from domain names', () => {
    expect(built({ kind: 'outputSourcePriority', value: 'utilityFirst' })).toBe('POP00');
    expect(built({ kind: 'outputSourcePriority', value: 'sbu' })).toBe('POP02');
    expect(built({ kind: 'chargerSourcePriority', value: 'solarFirst' })).toBe('PCP01');
    expect(built({ kind: 'chargerSourcePriority', value: 'solarOnly' })).toBe('PCP03');
    expect(built({ kind: 'batteryType', value: 'flooded' })).toBe('PBT01');
  });

  it('refuses names outside the lists, and unknown kinds, without throwing', () => {
    expect(built({ kind: 'outputSourcePriority', value: 'batteryFirst' } as unknown as Pi30Setting)).toMatch(/^refused: badArgument: POP: "batteryFirst" is not one of utilityFirst/);
    expect(built({ kind: 'batteryType', value: 'pylontech' } as unknown as Pi30Setting)).toMatch(/^refused: badArgument/);
    expect(built({ kind: 'equalize' } as unknown as Pi30Setting)).toMatch(/^refused: badArgument/);
    expect(built({ kind: 'floatVoltage', valueV: 53.7 }, { batteryNominalV: 36 })).toMatch(/^refused: badArgument/);
  });
});

describe('voltages (nn.n exactly)', () => {
  it('formats with exactly one decimal, including values floating-point arithmetic blurs', () => {
    expect(volts('floatVoltage', 53.7)).toBe('PBFT53.7');
    expect(volts('bulkVoltage', 54.5 - 0.8 + 0.1)).toBe('PCVV53.8');
    expect(volts('redischargeVoltage', 0)).toBe('PBDV00.0');
    expect(volts('rechargeVoltage', 44)).toBe('PBCV44.0');
  });

  it('accepts the edges of each 48 V range and refuses just outside', () => {
    expect(volts('bulkVoltage', 48)).toBe('PCVV48.0');
    expect(volts('bulkVoltage', 58.4)).toBe('PCVV58.4');
    expect(volts('bulkVoltage', 58.5)).toMatch(/^refused: badArgument: PCVV: 58.5 V is not allowed; C.V. voltage: 48.0-58.4 V/);
    expect(volts('floatVoltage', 47.9)).toMatch(/^refused: badArgument/);
    expect(volts('cutoffVoltage', 42)).toBe('PSDV42.0');
    expect(volts('cutoffVoltage', 48)).toBe('PSDV48.0');
    expect(volts('cutoffVoltage', 41.9)).toMatch(/^refused: badArgument/);
    expect(volts('rechargeVoltage', 51)).toBe('PBCV51.0');
    expect(volts('rechargeVoltage', 52)).toMatch(/^refused: badArgument/);
    expect(volts('redischargeVoltage', 48)).toBe('PBDV48.0');
    expect(volts('redischargeVoltage', 58)).toBe('PBDV58.0');
    expect(volts('redischargeVoltage', 47)).toMatch(/^refused: badArgument: PBDV: 47 V is not allowed; .*00.0 V or 48.0-58.0 V in 1 V steps/);
  });

  it('refuses values off the step or with more than one decimal', () => {
    expect(volts('rechargeVoltage', 45.5)).toMatch(/^refused: badArgument/);
    expect(volts('redischargeVoltage', 53.7)).toMatch(/^refused: badArgument/);
    expect(volts('floatVoltage', 53.75)).toMatch(/^refused: badArgument: PBFT: 53.75 V has more than one decimal/);
    expect(volts('floatVoltage', Number.NaN)).toMatch(/^refused: badArgument/);
    expect(volts('floatVoltage', Number.POSITIVE_INFINITY)).toMatch(/^refused: badArgument/);
  });

  it('uses the 24 V and 12 V ranges where the document gives them, and refuses where it does not', () => {
    expect(volts('rechargeVoltage', 25.5, 24)).toBe('PBCV25.5');
    expect(volts('rechargeVoltage', 22.2, 24)).toMatch(/^refused: badArgument/);
    expect(volts('redischargeVoltage', 24.5, 24)).toBe('PBDV24.5');
    expect(volts('redischargeVoltage', 0, 24)).toBe('PBDV00.0');
    expect(volts('redischargeVoltage', 29.5, 24)).toMatch(/^refused: badArgument/);
    expect(volts('cutoffVoltage', 21, 24)).toBe('PSDV21.0');
    expect(volts('cutoffVoltage', 44, 24)).toMatch(/^refused: badArgument/);
    expect(volts('rechargeVoltage', 12.8, 12)).toBe('PBCV12.8');
    expect(volts('rechargeVoltage', 10.9, 12)).toMatch(/^refused: badArgument/);
    expect(volts('floatVoltage', 27, 24)).toMatch(/^refused: badArgument: PBFT: no documented range for a 24 V unit/);
    expect(volts('cutoffVoltage', 10.5, 12)).toMatch(/^refused: badArgument/);
  });
});

describe('charging currents', () => {
  it('uses MCHGC below 100 A and MNCHGC from 100 A', () => {
    expect(built({ kind: 'maxChargingCurrent', valueA: 10 })).toBe('MCHGC010');
    expect(built({ kind: 'maxChargingCurrent', valueA: 99 })).toBe('MCHGC099');
    expect(built({ kind: 'maxChargingCurrent', valueA: 100 })).toBe('MNCHGC0100');
    expect(built({ kind: 'maxChargingCurrent', valueA: 40, parallelUnit: 2 })).toBe('MCHGC240');
  });

  it('holds the value to the unit list when one is given', () => {
    const allowedA = [10, 20, 30, 40, 50, 60];
    expect(built({ kind: 'maxChargingCurrent', valueA: 40, allowedA })).toBe('MCHGC040');
    expect(built({ kind: 'maxChargingCurrent', valueA: 45, allowedA })).toMatch(/^refused: badArgument: MCHGC: 45 A is not among .* 10, 20, 30, 40, 50, 60 A/);
  });

  it('refuses zero, fractions, and a bad parallel unit', () => {
    expect(built({ kind: 'maxChargingCurrent', valueA: 0 })).toMatch(/^refused: badArgument/);
    expect(built({ kind: 'maxChargingCurrent', valueA: 12.5 })).toMatch(/^refused: badArgument/);
    expect(built({ kind: 'maxChargingCurrent', valueA: 1000 })).toMatch(/^refused: badArgument/);
    expect(built({ kind: 'maxChargingCurrent', valueA: 10, parallelUnit: 10 })).toMatch(/^refused: badArgument/);
  });

  it('builds MUCHGC below 100 A and refuses 100 A and more, where the command is ambiguous', () => {
    expect(built({ kind: 'maxAcChargingCurrent', valueA: 2 })).toBe('MUCHGC002');
    expect(built({ kind: 'maxAcChargingCurrent', valueA: 30 })).toBe('MUCHGC030');
    expect(built({ kind: 'maxAcChargingCurrent', valueA: 100 })).toMatch(/^refused: badArgument: MUCHGC: 100 A is refused/);
  });
});

describe('flags', () => {
  it('enables and disables a QFLAG letter by name', () => {
    expect(built({ kind: 'flag', flag: 'buzzer', enabled: true })).toBe('PEa');
    expect(built({ kind: 'flag', flag: 'lcdEscapeToDefault', enabled: false })).toBe('PDk');
    expect(built({ kind: 'flag', flag: 'flag_g', enabled: true } as unknown as Pi30Setting)).toMatch(/^refused: badArgument/);
  });
});
