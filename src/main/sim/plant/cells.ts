/**
 * LiFePO4 cells: open-circuit voltage as a function of state of charge (flat plateau 3.2-3.35 V, knees
 * at both ends, a steep rise when overcharged), and the stored chemical energy, the integral of that
 * curve. Both are sampled once on a fine grid so a step costs a table lookup per cell.
 */

/** (SOC fraction, volts at rest, 25 °C). SOC may exceed 1 slightly: that is the overcharge region. */
const OCV_POINTS: ReadonlyArray<readonly [number, number]> = [
  [0, 2.5],
  [0.02, 2.9],
  [0.05, 3.05],
  [0.1, 3.18],
  [0.15, 3.22],
  [0.2, 3.25],
  [0.3, 3.27],
  [0.4, 3.285],
  [0.5, 3.29],
  [0.6, 3.3],
  [0.7, 3.315],
  [0.8, 3.325],
  [0.9, 3.335],
  [0.95, 3.35],
  [0.98, 3.38],
  [0.995, 3.42],
  [1.0, 3.45],
  [1.01, 3.6],
  [1.02, 3.8],
];

export const SOC_MIN = 0;
export const SOC_MAX = 1.02;
const GRID_STEP = 0.0005;
const GRID_SIZE = Math.round((SOC_MAX - SOC_MIN) / GRID_STEP) + 1;

const ocvGrid = new Float64Array(GRID_SIZE);
/** Cumulative ∫OCV dSOC from 0, in volt·(fraction of capacity). */
const energyGrid = new Float64Array(GRID_SIZE);

(function sampleCurve() {
  let segment = 0;
  for (let i = 0; i < GRID_SIZE; i++) {
    const soc = SOC_MIN + i * GRID_STEP;
    while (segment < OCV_POINTS.length - 2 && soc > (OCV_POINTS[segment + 1]?.[0] ?? 0)) segment++;
    const [s0, v0] = OCV_POINTS[segment] ?? [0, 0];
    const [s1, v1] = OCV_POINTS[segment + 1] ?? [1, 0];
    ocvGrid[i] = v0 + ((v1 - v0) * (soc - s0)) / (s1 - s0);
    if (i > 0) energyGrid[i] = (energyGrid[i - 1] ?? 0) + ((ocvGrid[i - 1] ?? 0) + (ocvGrid[i] ?? 0)) * GRID_STEP * 0.5;
  }
})();

/** Rest voltage of a cell at this state of charge (clamped to the modelled range). */
export function openCircuitVoltageV(soc: number): number {
  const position = (Math.min(SOC_MAX, Math.max(SOC_MIN, soc)) - SOC_MIN) / GRID_STEP;
  const i = Math.min(GRID_SIZE - 2, Math.floor(position));
  const a = ocvGrid[i] ?? 0;
  return a + ((ocvGrid[i + 1] ?? a) - a) * (position - i);
}

/** Chemical energy stored in a cell of this capacity between SOC 0 and `soc`, Wh. */
export function storedEnergyWh(soc: number, capacityAh: number): number {
  const position = (Math.min(SOC_MAX, Math.max(SOC_MIN, soc)) - SOC_MIN) / GRID_STEP;
  const i = Math.min(GRID_SIZE - 2, Math.floor(position));
  const fraction = position - i;
  const v0 = ocvGrid[i] ?? 0;
  const v1 = ocvGrid[i + 1] ?? v0;
  // Exact integral of the linear piece from grid point i to the position.
  const partial = (v0 + (v0 + (v1 - v0) * fraction)) * 0.5 * fraction * GRID_STEP;
  return ((energyGrid[i] ?? 0) + partial) * capacityAh;
}
