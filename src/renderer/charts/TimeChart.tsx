/**
 * A history chart that keeps itself live: loads `points` ≤ its pixel width for the range, then appends
 * samples from its sources in place (Chart.js `update('none')`, no React render). Drag across it to zoom;
 * all charts of a page share the range, so they zoom together.
 */
import { useEffect, useRef, useState } from 'react';
import type { FieldValue } from '../../shared/samples';
import { useTheme } from '../state/theme';
import { usePrimarySource, type SeriesSource } from '../state/sources';
import { useInstance } from '../state/instance';
import { pointsForWidth, resolveRange, type ChartRange } from '../lib/range';
import { appendSample, bufferFromHistory, trimBefore, type SeriesBuffer } from '../lib/series-buffer';
import { buildConfig, lineKey, type LineSpec } from './time-config';
import { cancelUpdate, Chart, scheduleUpdate } from './setup';
import { useDragZoom } from './useDragZoom';
import { Legend } from './Legend';

export interface TimeChartProps {
  title: string;
  lines: readonly LineSpec[];
  range: ChartRange;
  onRangeChange(range: ChartRange): void;
  /** Extra sources beyond this page's own instance (Connections). */
  sources?: readonly SeriesSource[];
  /** Show the latest value of each line in the legend (own instance only). */
  liveLegend?: boolean;
}

type Status = { kind: 'loading' } | { kind: 'ready'; empty: boolean } | { kind: 'error'; message: string };

/** Width steps for refetching: a few pixels of resize should not reload every chart. */
const WIDTH_STEP = 64;

export function TimeChart({ title, lines, range, onRangeChange, sources = [], liveLegend = true }: TimeChartProps) {
  const primary = usePrimarySource();
  const { store, reportUnauthorized } = useInstance();
  const { resolved: theme } = useTheme();
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line'> | null>(null);
  const buffersRef = useRef(new Map<string, SeriesBuffer>());
  const windowRef = useRef(resolveRange(range, Date.now()));
  const [width, setWidth] = useState(0);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [reconnects, setReconnects] = useState(0);

  const allSources = [primary, ...sources];
  const sourceOf = (line: LineSpec): SeriesSource | undefined => allSources.find((s) => s.key === (line.source ?? primary.key));
  const linesKey = lines.map((l) => `${lineKey(l)}:${l.color}:${l.faded ? 1 : 0}`).join(',');
  const rangeKey = range.kind === 'relative' ? `r${range.spanMs}` : `f${range.from}-${range.to}`;
  const sourcesKey = allSources.map((s) => s.key).join(',');

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      setWidth(Math.max(WIDTH_STEP, Math.round(w / WIDTH_STEP) * WIDTH_STEP));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // History comes back after an outage: reload what the gap missed.
  useEffect(() => {
    let wasOpen = store.connection.state === 'open';
    return store.subscribe(() => {
      const open = store.connection.state === 'open';
      if (open && !wasOpen) setReconnects((n) => n + 1);
      wasOpen = open;
    });
  }, [store]);

  // Load history for the range at this width, one request per source.
  useEffect(() => {
    if (width === 0) return;
    const controller = new AbortController();
    const window = resolveRange(range, Date.now());
    windowRef.current = window;
    const points = pointsForWidth(Math.min(width, wrapRef.current?.clientWidth ?? width));
    setStatus((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    const bySource = new Map<SeriesSource, LineSpec[]>();
    for (const line of lines) {
      const source = sourceOf(line);
      if (source) bySource.set(source, [...(bySource.get(source) ?? []), line]);
    }
    Promise.all(
      [...bySource].map(async ([source, sourceLines]) => ({
        source,
        sourceLines,
        result: await source.client.history({ series: [...new Set(sourceLines.map((l) => l.series))], ...window, points }, controller.signal),
      })),
    ).then((answers) => {
      if (controller.signal.aborted) return;
      const buffers = new Map<string, SeriesBuffer>();
      const errors: string[] = [];
      for (const { source, sourceLines, result } of answers) {
        if (!result.ok) {
          if (result.error.kind === 'aborted') return;
          if (result.error.kind === 'unauthorized' && source === primary) reportUnauthorized();
          errors.push(allSources.length > 1 ? `${source.name}: ${result.error.message}` : result.error.message);
        }
        for (const line of sourceLines) {
          const points = result.ok ? (result.value.series[line.series] ?? []) : [];
          buffers.set(lineKey(line), bufferFromHistory(points, result.ok ? result.value.bucketMs : 0));
        }
      }
      buffersRef.current = buffers;
      rebuild();
      const empty = [...buffers.values()].every((b) => b.avg.length === 0);
      setStatus(errors.length > 0 && empty ? { kind: 'error', message: errors.join('; ') } : { kind: 'ready', empty });
    });
    return () => controller.abort();
    // sourceOf/rebuild read the current lines and sources, which the keys stand for.
  }, [linesKey, rangeKey, width, sourcesKey, reconnects]);

  function rebuild(): void {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (chartRef.current) {
      cancelUpdate(chartRef.current);
      chartRef.current.destroy();
    }
    const { config } = buildConfig(lines, buffersRef.current, windowRef.current, wrapRef.current?.clientWidth || width);
    chartRef.current = new Chart(canvas, config);
  }

  // New colours for a new theme; the data stays.
  useEffect(() => {
    if (chartRef.current) rebuild();
  }, [theme]);

  useEffect(
    () => () => {
      if (chartRef.current) {
        cancelUpdate(chartRef.current);
        chartRef.current.destroy();
        chartRef.current = null;
      }
    },
    [],
  );

  // Live samples, appended in place while the range follows now.
  useEffect(() => {
    if (range.kind !== 'relative') return;
    const offs = allSources.map((source) => {
      const wanted = new Map(lines.filter((l) => sourceOf(l) === source).map((l) => [l.series, lineKey(l)]));
      return source.subscribe((series: string, tsMs: number, value: FieldValue) => {
        const key = wanted.get(series);
        const buffer = key ? buffersRef.current.get(key) : undefined;
        const chart = chartRef.current;
        if (!buffer || !chart || typeof value !== 'number') return;
        if (!appendSample(buffer, tsMs, value)) return;
        const now = Math.max(Date.now(), tsMs);
        windowRef.current = { from: now - range.spanMs, to: now };
        trimBefore(buffer, windowRef.current.from);
        const x = chart.options.scales?.x;
        if (x) {
          x.min = windowRef.current.from;
          x.max = windowRef.current.to;
        }
        scheduleUpdate(chart);
        setStatus((s) => (s.kind === 'ready' && s.empty ? { kind: 'ready', empty: false } : s));
      });
    });
    return () => offs.forEach((off) => off());
  }, [linesKey, rangeKey, sourcesKey]);

  const drag = useDragZoom(chartRef, windowRef, onRangeChange);

  return (
    <figure className="card" style={{ margin: 0 }}>
      <header>
        <h2>{title}</h2>
      </header>
      <div className="chart-wrap" ref={wrapRef} {...drag.handlers}>
        <canvas ref={canvasRef} role="img" aria-label={`${title} chart`} />
        {drag.box && <div className="zoom-box" style={{ left: drag.box.left, width: drag.box.width }} />}
        {status.kind === 'loading' && <div className="chart-overlay">Loading…</div>}
        {status.kind === 'ready' && status.empty && <div className="chart-overlay">No data yet in this range</div>}
        {status.kind === 'error' && <div className="chart-overlay">Cannot load the history: {status.message}</div>}
      </div>
      <Legend lines={lines} live={liveLegend} />
    </figure>
  );
}
