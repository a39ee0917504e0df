/** Range presets from an hour to ten years, plus zoom out, back and forward; a zoomed window shows as such. */
import { pan, presetOf, RANGE_PRESETS, zoomOut, type ChartRange } from '../lib/range';
import { formatDateTime } from '../lib/format';

export function RangePicker({ range, onChange }: { range: ChartRange; onChange(range: ChartRange): void }) {
  const chosen = presetOf(range);
  return (
    <div className="range-picker" role="group" aria-label="Time range">
      {RANGE_PRESETS.map((p) => (
        <button key={p.id} type="button" className="button" aria-pressed={chosen === p.id} onClick={() => onChange({ kind: 'relative', spanMs: p.spanMs })}>
          {p.label}
        </button>
      ))}
      <button type="button" className="button" title="Earlier" aria-label="Earlier" onClick={() => onChange(pan(range, -1, Date.now()))}>
        ◀
      </button>
      <button type="button" className="button" title="Later" aria-label="Later" disabled={range.kind === 'relative'} onClick={() => onChange(pan(range, 1, Date.now()))}>
        ▶
      </button>
      <button type="button" className="button" title="Zoom out" aria-label="Zoom out" onClick={() => onChange(zoomOut(range, Date.now()))}>
        −
      </button>
      {range.kind === 'fixed' && (
        <span className="small muted">
          {formatDateTime(range.from)} – {formatDateTime(range.to)}
        </span>
      )}
    </div>
  );
}
