/**
 * Drag-to-zoom without a plugin: pointer events on the chart's box, a translucent band while dragging,
 * and the new window from the fractions of the plot area. Works with a mouse and a finger (the canvas
 * lets vertical pans scroll the page; a horizontal drag is a zoom).
 */
import { useRef, useState, type PointerEvent, type RefObject } from 'react';
import type { Chart } from 'chart.js';
import { zoomTo, type ChartRange } from '../lib/range';

export function useDragZoom(chartRef: RefObject<Chart<'line'> | null>, windowRef: RefObject<{ from: number; to: number }>, onRangeChange: (range: ChartRange) => void) {
  const start = useRef<number | null>(null);
  const [box, setBox] = useState<{ left: number; width: number } | null>(null);

  const area = () => {
    const a = chartRef.current?.chartArea;
    return a && a.right > a.left ? a : null;
  };
  const xOf = (e: PointerEvent<HTMLDivElement>) => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const clamp = (x: number) => {
    const a = area();
    return a ? Math.min(Math.max(x, a.left), a.right) : x;
  };

  const handlers = {
    onPointerDown(e: PointerEvent<HTMLDivElement>) {
      if (e.button !== 0 || !area()) return;
      start.current = clamp(xOf(e));
      e.currentTarget.setPointerCapture?.(e.pointerId);
    },
    onPointerMove(e: PointerEvent<HTMLDivElement>) {
      if (start.current === null) return;
      const x = clamp(xOf(e));
      const left = Math.min(start.current, x);
      const width = Math.abs(x - start.current);
      setBox(width > 3 ? { left, width } : null);
    },
    onPointerUp(e: PointerEvent<HTMLDivElement>) {
      const a = area();
      const from = start.current;
      start.current = null;
      setBox(null);
      if (from === null || !a) return;
      const span = a.right - a.left;
      const next = zoomTo(windowRef.current, (from - a.left) / span, (clamp(xOf(e)) - a.left) / span);
      if (next) onRangeChange(next);
    },
    onPointerCancel() {
      start.current = null;
      setBox(null);
    },
  };
  return { handlers, box };
}
