/**
 * Default meter plausibility rules. The original installation filtered nothing but incomplete mbmd
 * bodies; these only catch what no SDM230 (230 V, 100 A max) can report.
 */
import type { PlausibilityRule } from '../core/plausibility.js';

export const DEFAULT_METER_RULES: readonly PlausibilityRule[] = [
  { field: 'voltageV', min: 0, max: 300 },
  { field: 'frequencyHz', min: 45, max: 65, when: { field: 'voltageV', above: 100 } },
  { field: 'currentA', min: -120, max: 120 },
  { field: 'activePowerW', min: -30_000, max: 30_000 },
  { field: 'apparentPowerVA', min: -30_000, max: 30_000 },
  { field: 'powerFactor', min: -1.001, max: 1.001 },
  { field: 'importActiveEnergyKwh', min: 0 },
  { field: 'exportActiveEnergyKwh', min: 0 },
];
