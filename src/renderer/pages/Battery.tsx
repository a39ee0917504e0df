/**
 * Everything the BMS dashboard had, and what it lacked: the 16 cells side by side with the lowest,
 * highest, spread and balancing cells marked, each cell's history, the pack, MOSFETs and alarms.
 */
import { useState } from 'react';
import { BarChart } from '../charts/BarChart';
import { TimeChart } from '../charts/TimeChart';
import type { LineSpec } from '../charts/time-config';
import { RangePicker } from '../components/RangePicker';
import { Card, LiveStat, Stat } from '../components/Stat';
import { cellAxisRange, cellStats, MAX_CELLS } from '../lib/cells';
import { formatNumber, formatQuantity, NBSP, NO_VALUE } from '../lib/format';
import { alarmLabel, splitList } from '../lib/labels';
import { useLiveLookup } from '../state/hooks';
import { usePageRange } from './page-range';

const TEMPERATURE_SENSORS = 4;

/** `+3 mV`, `−1 mV`, `±0 mV`: how far a cell sits from the pack average. */
function deviationText(deltaV: number): string {
  const mv = Math.round(deltaV * 1000);
  return `${mv > 0 ? '+' : mv < 0 ? '−' : '±'}${formatNumber(Math.abs(mv), 0)}${NBSP}mV`;
}

function Cells() {
  const live = useLiveLookup();
  const s = cellStats(live.value);
  const stale = live.isStale('bms.cellVoltagesV[0]');
  const labels = s.voltages.map((_, i) => String(i + 1));
  const colors = s.voltages.map((_, i) => (i === s.maxIndex ? '--cell-max' : i === s.minIndex ? '--cell-min' : '--battery'));
  const borders = s.voltages.map((_, i) => (s.balancing.has(i) ? '--balance' : null));
  const balancing = [...s.balancing].sort((a, b) => a - b).map((i) => i + 1);
  return (
    <Card title="Cells" sub={stale ? 'out of date' : `${s.voltages.length} cells`}>
      <div className="stats" style={{ marginBottom: 8 }}>
        <Stat label="Highest cell" tone="warn" stale={stale} value={formatQuantity(s.max, 'V', undefined, 3)} hint={s.maxIndex !== null ? `cell ${s.maxIndex + 1}` : undefined} />
        <Stat label="Lowest cell" tone="grid" stale={stale} value={formatQuantity(s.min, 'V', undefined, 3)} hint={s.minIndex !== null ? `cell ${s.minIndex + 1}` : undefined} />
        <Stat label="Spread" stale={stale} value={s.spreadV === null ? NO_VALUE : formatQuantity(s.spreadV * 1000, 'mV')} tone={s.spreadV !== null && s.spreadV > 0.05 ? 'fault' : undefined} />
        <Stat label="Average" stale={stale} value={formatQuantity(s.avg, 'V', undefined, 3)} />
        <Stat label="Balancing" stale={stale} value={balancing.length ? `cells ${balancing.join(', ')}` : 'none'} />
      </div>
      {s.voltages.length === 0 ? (
        <p className="muted">No cell voltages yet.</p>
      ) : (
        <>
          <BarChart
            ariaLabel="Cell voltages"
            labels={labels}
            series={[{ label: 'Cell voltage', data: s.voltages, color: colors, border: borders }]}
            unit="V"
            format={(v) => `${formatQuantity(v, 'V', undefined, 3)}${s.avg === null ? '' : ` (${deviationText(v - s.avg)} from the average)`}`}
            yRange={cellAxisRange(s)}
            titles={labels.map((l, i) => `Cell ${l}${s.balancing.has(i) ? ' (balancing)' : ''}`)}
          />
          <div className="legend">
            <span>
              <span className="swatch" style={{ background: 'var(--cell-max)' }} />
              highest
            </span>
            <span>
              <span className="swatch" style={{ background: 'var(--cell-min)' }} />
              lowest
            </span>
            <span>
              <span className="swatch" style={{ background: 'transparent', outline: '3px solid var(--balance)', outlineOffset: -3 }} />
              balancing
            </span>
          </div>
        </>
      )}
    </Card>
  );
}

function Alarms() {
  const live = useLiveLookup();
  const alarms = splitList(live.value('bms.activeAlarms')).map(alarmLabel);
  return (
    <Card title="Alarms" sub={alarms.length ? `${alarms.length} active` : undefined}>
      {alarms.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          No alarms.
        </p>
      ) : (
        <ul className="alarms">
          {alarms.map((a) => (
            <li key={a.text} className={a.level === 'warning' ? 'tone-warn' : 'error-text'}>
              {a.text}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Temperatures() {
  const live = useLiveLookup();
  const sensors = Array.from({ length: TEMPERATURE_SENSORS }, (_, i) => `bms.temperaturesC[${i}]`).filter((s) => live.value(s) !== undefined);
  return (
    <>
      {sensors.map((s) => (
        <LiveStat key={s} series={s} />
      ))}
    </>
  );
}

const CELL_COLORS = ['--pv', '--load', '--battery', '--grid', '--temp', '--balance', '--cell-max', '--cell-min'];

function CellHistory({ range, setRange }: { range: ReturnType<typeof usePageRange>[0]; setRange: ReturnType<typeof usePageRange>[1] }) {
  const [focus, setFocus] = useState<number | null>(null);
  const lines: LineSpec[] = Array.from({ length: MAX_CELLS }, (_, i) => ({
    series: `bms.cellVoltagesV[${i}]`,
    color: CELL_COLORS[i % CELL_COLORS.length]!,
    faded: focus !== null && focus !== i,
  }));
  return (
    <div>
      <label className="field" style={{ marginBottom: 6, maxWidth: 220 }}>
        Cell history
        <select value={focus ?? ''} onChange={(e) => setFocus(e.target.value === '' ? null : Number(e.target.value))}>
          <option value="">All cells</option>
          {lines.map((_, i) => (
            <option key={i} value={i}>
              Cell {i + 1}
            </option>
          ))}
        </select>
      </label>
      <TimeChart title={focus === null ? 'Cell voltages' : `Cell ${focus + 1} among the others`} lines={lines} range={range} onRangeChange={setRange} liveLegend={focus !== null} />
    </div>
  );
}

export function Battery() {
  const [range, setRange] = usePageRange('battery', '6h');
  return (
    <>
      <div className="grid cols-2">
        <Cells />
        <div className="grid" style={{ alignContent: 'start' }}>
          <Card title="Pack">
            <div className="stats pack-stats">
              <LiveStat series="bms.socPct" label="SOC" tone="battery" big />
              <LiveStat series="bms.totalVoltageV" label="Voltage" big />
              <LiveStat series="bms.currentA" label="Current (+ charging)" />
              <LiveStat series="bms.state" label="State" />
              <LiveStat series="bms.remainingCapacityAh" label="Remaining" />
              <LiveStat series="bms.cycleCount" label="Cycles" />
              <LiveStat series="bms.chargeMosOn" label="Charge MOS" />
              <LiveStat series="bms.dischargeMosOn" label="Discharge MOS" />
              <LiveStat series="bms.maxTemperatureC" label="Highest temperature" />
              <LiveStat series="bms.minTemperatureC" label="Lowest temperature" />
              <Temperatures />
            </div>
          </Card>
          <Alarms />
        </div>
      </div>
      <RangePicker range={range} onChange={setRange} />
      <div className="grid cols-2">
        <TimeChart title="State of charge" lines={[{ series: 'bms.socPct', color: '--battery' }]} range={range} onRangeChange={setRange} />
        <TimeChart title="Battery current" lines={[{ series: 'bms.currentA', color: '--battery', signedFill: true }]} range={range} onRangeChange={setRange} />
        <TimeChart title="Battery voltage" lines={[{ series: 'bms.totalVoltageV', color: '--grid', band: true }]} range={range} onRangeChange={setRange} />
        <TimeChart
          title="Temperatures"
          lines={Array.from({ length: TEMPERATURE_SENSORS }, (_, i) => ({ series: `bms.temperaturesC[${i}]`, color: CELL_COLORS[(i + 4) % CELL_COLORS.length]! }))}
          range={range}
          onRangeChange={setRange}
        />
        <TimeChart
          title="Highest and lowest cell"
          lines={[
            { series: 'bms.maxCellVoltageV', color: '--cell-max' },
            { series: 'bms.minCellVoltageV', color: '--cell-min' },
          ]}
          range={range}
          onRangeChange={setRange}
        />
        <CellHistory range={range} setRange={setRange} />
      </div>
    </>
  );
}
