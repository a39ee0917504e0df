/** Chart.js configuration for a time chart: datasets from series buffers, axes per unit, tooltips with units. */
import type { ChartConfiguration, ChartDataset, ScriptableLineSegmentContext, TooltipItem } from 'chart.js';
import { seriesInfo } from '../../shared/series';
import { dateTimeFormat, formatDateTime, formatSeriesValue, NBSP, tickFormatOptions } from '../lib/format';
import { minAxisSpan, widenRange } from '../lib/axis';
import { alignedTicks, stepMs, timeTicks } from '../lib/range';
import type { SeriesBuffer } from '../lib/series-buffer';
import { axisColors, cssColor, withAlpha } from './setup';

export interface LineSpec {
  series: string;
  /** Defaults to the catalogue label. */
  label?: string;
  /** A stylesheet colour name: `--pv`, `--battery`… */
  color: string;
  /** Which source (see SeriesSource.key); the page's own instance when absent. */
  source?: string;
  /** Signed power: fill above zero in the line colour, below in the discharge colour. */
  signedFill?: boolean;
  /** Draw the min..max of each bucket as a band (single-series charts). */
  band?: boolean;
  /** Thin and faded; for one-of-many lines (cells) while another is emphasised. */
  faded?: boolean;
}

export const lineKey = (line: LineSpec): string => `${line.source ?? 'local'}|${line.series}`;
export const unitOf = (line: LineSpec): string => seriesInfo(line.series)?.unit ?? '';
export const labelOf = (line: LineSpec): string => line.label ?? seriesInfo(line.series)?.label ?? line.series;

interface DatasetMeta {
  line: LineSpec;
  part: 'avg' | 'min' | 'max';
}

const axisNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** Left axis for the first unit, right axis for a second; a third unit shares the right one. */
export function axesFor(lines: readonly LineSpec[]): Map<string, 'y' | 'y1'> {
  const axes = new Map<string, 'y' | 'y1'>();
  for (const line of lines) {
    const unit = unitOf(line);
    if (!axes.has(unit)) axes.set(unit, axes.size === 0 ? 'y' : 'y1');
  }
  return axes;
}

export function buildDatasets(lines: readonly LineSpec[], buffers: ReadonlyMap<string, SeriesBuffer>): { datasets: ChartDataset<'line'>[]; meta: DatasetMeta[] } {
  const axes = axesFor(lines);
  const datasets: ChartDataset<'line'>[] = [];
  const meta: DatasetMeta[] = [];
  const discharge = cssColor('--discharge');
  for (const line of lines) {
    const buffer = buffers.get(lineKey(line)) ?? { avg: [], min: [], max: [], counts: [], bucketMs: 0 };
    const color = cssColor(line.color);
    const yAxisID = axes.get(unitOf(line)) ?? 'y';
    if (line.band) {
      datasets.push({ data: buffer.min, borderWidth: 0, pointRadius: 0, fill: false, yAxisID, label: '' });
      meta.push({ line, part: 'min' });
      datasets.push({ data: buffer.max, borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: withAlpha(color, 0.18), yAxisID, label: '' });
      meta.push({ line, part: 'max' });
    }
    datasets.push({
      label: labelOf(line),
      data: buffer.avg,
      borderColor: line.faded ? withAlpha(color, 0.35) : color,
      borderWidth: line.faded ? 1 : 1.8,
      pointRadius: 0,
      pointHitRadius: 6,
      yAxisID,
      fill: line.signedFill ? { target: 'origin', above: withAlpha(color, 0.3), below: withAlpha(discharge, 0.35) } : false,
      ...(line.signedFill ? { segment: { borderColor: (ctx: ScriptableLineSegmentContext) => ((ctx.p1.parsed.y ?? 0) < 0 ? discharge : color) } } : {}),
    });
    meta.push({ line, part: 'avg' });
  }
  return { datasets, meta };
}

export function buildConfig(
  lines: readonly LineSpec[],
  buffers: ReadonlyMap<string, SeriesBuffer>,
  window: { from: number; to: number },
  widthPx: number,
): { config: ChartConfiguration<'line'>; meta: DatasetMeta[] } {
  const { datasets, meta } = buildDatasets(lines, buffers);
  const axes = axesFor(lines);
  const colors = axisColors();
  const span = window.to - window.from;
  const step = timeTicks(span, widthPx);
  // Typed loosely: Chart.js's option types demand every default; the whole scales object is cast below.
  const yScale = (unit: string, position: 'left' | 'right'): Record<string, unknown> => ({
    type: 'linear',
    position,
    grace: '5%',
    afterDataLimits: (scale: { min: number; max: number }) => {
      const first = lines.find((l) => unitOf(l) === unit);
      const widened = widenRange(scale.min, scale.max, first ? minAxisSpan(first.series, unit) : 1);
      scale.min = widened.min;
      scale.max = widened.max;
    },
    grid: { color: colors.grid, drawOnChartArea: position === 'left' },
    border: { display: false },
    ticks: { color: colors.text, maxTicksLimit: 6, callback: (v: string | number) => `${axisNumber.format(Number(v))}${unit ? NBSP + unit : ''}` },
  });
  const scales: Record<string, unknown> = {
    x: {
      type: 'time',
      min: window.from,
      max: window.to,
      time: { unit: step.unit },
      afterBuildTicks: (scale: { min: number; max: number; ticks: Array<{ value: number }> }) => {
        if (step.unit !== 'minute' && step.unit !== 'hour') return;
        const midnight = new Date(scale.min).setHours(0, 0, 0, 0);
        scale.ticks = alignedTicks(scale.min, scale.max, stepMs(step.unit, step.stepSize), midnight).map((value) => ({ value }));
      },
      grid: { color: colors.grid },
      border: { display: false },
      ticks: {
        color: colors.text,
        maxRotation: 0,
        stepSize: step.stepSize,
        autoSkipPadding: 16,
        callback: (v: string | number) => dateTimeFormat(undefined, tickFormatOptions(span)).format(Number(v)),
      },
    },
  };
  for (const [unit, id] of axes) scales[id] = yScale(unit, id === 'y' ? 'left' : 'right');
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        tooltip: {
          filter: (item: TooltipItem<'line'>) => meta[item.datasetIndex]?.part === 'avg',
          callbacks: {
            title: (items) => (items[0] ? formatDateTime(items[0].parsed.x ?? 0) : ''),
            label: (item) => {
              const m = meta[item.datasetIndex];
              return m ? `${labelOf(m.line)}: ${formatSeriesValue(m.line.series, item.parsed.y ?? NaN)}` : '';
            },
          },
        },
      },
      scales: scales as NonNullable<ChartConfiguration<'line'>['options']>['scales'],
    },
  };
  return { config, meta };
}
