/** A chart's legend in HTML: colour, name and (for this instance's lines) the latest value. */
import { useSeries } from '../state/hooks';
import { formatSeriesValue } from '../lib/format';
import { labelOf, lineKey, type LineSpec } from './time-config';

function LiveValue({ series }: { series: string }) {
  const { entry, stale } = useSeries(series);
  if (!entry || typeof entry.value !== 'number') return null;
  return <strong className={stale ? 'stale' : undefined}> {formatSeriesValue(series, entry.value)}</strong>;
}

export function Legend({ lines, live }: { lines: readonly LineSpec[]; live: boolean }) {
  const shown = lines.filter((l) => !l.faded);
  if (shown.length === 0) return null;
  return (
    <div className="legend">
      {shown.map((line) => (
        <span key={lineKey(line)}>
          <span className="swatch" style={{ background: `var(${line.color})` }} />
          {labelOf(line)}
          {live && !line.source && <LiveValue series={line.series} />}
        </span>
      ))}
    </div>
  );
}
