/**
 * Default QPIGS plausibility rules: the original installation's noise filter (protocols.md §5, QPIGS),
 * one rule per condition it dropped rows for. Two deliberate differences: output frequency and voltage
 * are checked only while the output is on (the old filter dropped every row of an inverter with its
 * output off), and the A/D-count heat sink reading of 1-3 kVA models needs its own range in the config.
 */
import type { PlausibilityRule } from '../core/plausibility.js';

export const DEFAULT_QPIGS_RULES: readonly PlausibilityRule[] = [
  { field: 'batteryVoltageV', min: 40, max: 60 },
  { field: 'batteryChargingCurrentA', max: 50 },
  { field: 'acOutputFrequencyHz', min: 45, max: 55, when: { field: 'acOutputVoltageV', above: 0 } },
  { field: 'acOutputVoltageV', min: 200, max: 260, when: { field: 'acOutputVoltageV', above: 0 } },
  { field: 'acOutputVoltageV', min: 150, when: { field: 'outputLoadPct', above: 0 } },
  { field: 'acOutputActivePowerW', max: 15_000 },
  { field: 'acOutputApparentPowerVA', max: 15_000 },
  { field: 'heatSinkTemperatureC', min: 10, max: 60 },
  { field: 'pvInputVoltageV', max: 500 },
  { field: 'pvInputVoltageV', min: 100, when: { field: 'pvInputCurrentA', above: 1 } },
  { field: 'pvInputPowerW', max: 3000 },
  { field: 'batteryChargingPowerW', max: 5000 },
  { field: 'batteryDischargingPowerW', max: 10_000 },
  { field: 'batteryDischargingPowerW', max: { field: 'acOutputActivePowerW', factor: 2 } },
];
