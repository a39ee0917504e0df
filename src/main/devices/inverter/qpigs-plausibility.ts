/**
 * Default QPIGS plausibility rules: the original installation's noise filter (protocols.md §5, QPIGS),
 * one rule per condition it dropped rows for, with these deliberate differences:
 * - output frequency and voltage are checked only while the output is on (the old filter dropped every
 *   reading of an inverter with its output off);
 * - its 50 A charge current, 5 kW charge power and 3 kW PV power limits sit below what a 5 kW unit
 *   legitimately does (MCHGC offers up to 120 A; the original controller never set more than 40 A), so
 *   they are raised to the largest MCHGC value, 7 kW and 6 kW;
 * - discharge power may exceed twice the output power by 100 W, the inverter's own consumption (the
 *   dashboards add 60 W for it), so a near-idle night is not dropped as noise.
 * A 1-3 kVA unit reporting its heat sink as an A/D count needs its own heatSinkTemperatureC range.
 */
import type { PlausibilityRule } from '../core/plausibility.js';

export const DEFAULT_QPIGS_RULES: readonly PlausibilityRule[] = [
  { field: 'batteryVoltageV', min: 40, max: 60 },
  { field: 'batteryChargingCurrentA', max: 120 },
  { field: 'acOutputFrequencyHz', min: 45, max: 55, when: { field: 'acOutputVoltageV', above: 0 } },
  { field: 'acOutputVoltageV', min: 200, max: 260, when: { field: 'acOutputVoltageV', above: 0 } },
  { field: 'acOutputVoltageV', min: 150, when: { field: 'outputLoadPct', above: 0 } },
  { field: 'acOutputActivePowerW', max: 15_000 },
  { field: 'acOutputApparentPowerVA', max: 15_000 },
  { field: 'heatSinkTemperatureC', min: 10, max: 60 },
  { field: 'pvInputVoltageV', max: 500 },
  { field: 'pvInputVoltageV', min: 100, when: { field: 'pvInputCurrentA', above: 1 } },
  { field: 'pvInputPowerW', max: 6000 },
  { field: 'batteryChargingPowerW', max: 7000 },
  { field: 'batteryDischargingPowerW', max: 10_000 },
  { field: 'batteryDischargingPowerW', max: { field: 'acOutputActivePowerW', factor: 2, offset: 100 } },
];
