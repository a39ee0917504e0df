/**
 * Values computed from one QPIGS reply so that every consumer (store, charts, controller, MQTT) agrees
 * on them, and the check-only products the plausibility rules of the original installation used.
 */
import type { FieldValue } from '../../../shared/samples.js';

const num = (values: Readonly<Record<string, FieldValue>>, field: string): number | null => {
  const v = values[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** Products of two decimal fields carry float noise (52.1 × 10 = 521.0000000000001); watts to 0.01 are plenty. */
const product = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Math.round(a * b * 100) / 100);

/**
 * `pvPowerW`: pvChargingPowerW when the firmware reports it, else pvInputVoltageV × pvInputCurrentA.
 * `batteryPowerW`: batteryVoltageV × (charging − discharge current), positive = charging.
 */
export function derivedQpigsValues(values: Readonly<Record<string, FieldValue>>): { pvPowerW: number | null; batteryPowerW: number | null } {
  const reported = num(values, 'pvChargingPowerW');
  const pvPowerW = reported ?? product(num(values, 'pvInputVoltageV'), num(values, 'pvInputCurrentA'));
  const charging = num(values, 'batteryChargingCurrentA');
  const discharging = num(values, 'batteryDischargeCurrentA');
  const net = charging === null || discharging === null ? null : charging - discharging;
  return { pvPowerW, batteryPowerW: product(num(values, 'batteryVoltageV'), net) };
}

/** Quantities only the plausibility rules look at; not emitted. */
export function qpigsCheckValues(values: Readonly<Record<string, FieldValue>>): Record<string, number | null> {
  const batteryV = num(values, 'batteryVoltageV');
  return {
    pvInputPowerW: product(num(values, 'pvInputVoltageV'), num(values, 'pvInputCurrentA')),
    batteryChargingPowerW: product(batteryV, num(values, 'batteryChargingCurrentA')),
    batteryDischargingPowerW: product(batteryV, num(values, 'batteryDischargeCurrentA')),
  };
}
