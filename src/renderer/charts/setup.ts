/**
 * Chart.js with only the pieces voltmon draws (line and bar charts, time and category axes, tooltips,
 * area fills): the rest stays out of the bundle. Colours come from the stylesheet's custom properties
 * so the charts follow the theme.
 */
import { BarController, BarElement, CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, TimeScale, Tooltip } from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, TimeScale, CategoryScale, Tooltip, Filler);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';

export { Chart };

/** A colour from the stylesheet (`--pv`), resolved now; charts are rebuilt when the theme changes. */
export function cssColor(name: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || '#888888';
}

/** The same colour with an alpha, for fills: `#f2c200` → `rgba(242, 194, 0, 0.25)`. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const n = parseInt(hex[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function axisColors(): { text: string; grid: string } {
  return { text: cssColor('--muted'), grid: cssColor('--chart-grid') };
}

const pending = new Set<Chart>();
let frame: number | null = null;

/**
 * Redraws a chart at the next animation frame, once however many samples arrived for it: six charts
 * fed at 1 Hz cost six cheap redraws per second, not one per sample.
 */
export function scheduleUpdate(chart: Chart): void {
  pending.add(chart);
  if (frame !== null) return;
  frame = requestAnimationFrame(() => {
    frame = null;
    const charts = [...pending];
    pending.clear();
    for (const c of charts) {
      // A chart destroyed since it was scheduled has no canvas context any more.
      if (c.ctx) c.update('none');
    }
  });
}

export function cancelUpdate(chart: Chart): void {
  pending.delete(chart);
}
