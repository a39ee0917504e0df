/**
 * Energy from power samples: trapezoids between consecutive samples of one power series, split at local
 * hour boundaries and at zero crossings, so a signed series (grid, battery) yields a positive and a negative
 * energy. Pairs further apart than the gap limit are not bridged. Pure: state in, state and totals out.
 */
import type { EnergyTotals } from '../../shared/api.js';

const MS_PER_HOUR = 3_600_000;

export type EnergyQuantity = keyof EnergyTotals;

/** Which power series feeds which quantities: positive part, negative part (as a positive number). */
export const POWER_SERIES: ReadonlyArray<{ series: string; positive: EnergyQuantity; negative: EnergyQuantity | null }> = [
  { series: 'inverter.pvPowerW', positive: 'pvProduced', negative: null },
  { series: 'inverter.acOutputActivePowerW', positive: 'loadConsumed', negative: null },
  { series: 'meter.activePowerW', positive: 'gridImported', negative: 'gridExported' },
  { series: 'inverter.batteryPowerW', positive: 'batteryCharged', negative: 'batteryDischarged' },
];

export const ENERGY_QUANTITIES: readonly EnergyQuantity[] = ['pvProduced', 'loadConsumed', 'gridImported', 'gridExported', 'batteryCharged', 'batteryDischarged'];

export interface PowerPoint {
  tsMs: number;
  powerW: number;
}

/** Wh per quantity, keyed by the UTC start of the local hour. */
export type HourlyEnergy = Map<number, Record<EnergyQuantity, number>>;

export const emptyTotals = (): Record<EnergyQuantity, number> => ({
  pvProduced: 0,
  loadConsumed: 0,
  gridImported: 0,
  gridExported: 0,
  batteryCharged: 0,
  batteryDischarged: 0,
});

/** Positive and negative area (W·ms) under the straight line from p0 to p1 over dtMs. */
export function splitArea(p0: number, p1: number, dtMs: number): { positive: number; negative: number } {
  if (p0 >= 0 && p1 >= 0) return { positive: ((p0 + p1) / 2) * dtMs, negative: 0 };
  if (p0 <= 0 && p1 <= 0) return { positive: 0, negative: (-(p0 + p1) / 2) * dtMs };
  const crossingMs = (dtMs * p0) / (p0 - p1);
  const first = (p0 / 2) * crossingMs;
  const second = (p1 / 2) * (dtMs - crossingMs);
  return p0 > 0 ? { positive: first, negative: -second } : { positive: second, negative: -first };
}

export interface IntegratorOptions {
  gapMs: number;
  /** UTC start of the local hour containing tsMs. */
  hourStart: (tsMs: number) => number;
}

/**
 * Integrate one step from `previous` to `current` into `into`. Returns false when the pair was not
 * bridged (too far apart, or not moving forward in time).
 */
export function integrateStep(
  previous: PowerPoint,
  current: PowerPoint,
  quantities: { positive: EnergyQuantity; negative: EnergyQuantity | null },
  options: IntegratorOptions,
  into: HourlyEnergy,
): boolean {
  const spanMs = current.tsMs - previous.tsMs;
  if (spanMs <= 0 || spanMs > options.gapMs) return false;
  const slope = (current.powerW - previous.powerW) / spanMs;
  let t = previous.tsMs;
  while (t < current.tsMs) {
    const hour = options.hourStart(t);
    const end = Math.min(hour + MS_PER_HOUR, current.tsMs);
    const area = splitArea(previous.powerW + slope * (t - previous.tsMs), previous.powerW + slope * (end - previous.tsMs), end - t);
    const totals = into.get(hour) ?? emptyTotals();
    totals[quantities.positive] += area.positive / MS_PER_HOUR;
    if (quantities.negative) totals[quantities.negative] += area.negative / MS_PER_HOUR;
    into.set(hour, totals);
    t = end;
  }
  return true;
}
