/**
 * The smallest y-axis span worth drawing per unit: a steady 52.80 V would otherwise fill the whole
 * chart height with 0.001 V of noise and look like wild swings.
 */
const MIN_SPAN_BY_UNIT: Record<string, number> = { V: 0.2, A: 2, W: 100, VA: 100, '%': 5, '°C': 2, Hz: 0.5, kWh: 0.1 };

export function minAxisSpan(series: string, unit: string): number {
  if (/^bms\.(cellVoltagesV\[\d+\]|maxCellVoltageV|minCellVoltageV)$/.test(series)) return 0.02;
  return MIN_SPAN_BY_UNIT[unit] ?? 1;
}

/** Widens [min, max] around its middle to at least `span`; a wider range is left as it is. */
export function widenRange(min: number, max: number, span: number): { min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max - min >= span) return { min, max };
  const mid = (min + max) / 2;
  return { min: mid - span / 2, max: mid + span / 2 };
}
