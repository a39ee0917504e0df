/**
 * The controller's thresholds: the numbers its rules compare against. Defaults are the original
 * installation's (DESIGN.md §5); the ranges are what a 16S LiFePO4 pack behind a 48 V Axpert can sensibly
 * use. The command queue's hard limits still apply on top of whatever is configured here.
 */
import { z } from 'zod';

const volts = (min: number, max: number) => z.number().min(min).max(max);
const percent = z.number().min(0).max(100);
const amps = z.number().int().min(0).max(200);
const minutes = z.number().min(0).max(24 * 60);

const ThresholdFields = z
  .object({
    /** Battery at or below this in SBU: switch the output to utility first (USB). */
    switchToUsbV: volts(44, 56),
    /** Battery at or below this while the grid is disconnected: connect it. */
    gridRelayOnV: volts(44, 56),
    /** Battery recovered to this (the re-discharge voltage): back to SBU, grid disconnected. */
    gridRelayOffV: volts(44, 58),
    /** Battery at or above this: lower the charge current and keep the output in SBU. */
    nearlyFullV: volts(48, 58.4),
    /** Battery at or above this: full, lower bulk and float to the safe values. */
    batteryFullV: volts(48, 58.4),
    floatLowV: volts(48, 58.4),
    cvLowV: volts(48, 58.4),
    floatHighV: volts(48, 58.4),
    cvHighV: volts(48, 58.4),
    socLowPct: percent,
    socHighPct: percent,
    /** Any cell at or above this counts as full. */
    cellMaxV: volts(3.2, 3.65),
    capacityAh: z.number().min(1).max(10_000),
    /** Charge current while nearly full, when full, and the one restored at night. */
    chargeCurrentReducedA: amps,
    chargeCurrentSafeA: amps,
    chargeCurrentOptimalA: amps,
    /** Local time (hour, 0-23) at which the optimal bulk, float and current are restored. */
    restoreHour: z.number().int().min(0).max(23),
    /** How long the battery-voltage conditions must hold before a rule acts. */
    lowVoltageMinutes: minutes,
    recoveredMinutes: minutes,
    fullMinutes: minutes,
    socMinutes: minutes,
    /** After acting, a rule waits this long before it may act again. */
    cooldownMinutes: z.number().min(1).max(24 * 60),
  })
  .strict();

export type ControllerThresholds = z.output<typeof ThresholdFields>;

/** The thresholds with their ranges and the orderings that keep the rules from fighting each other. */
export const ControllerThresholdsSchema = ThresholdFields.superRefine((t, ctx) => {
  const order = (lower: keyof ControllerThresholds, upper: keyof ControllerThresholds, strict = true) => {
    const ok = strict ? t[lower] < t[upper] : t[lower] <= t[upper];
    if (!ok) ctx.addIssue({ code: 'custom', path: [upper], message: `${upper} must be ${strict ? 'above' : 'at least'} ${lower} (${t[lower]})` });
  };
  order('switchToUsbV', 'gridRelayOnV', false);
  order('gridRelayOnV', 'gridRelayOffV');
  order('gridRelayOffV', 'nearlyFullV');
  order('nearlyFullV', 'batteryFullV', false);
  order('floatLowV', 'cvLowV', false);
  order('floatHighV', 'cvHighV', false);
  order('cvLowV', 'cvHighV', false);
  order('floatLowV', 'floatHighV', false);
  order('socLowPct', 'socHighPct');
  order('chargeCurrentSafeA', 'chargeCurrentReducedA', false);
  order('chargeCurrentReducedA', 'chargeCurrentOptimalA', false);
  // These are sent to the inverter, which takes voltages with one decimal (PBFT53.7).
  for (const key of ['floatLowV', 'cvLowV', 'floatHighV', 'cvHighV'] as const) {
    if (Math.abs(t[key] * 10 - Math.round(t[key] * 10)) > 1e-6) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${key} must have at most one decimal (the inverter stores 0.1 V steps)` });
    }
  }
});

export const DEFAULT_THRESHOLDS: Readonly<ControllerThresholds> = Object.freeze({
  switchToUsbV: 50.6,
  gridRelayOnV: 51.2,
  gridRelayOffV: 51.8,
  nearlyFullV: 54.0,
  batteryFullV: 54.5,
  floatLowV: 53.7,
  cvLowV: 53.8,
  floatHighV: 55.1,
  cvHighV: 55.2,
  socLowPct: 14,
  socHighPct: 24,
  cellMaxV: 3.53,
  capacityAh: 280,
  chargeCurrentReducedA: 20,
  chargeCurrentSafeA: 10,
  chargeCurrentOptimalA: 60,
  restoreHour: 3,
  lowVoltageMinutes: 4,
  recoveredMinutes: 10,
  fullMinutes: 2,
  socMinutes: 2,
  cooldownMinutes: 30,
});

/**
 * Thresholds from a partial set (config file, PUT /controller): missing keys take the defaults, and the
 * result is checked as a whole. Errors are one line each, naming the key.
 */
export function resolveThresholds(partial: unknown): { ok: true; value: ControllerThresholds } | { ok: false; error: string[] } {
  if (partial !== undefined && (partial === null || typeof partial !== 'object' || Array.isArray(partial))) {
    return { ok: false, error: ['thresholds: expected a mapping of names to numbers'] };
  }
  const parsed = ControllerThresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, ...(partial as object | undefined) });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'thresholds'}: ${i.message}`) };
}
