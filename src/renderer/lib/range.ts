/**
 * Chart time ranges: the picker's presets, drag-to-zoom and panning, and how many points to ask for
 * (never more than the chart has pixels: more would be drawn on top of each other and cost the Pi time).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGE_PRESETS = [
  { id: '1h', label: '1 h', spanMs: HOUR },
  { id: '6h', label: '6 h', spanMs: 6 * HOUR },
  { id: '24h', label: '24 h', spanMs: DAY },
  { id: '7d', label: '7 d', spanMs: 7 * DAY },
  { id: '30d', label: '30 d', spanMs: 30 * DAY },
  { id: '1y', label: '1 y', spanMs: 365 * DAY },
  { id: '10y', label: '10 y', spanMs: 3652 * DAY },
] as const;

export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

/** `relative` follows now (live data is appended); `fixed` is a window a person zoomed or panned to. */
export type ChartRange = { kind: 'relative'; spanMs: number } | { kind: 'fixed'; from: number; to: number };

export const MIN_SPAN_MS = MINUTE;
export const MAX_SPAN_MS = RANGE_PRESETS[RANGE_PRESETS.length - 1]!.spanMs;
export const MAX_POINTS = 5000;
const MIN_POINTS = 2;

export const presetRange = (id: RangePresetId): ChartRange => ({ kind: 'relative', spanMs: RANGE_PRESETS.find((r) => r.id === id)?.spanMs ?? DAY });

export function resolveRange(range: ChartRange, nowMs: number): { from: number; to: number } {
  return range.kind === 'relative' ? { from: nowMs - range.spanMs, to: nowMs } : { from: range.from, to: range.to };
}

/** The preset a range equals, so the picker can show it as chosen; null for a zoomed window. */
export function presetOf(range: ChartRange): RangePresetId | null {
  if (range.kind !== 'relative') return null;
  return RANGE_PRESETS.find((r) => r.spanMs === range.spanMs)?.id ?? null;
}

/** Points for a chart `widthPx` CSS pixels wide: one per pixel at most, within what the API answers. */
export function pointsForWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx < MIN_POINTS) return MIN_POINTS;
  return Math.min(MAX_POINTS, Math.floor(widthPx));
}

/**
 * A drag across the plot from fraction `a` to fraction `b` of its width (either order) becomes the new
 * window. Too narrow a drag (a tap) returns null: on a touch screen that is a tooltip, not a zoom.
 */
export function zoomTo(window: { from: number; to: number }, a: number, b: number): ChartRange | null {
  const lo = Math.min(Math.max(Math.min(a, b), 0), 1);
  const hi = Math.min(Math.max(Math.max(a, b), 0), 1);
  if (hi - lo < 0.02) return null;
  const span = window.to - window.from;
  let from = window.from + lo * span;
  let to = window.from + hi * span;
  if (to - from < MIN_SPAN_MS) {
    const mid = (from + to) / 2;
    from = mid - MIN_SPAN_MS / 2;
    to = mid + MIN_SPAN_MS / 2;
  }
  return { kind: 'fixed', from: Math.round(from), to: Math.round(to) };
}

/** Twice the span around the same middle; reaching now again means following now. */
export function zoomOut(range: ChartRange, nowMs: number): ChartRange {
  const { from, to } = resolveRange(range, nowMs);
  const span = Math.min(MAX_SPAN_MS, (to - from) * 2);
  const mid = (from + to) / 2;
  const end = mid + span / 2;
  if (range.kind === 'relative' || end >= nowMs) return { kind: 'relative', spanMs: span };
  return { kind: 'fixed', from: Math.round(end - span), to: Math.round(end) };
}

/** Half a window back (-1) or forward (+1); forward into the future snaps to following now. */
export function pan(range: ChartRange, direction: -1 | 1, nowMs: number): ChartRange {
  const { from, to } = resolveRange(range, nowMs);
  const span = to - from;
  const shift = (span / 2) * direction;
  if (to + shift >= nowMs) return { kind: 'relative', spanMs: span };
  return { kind: 'fixed', from: Math.round(from + shift), to: Math.round(to + shift) };
}

type TimeUnit = 'minute' | 'hour' | 'day' | 'month' | 'year';

const UNIT_MS: Record<TimeUnit, number> = { minute: MINUTE, hour: HOUR, day: DAY, month: 30 * DAY, year: 365 * DAY };
const STEP_LADDER: ReadonlyArray<[TimeUnit, number]> = [
  ['minute', 1],
  ['minute', 2],
  ['minute', 5],
  ['minute', 10],
  ['minute', 15],
  ['minute', 30],
  ['hour', 1],
  ['hour', 2],
  ['hour', 3],
  ['hour', 6],
  ['hour', 12],
  ['day', 1],
  ['day', 2],
  ['day', 7],
  ['month', 1],
  ['month', 3],
  ['month', 6],
  ['year', 1],
  ['year', 2],
  ['year', 5],
];

/**
 * Round tick steps (every 15 min, 2 h, 1 d, 3 months…) for a time axis, about one label per
 * `pxPerTick` pixels, so the labels sit on whole hours and days instead of wherever they fall.
 */
export function timeTicks(spanMs: number, widthPx: number, pxPerTick = 90): { unit: TimeUnit; stepSize: number } {
  const wanted = Math.max(2, Math.floor(widthPx / pxPerTick));
  for (const [unit, stepSize] of STEP_LADDER) {
    if (spanMs / (UNIT_MS[unit] * stepSize) <= wanted) return { unit, stepSize };
  }
  return { unit: 'year', stepSize: 10 };
}

/**
 * Tick positions on whole multiples of the step counted from local midnight (`dayStartMs`): 15-minute
 * ticks fall on :00, :15, :30, :45 and 3-hour ticks on 00:00, 03:00… instead of wherever the window starts.
 */
export function alignedTicks(min: number, max: number, stepMs: number, dayStartMs: number, limit = 200): number[] {
  if (!(stepMs > 0) || !(max > min)) return [];
  const first = dayStartMs + Math.ceil((min - dayStartMs) / stepMs) * stepMs;
  const ticks: number[] = [];
  for (let t = first; t <= max && ticks.length < limit; t += stepMs) ticks.push(t);
  return ticks;
}

export const stepMs = (unit: TimeUnit, stepSize: number): number => UNIT_MS[unit] * stepSize;
