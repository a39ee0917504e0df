/** The at-a-glance page: where the energy flows now, the battery, the inverter's mode, and today's kWh. */
import type { EnergyTotals } from '../../shared/api';
import { TimeChart } from '../charts/TimeChart';
import type { LineSpec } from '../charts/time-config';
import { FlowDiagram } from '../components/FlowDiagram';
import { RangePicker } from '../components/RangePicker';
import { Card, LiveStat, Stat } from '../components/Stat';
import { formatEnergyKwh, formatQuantity, NO_VALUE } from '../lib/format';
import { ENERGY_KEYS, ENERGY_LABEL, selfConsumptionPct, selfSufficiencyPct, sumTotals } from '../lib/energy';
import { useApi, useSeries } from '../state/hooks';
import { useInstance } from '../state/instance';
import { usePageRange } from './page-range';

const TONE: Record<keyof EnergyTotals, 'pv' | 'load' | 'grid' | 'battery' | 'discharge'> = {
  pvProduced: 'pv',
  loadConsumed: 'load',
  gridImported: 'grid',
  gridExported: 'grid',
  batteryCharged: 'battery',
  batteryDischarged: 'discharge',
};

function SocStat() {
  const { entry, stale } = useSeries('bms.socPct');
  const soc = typeof entry?.value === 'number' ? entry.value : null;
  return (
    <Stat
      label="Battery SOC"
      big
      tone={soc !== null && soc < 20 ? 'warn' : 'battery'}
      stale={stale && entry !== undefined}
      value={formatQuantity(soc, '%')}
      hint={
        <div className="meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, Math.max(0, soc ?? 0))}%` }} />
        </div>
      }
    />
  );
}

function Today() {
  const { client } = useInstance();
  // The server aligns `from` to the start of the site's local day: no time-zone arithmetic here.
  const energy = useApi((signal) => client.energy({ period: 'day', from: Date.now() - 1, to: Date.now() + 1 }, signal), [], 60_000);
  const totals = energy.value ? sumTotals(energy.value.rows) : null;
  const pct = (v: number | null) => (v === null ? NO_VALUE : formatQuantity(v, '%'));
  return (
    <Card title="Today" sub={energy.state === 'error' ? `not updated: ${energy.message}` : energy.value ? `kWh in ${energy.value.timeZone}` : 'loading…'}>
      <div className="stats">
        {ENERGY_KEYS.map((k) => (
          <Stat key={k} label={ENERGY_LABEL[k]} tone={TONE[k]} value={totals ? formatEnergyKwh(totals[k]) : NO_VALUE} />
        ))}
        <Stat label="Self-sufficiency" value={totals ? pct(selfSufficiencyPct(totals)) : NO_VALUE} title="Share of the consumption not bought from the grid" />
        <Stat label="Self-consumption" value={totals ? pct(selfConsumptionPct(totals)) : NO_VALUE} title="Share of the PV energy used on site" />
      </div>
    </Card>
  );
}

const POWER_LINES: LineSpec[] = [
  { series: 'inverter.pvPowerW', color: '--pv' },
  { series: 'inverter.acOutputActivePowerW', color: '--load', label: 'Load' },
  { series: 'inverter.batteryPowerW', color: '--battery', label: 'Battery (+ charging)' },
  { series: 'meter.activePowerW', color: '--grid', label: 'Grid (+ import)' },
];

export function Overview() {
  const [range, setRange] = usePageRange('overview', '24h');
  return (
    <>
      <div className="grid overview">
        <Card title="Energy flow">
          <FlowDiagram />
        </Card>
        <div className="stats overview-stats">
          <SocStat />
          <LiveStat series="inverter.batteryVoltageV" label="Battery voltage" big tone="battery" />
          <LiveStat series="inverter.batteryPowerW" label="Battery power (+ charging)" />
          <LiveStat series="bms.currentA" label="Battery current" />
          <LiveStat series="inverter.mode" label="Inverter mode" />
          <LiveStat series="inverter.outputLoadPct" label="Load" />
          <LiveStat series="inverter.outputSourcePriority" label="Output priority" />
          <LiveStat series="inverter.chargerSourcePriority" label="Charger priority" />
          <LiveStat series="relay.gridConnected" label="Grid relay" />
          <LiveStat series="inverter.severity" label="Inverter status" />
        </div>
      </div>
      <Today />
      <TimeChart title="Power" lines={POWER_LINES} range={range} onRangeChange={setRange} />
      <RangePicker range={range} onChange={setRange} />
    </>
  );
}
