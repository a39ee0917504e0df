import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../../shared/samples.js';
import { checkPlausibility } from '../core/plausibility.js';
import { qpigsCheckValues } from './qpigs-derived.js';
import { DEFAULT_QPIGS_RULES } from './qpigs-plausibility.js';

const normal: Record<string, FieldValue> = {
  acOutputVoltageV: 230,
  acOutputFrequencyHz: 50,
  acOutputApparentPowerVA: 460,
  acOutputActivePowerW: 400,
  outputLoadPct: 9,
  batteryVoltageV: 52.4,
  batteryChargingCurrentA: 10,
  batteryDischargeCurrentA: 0,
  heatSinkTemperatureC: 35,
  pvInputCurrentA: 5.5,
  pvInputVoltageV: 350,
};

const broken = (change: Record<string, FieldValue>): string[] => {
  const values = { ...normal, ...change };
  return checkPlausibility({ ...values, ...qpigsCheckValues(values) }, DEFAULT_QPIGS_RULES).map((v) => v.field);
};

describe('DEFAULT_QPIGS_RULES', () => {
  it('passes an ordinary reading and an inverter with its output switched off', () => {
    expect(broken({})).toEqual([]);
    expect(broken({ acOutputVoltageV: 0, acOutputFrequencyHz: 0, acOutputActivePowerW: 0, acOutputApparentPowerVA: 0, outputLoadPct: 0 })).toEqual([]);
  });

  it("drops what the original filter dropped", () => {
    expect(broken({ batteryVoltageV: 0.5 })).toContain('batteryVoltageV');
    expect(broken({ batteryVoltageV: 61 })).toContain('batteryVoltageV');
    expect(broken({ acOutputFrequencyHz: 25 })).toContain('acOutputFrequencyHz');
    expect(broken({ acOutputVoltageV: 270 })).toContain('acOutputVoltageV');
    expect(broken({ acOutputVoltageV: 0 })).toContain('acOutputVoltageV');
    expect(broken({ heatSinkTemperatureC: 75 })).toContain('heatSinkTemperatureC');
    expect(broken({ pvInputVoltageV: 650 })).toContain('pvInputVoltageV');
    expect(broken({ pvInputVoltageV: 40 })).toContain('pvInputVoltageV');
    expect(broken({ acOutputActivePowerW: 16_000 })).toContain('acOutputActivePowerW');
    expect(broken({ batteryDischargeCurrentA: 20, acOutputActivePowerW: 300 })).toContain('batteryDischargingPowerW');
  });

  it('keeps readings a 5 kW unit really produces and a near-idle night', () => {
    expect(broken({ batteryChargingCurrentA: 80, batteryVoltageV: 54 })).toEqual([]);
    expect(broken({ pvInputCurrentA: 11, pvInputVoltageV: 380 })).toEqual([]);
    expect(broken({ batteryChargingCurrentA: 0, batteryDischargeCurrentA: 1, acOutputActivePowerW: 0, pvInputCurrentA: 0, pvInputVoltageV: 0 })).toEqual([]);
  });
});
