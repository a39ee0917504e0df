/** The time range every chart of a page shares, remembered per page for this browser tab. */
import { useState } from 'react';
import { presetRange, type ChartRange, type RangePresetId } from '../lib/range';

export function usePageRange(page: string, initial: RangePresetId): [ChartRange, (range: ChartRange) => void] {
  const key = `voltmon.range.${page}`;
  const [range, setRange] = useState<ChartRange>(() => {
    try {
      const stored = JSON.parse(sessionStorage.getItem(key) ?? 'null') as ChartRange | null;
      if (stored?.kind === 'relative' && stored.spanMs > 0) return stored;
    } catch {
      // Nothing stored, or storage refused.
    }
    return presetRange(initial);
  });
  const update = (next: ChartRange) => {
    setRange(next);
    try {
      // A zoomed window is a moment's look; only presets are worth keeping.
      if (next.kind === 'relative') sessionStorage.setItem(key, JSON.stringify(next));
    } catch {
      // Storage refused: the range lasts for this view.
    }
  };
  return [range, update];
}
