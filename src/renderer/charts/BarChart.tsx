/** Bars over categories (hours, days, months, cells). The chart instance stays; new data updates it in place. */
import { useEffect, useRef } from 'react';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { useTheme } from '../state/theme';
import { NBSP } from '../lib/format';
import { axisColors, cancelUpdate, Chart, cssColor, scheduleUpdate } from './setup';

export interface BarSeries {
  label: string;
  data: ReadonlyArray<number | null>;
  /** Stylesheet colour name, or one per bar. */
  color: string | readonly string[];
  /** Outline per bar (balancing cells), stylesheet colour names or null. */
  border?: ReadonlyArray<string | null>;
  stack?: string;
}

export interface BarChartProps {
  labels: readonly string[];
  series: readonly BarSeries[];
  unit: string;
  /** Formats a value for the tooltip. */
  format(value: number): string;
  /** Fixed y window (cells); otherwise from zero. */
  yRange?: { min: number; max: number };
  ariaLabel: string;
  /** Long titles for the tooltip (a date for a day's bar). */
  titles?: readonly string[];
  /** Axis labels; the number and `unit` when absent. */
  tickFormat?(value: number): string;
}

const axisNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

function datasets(series: readonly BarSeries[]): ChartDataset<'bar', Array<number | null>>[] {
  return series.map((s) => ({
    label: s.label,
    data: [...s.data],
    backgroundColor: typeof s.color === 'string' ? cssColor(s.color) : s.color.map(cssColor),
    borderColor: s.border ? s.border.map((b) => (b ? cssColor(b) : 'transparent')) : 'transparent',
    borderWidth: s.border ? 3 : 0,
    borderSkipped: false,
    stack: s.stack,
    maxBarThickness: 48,
  }));
}

export function BarChart({ labels, series, unit, format, yRange, ariaLabel, titles, tickFormat }: BarChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'bar', Array<number | null>> | null>(null);
  const { resolved: theme } = useTheme();
  const propsRef = useRef({ format, titles, tickFormat });
  propsRef.current = { format, titles, tickFormat };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const colors = axisColors();
    const config: ChartConfiguration<'bar', Array<number | null>> = {
      type: 'bar',
      data: { labels: [...labels], datasets: datasets(series) },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? (propsRef.current.titles?.[items[0].dataIndex] ?? items[0].label) : ''),
              label: (item) => `${item.dataset.label}: ${propsRef.current.format(Number(item.parsed.y))}`,
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { color: colors.text, maxRotation: 0, autoSkip: labels.length > 16, autoSkipPadding: 4 }, stacked: series.some((s) => s.stack) },
          y: {
            min: yRange?.min,
            max: yRange?.max,
            beginAtZero: !yRange,
            stacked: series.some((s) => s.stack),
            grid: { color: colors.grid },
            border: { display: false },
            ticks: { color: colors.text, maxTicksLimit: 6, callback: (v) => (propsRef.current.tickFormat ?? ((n: number) => `${axisNumber.format(n)}${NBSP}${unit}`))(Number(v)) },
          },
        },
      },
    };
    const chart = new Chart(canvas, config);
    chartRef.current = chart;
    return () => {
      cancelUpdate(chart);
      chart.destroy();
      chartRef.current = null;
    };
    // Rebuilt only for a new theme or another kind of chart; data changes update it below.
  }, [theme, unit, series.length, labels.length > 16]);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.data.labels = [...labels];
    const next = datasets(series);
    next.forEach((d, i) => {
      const current = chart.data.datasets[i];
      if (current) Object.assign(current, d);
      else chart.data.datasets.push(d);
    });
    const y = chart.options.scales?.y;
    if (y && yRange) {
      y.min = yRange.min;
      y.max = yRange.max;
    }
    scheduleUpdate(chart as unknown as Chart);
  });

  return (
    <div className="chart-wrap">
      <canvas ref={canvasRef} role="img" aria-label={ariaLabel} />
    </div>
  );
}
