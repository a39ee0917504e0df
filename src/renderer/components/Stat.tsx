/** One number with its label, the way the original dashboards showed them, marked when out of date. */
import type { ReactNode } from 'react';
import { formatSeriesValue } from '../lib/format';
import { seriesInfo } from '../../shared/series';
import { useSeries } from '../state/hooks';

export interface StatProps {
  label: string;
  value: ReactNode;
  tone?: 'pv' | 'load' | 'battery' | 'discharge' | 'grid' | 'warn' | 'fault' | 'ok';
  stale?: boolean;
  hint?: ReactNode;
  big?: boolean;
  title?: string;
}

export function Stat({ label, value, tone, stale, hint, big, title }: StatProps) {
  const cls = ['stat', tone ? `tone-${tone}` : '', big ? 'big' : ''].filter(Boolean).join(' ');
  return (
    <div className={cls} title={title}>
      <div className="label">{label}</div>
      <div className={stale ? 'value stale' : 'value'} title={stale ? 'Out of date: not confirmed by the device since the connection was lost' : undefined}>
        {value}
      </div>
      {hint !== undefined && <div className="hint">{hint}</div>}
    </div>
  );
}

/** A stat bound to one live series, formatted by the catalogue. */
export function LiveStat({ series, label, tone, hint, big, format }: { series: string; label?: string; tone?: StatProps['tone']; hint?: ReactNode; big?: boolean; format?: (value: unknown) => string }) {
  const { entry, stale } = useSeries(series);
  const text = format ? format(entry?.value) : formatSeriesValue(series, entry?.value);
  return <Stat label={label ?? seriesInfo(series)?.label ?? series} value={text} tone={tone} stale={stale && entry !== undefined} hint={hint} big={big} />;
}

export function Card({ title, sub, actions, children, className }: { title: string; sub?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={className ? `card ${className}` : 'card'} aria-label={title}>
      <header>
        <h2>{title}</h2>
        {sub !== undefined && <span className="sub">{sub}</span>}
        {actions}
      </header>
      {children}
    </section>
  );
}
