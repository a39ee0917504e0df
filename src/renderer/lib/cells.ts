/** The pack's cells at a glance: lowest, highest, spread and who is balancing. */
import type { FieldValue } from '../../shared/samples';
import { splitList } from './labels';

export const MAX_CELLS = 16;

export interface CellStats {
  /** Cell voltages by index (cell 1 at 0); null where the BMS has not reported one. */
  voltages: Array<number | null>;
  min: number | null;
  max: number | null;
  /** 0-based indexes of the lowest and highest cell. */
  minIndex: number | null;
  maxIndex: number | null;
  spreadV: number | null;
  avg: number | null;
  /** 0-based indexes of cells being balanced. */
  balancing: Set<number>;
}

/** Reads `bms.cellVoltagesV[0..]` up to the last reported cell, and `bms.balancingCells` (1-based). */
export function cellStats(live: (series: string) => FieldValue | undefined, maxCells = MAX_CELLS): CellStats {
  const raw: Array<number | null> = [];
  for (let i = 0; i < maxCells; i++) {
    const v = live(`bms.cellVoltagesV[${i}]`);
    raw.push(typeof v === 'number' && Number.isFinite(v) ? v : null);
  }
  let count = raw.length;
  while (count > 0 && raw[count - 1] === null) count -= 1;
  const voltages = raw.slice(0, count);
  let min: number | null = null;
  let max: number | null = null;
  let minIndex: number | null = null;
  let maxIndex: number | null = null;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < voltages.length; i++) {
    const v = voltages[i];
    if (v === null || v === undefined) continue;
    if (min === null || v < min) [min, minIndex] = [v, i];
    if (max === null || v > max) [max, maxIndex] = [v, i];
    sum += v;
    n += 1;
  }
  const balancing = new Set<number>();
  for (const item of splitList(live('bms.balancingCells'))) {
    const cell = Number(item);
    if (Number.isInteger(cell) && cell >= 1 && cell <= maxCells) balancing.add(cell - 1);
  }
  return {
    voltages,
    min,
    max,
    minIndex,
    maxIndex,
    spreadV: min !== null && max !== null ? max - min : null,
    avg: n > 0 ? sum / n : null,
    balancing,
  };
}

/**
 * The y-axis window for the cell bars: a few mV around the cells, so a 5 mV spread is visible
 * (from 0 V every bar would look the same).
 */
export function cellAxisRange(stats: Pick<CellStats, 'min' | 'max'>): { min: number; max: number } {
  if (stats.min === null || stats.max === null) return { min: 2.5, max: 3.65 };
  const pad = Math.max(0.01, (stats.max - stats.min) * 0.5);
  return { min: Math.floor((stats.min - pad) * 100) / 100, max: Math.ceil((stats.max + pad) * 100) / 100 };
}
