import { describe, expect, it } from 'vitest';
import { derivedQpigsValues, qpigsCheckValues } from './qpigs-derived.js';

describe('derivedQpigsValues', () => {
  it('takes PV power from pvChargingPowerW when the firmware reports it', () => {
    expect(derivedQpigsValues({ pvChargingPowerW: 1250, pvInputVoltageV: 300, pvInputCurrentA: 20, batteryVoltageV: 52, batteryChargingCurrentA: 20, batteryDischargeCurrentA: 0 })).toEqual({
      pvPowerW: 1250,
      batteryPowerW: 1040,
    });
  });

  it('falls back to PV voltage × current on 17-field firmware, and signs battery power + charging', () => {
    expect(derivedQpigsValues({ pvInputVoltageV: 350.1, pvInputCurrentA: 5.5, batteryVoltageV: 51.2, batteryChargingCurrentA: 0, batteryDischargeCurrentA: 12 })).toEqual({
      pvPowerW: 1925.55,
      batteryPowerW: -614.4,
    });
  });

  it('gives null, not NaN, when a field the product needs is missing', () => {
    expect(derivedQpigsValues({ pvChargingPowerW: null, pvInputVoltageV: null, pvInputCurrentA: 3, batteryVoltageV: 52 })).toEqual({ pvPowerW: null, batteryPowerW: null });
  });

  it('computes the products the plausibility rules look at', () => {
    expect(qpigsCheckValues({ pvInputVoltageV: 100, pvInputCurrentA: 2, batteryVoltageV: 50, batteryChargingCurrentA: 3, batteryDischargeCurrentA: 4 })).toEqual({
      pvInputPowerW: 200,
      batteryChargingPowerW: 150,
      batteryDischargingPowerW: 200,
    });
  });
});
