/**
 * Energy in kWh as the STATS dashboard had it, in the site's time zone: a day by hours, a month by days,
 * twelve months by months; produced, consumed, imported, exported, battery in and out, and the shares.
 */
import { useState } from 'react';
import type { EnergyResponse, EnergyTotals } from '../../shared/api';
import { BarChart } from '../charts/BarChart';
import { TimeChart } from '../charts/TimeChart';
import type { LineSpec } from '../charts/time-config';
import type { ChartRange } from '../lib/range';
import { Card, Stat } from '../components/Stat';
import { dateTimeFormat, formatEnergyKwh, formatEnergyTick, formatQuantity, NO_VALUE } from '../lib/format';
import { ENERGY_KEYS, ENERGY_LABEL, placeRows, selfConsumptionPct, selfSufficiencyPct, sumTotals } from '../lib/energy';
import { addLocalDays, addLocalMonths, isValidTimeZone, slots, startOfLocalDay } from '../lib/zone';
import { useApi } from '../state/hooks';
import { useInstance } from '../state/instance';

type View = 'day' | 'month' | 'year';
const VIEWS: ReadonlyArray<{ id: View; label: string }> = [
  { id: 'day', label: 'Day' },
  { id: 'month', label: 'Month' },
  { id: 'year', label: '12 months' },
];

const HOUR = 3_600_000;
let siteZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

interface Grid {
  period: EnergyResponse['period'];
  from: number;
  to: number;
  starts: number[];
  labels: string[];
  titles: string[];
  caption: string;
}

function gridFor(view: View, offset: number, zone: string, now: number): Grid {
  const fmt = (o: Intl.DateTimeFormatOptions) => dateTimeFormat(undefined, { ...o, timeZone: zone });
  if (view === 'day') {
    const from = addLocalDays(now, offset, zone);
    const to = addLocalDays(from, 1, zone);
    const starts = slots(from, to, (t) => t + HOUR);
    return {
      period: 'hour',
      from,
      to,
      starts,
      labels: starts.map((t) => fmt({ hour: '2-digit', hourCycle: 'h23' }).format(t)),
      titles: starts.map((t) => fmt({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(t)),
      caption: fmt({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(from),
    };
  }
  if (view === 'month') {
    const from = addLocalMonths(now, offset, zone);
    const to = addLocalMonths(from, 1, zone);
    const starts = slots(from, to, (t) => addLocalDays(t, 1, zone));
    return {
      period: 'day',
      from,
      to,
      starts,
      labels: starts.map((t) => fmt({ day: 'numeric' }).format(t)),
      titles: starts.map((t) => fmt({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(t)),
      caption: fmt({ month: 'long', year: 'numeric' }).format(from),
    };
  }
  const to = addLocalMonths(now, 1 + 12 * offset, zone);
  const from = addLocalMonths(to, -12, zone);
  const starts = slots(from, to, (t) => addLocalMonths(t, 1, zone));
  return {
    period: 'month',
    from,
    to,
    starts,
    labels: starts.map((t) => fmt({ month: 'short' }).format(t)),
    titles: starts.map((t) => fmt({ month: 'long', year: 'numeric' }).format(t)),
    caption: `${fmt({ month: 'short', year: 'numeric' }).format(from)} – ${fmt({ month: 'short', year: 'numeric' }).format(starts[starts.length - 1] ?? from)}`,
  };
}

const COLOR: Record<keyof EnergyTotals, string> = {
  pvProduced: '--pv',
  loadConsumed: '--load',
  gridImported: '--grid',
  gridExported: '--temp',
  batteryCharged: '--battery',
  batteryDischarged: '--discharge',
};

const CHARTS: ReadonlyArray<{ title: string; keys: Array<keyof EnergyTotals> }> = [
  { title: 'Production and consumption', keys: ['pvProduced', 'loadConsumed'] },
  { title: 'Grid', keys: ['gridImported', 'gridExported'] },
  { title: 'Battery', keys: ['batteryCharged', 'batteryDischarged'] },
];

const DAY_LINES: LineSpec[] = [
  { series: 'inverter.pvPowerW', color: '--pv' },
  { series: 'inverter.acOutputActivePowerW', color: '--load', label: 'Load' },
];

/** The day's power curve under its kWh, as the STATS dashboard had it; drag to zoom into the day. */
function DayPower({ from, to }: { from: number; to: number }) {
  const [zoom, setZoom] = useState<ChartRange | null>(null);
  const dayRange: ChartRange = { kind: 'fixed', from, to };
  const range = zoom?.kind === 'fixed' && zoom.from >= from && zoom.to <= to ? zoom : dayRange;
  return <TimeChart title="Power over the day" lines={DAY_LINES} range={range} onRangeChange={setZoom} liveLegend={false} />;
}

export function Statistics() {
  const { client } = useInstance();
  const [view, setView] = useState<View>('day');
  const [offset, setOffset] = useState(0);
  const [zone, setZone] = useState(siteZone);
  // Recomputed per render, so "today" moves on at midnight without a reload.
  const dayKey = startOfLocalDay(Date.now(), zone);
  const grid = gridFor(view, offset, zone, Date.now());
  const energy = useApi(
    async (signal) => {
      const r = await client.energy({ period: grid.period, from: grid.from, to: grid.to }, signal);
      if (r.ok && r.value.timeZone !== zone && isValidTimeZone(r.value.timeZone)) {
        siteZone = r.value.timeZone;
        setZone(r.value.timeZone);
      }
      return r;
    },
    [view, offset, zone, dayKey],
    5 * 60_000,
  );
  const rows = energy.value && energy.value.period === grid.period ? energy.value.rows.filter((r) => r.startTsMs >= grid.from && r.startTsMs < grid.to) : [];
  const placed = placeRows(grid.starts, rows, grid.to);
  const totals = sumTotals(rows);
  const noData = energy.state === 'ready' && rows.length === 0;
  const pct = (v: number | null) => (v === null ? NO_VALUE : formatQuantity(v, '%'));

  return (
    <>
      <div className="button-row">
        <div className="segmented" role="group" aria-label="Period">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className="button"
              aria-pressed={view === v.id}
              onClick={() => {
                setView(v.id);
                setOffset(0);
              }}
            >
              {v.label}
            </button>
          ))}
        </div>
        <button type="button" className="button" aria-label="Earlier" onClick={() => setOffset((o) => o - 1)}>
          ◀
        </button>
        <strong className="nowrap">{grid.caption}</strong>
        <button type="button" className="button" aria-label="Later" disabled={offset >= 0} onClick={() => setOffset((o) => Math.min(0, o + 1))}>
          ▶
        </button>
        <span className="muted small">
          {energy.state === 'loading' ? 'loading…' : energy.state === 'error' ? `not updated: ${energy.message}` : `time zone ${zone}`}
        </span>
      </div>
      <Card title="Totals" sub={noData ? 'no data for this period' : undefined}>
        <div className="stats">
          {ENERGY_KEYS.map((k) => (
            <Stat key={k} label={ENERGY_LABEL[k]} value={energy.value && !noData ? formatEnergyKwh(totals[k]) : NO_VALUE} tone={k === 'pvProduced' ? 'pv' : k === 'loadConsumed' ? 'load' : undefined} />
          ))}
          <Stat label="Self-consumption" value={pct(selfConsumptionPct(totals))} title="Share of the PV energy used on site rather than exported" />
          <Stat label="Self-sufficiency" value={pct(selfSufficiencyPct(totals))} title="Share of the consumption not bought from the grid" />
        </div>
      </Card>
      {view === 'day' && <DayPower from={grid.from} to={grid.to} />}
      <div className="grid cols-3">
        {CHARTS.map((c) => (
          <Card key={c.title} title={c.title} sub="kWh">
            <BarChart
              ariaLabel={`${c.title} per ${grid.period}`}
              labels={grid.labels}
              titles={grid.titles}
              unit="kWh"
              format={(v) => formatEnergyKwh(v)}
              tickFormat={(v) => formatEnergyTick(v)}
              series={c.keys.map((k) => ({ label: ENERGY_LABEL[k], color: COLOR[k], data: placed.map((r) => (r ? r.kwh[k] : null)) }))}
            />
            <div className="legend">
              {c.keys.map((k) => (
                <span key={k}>
                  <span className="swatch" style={{ background: `var(${COLOR[k]})` }} />
                  {ENERGY_LABEL[k]} {formatEnergyKwh(totals[k])}
                </span>
              ))}
            </div>
          </Card>
        ))}
      </div>
    </>
  );
}
