/** Everything the original AXPERT dashboard showed, live: its charts, its stats, its modes and priorities. */
import { TimeChart } from '../charts/TimeChart';
import type { LineSpec } from '../charts/time-config';
import { RangePicker } from '../components/RangePicker';
import { Card, LiveStat } from '../components/Stat';
import { usePageRange } from './page-range';

const CHARTS: ReadonlyArray<{ title: string; lines: LineSpec[] }> = [
  { title: 'Battery voltage', lines: [{ series: 'inverter.batteryVoltageV', color: '--battery', band: true }] },
  { title: 'Battery charging / discharging', lines: [{ series: 'inverter.batteryPowerW', color: '--battery', signedFill: true }] },
  { title: 'Output load', lines: [{ series: 'inverter.acOutputActivePowerW', color: '--load', band: true }] },
  { title: 'PV power', lines: [{ series: 'inverter.pvPowerW', color: '--pv', band: true }] },
  {
    title: 'PV voltage / current',
    lines: [
      { series: 'inverter.pvInputVoltageV', color: '--pv' },
      { series: 'inverter.pvInputCurrentA', color: '--temp' },
    ],
  },
  { title: 'Inverter temperature', lines: [{ series: 'inverter.heatSinkTemperatureC', color: '--temp' }] },
  {
    title: 'Output voltage',
    lines: [
      { series: 'inverter.acOutputVoltageV', color: '--grid' },
      { series: 'inverter.gridVoltageV', color: '--muted', label: 'Grid voltage' },
    ],
  },
  {
    title: 'Output frequency',
    lines: [
      { series: 'inverter.acOutputFrequencyHz', color: '--grid' },
      { series: 'inverter.gridFrequencyHz', color: '--muted', label: 'Grid frequency' },
    ],
  },
];

export function Inverter() {
  const [range, setRange] = usePageRange('inverter', '24h');
  return (
    <>
      <Card title="Battery and PV">
        <div className="stats">
          <LiveStat series="inverter.batteryChargingCurrentA" label="Charging current" tone="battery" />
          <LiveStat series="inverter.batteryDischargeCurrentA" label="Discharging current" tone="discharge" />
          <LiveStat series="inverter.batteryVoltageV" label="Battery voltage" />
          <LiveStat series="inverter.batteryPowerW" label="Battery power (+ charging)" />
          <LiveStat series="inverter.pvPowerW" label="PV power" tone="pv" />
          <LiveStat series="inverter.pvInputVoltageV" label="PV voltage" tone="grid" />
          <LiveStat series="inverter.pvInputCurrentA" label="PV current" tone="pv" />
          <LiveStat series="bms.socPct" label="Battery SOC (BMS)" tone="battery" />
          <LiveStat series="inverter.batteryCapacityPct" label="Capacity (inverter)" />
        </div>
      </Card>
      <Card title="Output and grid">
        <div className="stats">
          <LiveStat series="inverter.acOutputActivePowerW" label="Output load" tone="load" />
          <LiveStat series="inverter.outputLoadPct" label="Output load %" />
          <LiveStat series="inverter.acOutputApparentPowerVA" label="Apparent power" />
          <LiveStat series="inverter.acOutputVoltageV" label="Output voltage" tone="grid" />
          <LiveStat series="inverter.acOutputFrequencyHz" label="Output frequency" />
          <LiveStat series="inverter.gridVoltageV" label="Grid voltage" tone="grid" />
          <LiveStat series="inverter.gridFrequencyHz" label="Grid frequency" />
          <LiveStat series="inverter.heatSinkTemperatureC" label="Temperature" />
          <LiveStat series="inverter.busVoltageV" label="DC bus voltage" />
        </div>
      </Card>
      <Card title="Mode and settings">
        <div className="stats">
          <LiveStat series="inverter.mode" label="Device mode" />
          <LiveStat series="inverter.outputSourcePriority" label="Output source priority" />
          <LiveStat series="inverter.chargerSourcePriority" label="Charger source priority" />
          <LiveStat series="inverter.batteryFloatVoltageV" label="Floating voltage" />
          <LiveStat series="inverter.batteryBulkVoltageV" label="Bulk voltage" />
          <LiveStat series="inverter.batteryRechargeVoltageV" label="Re-charge voltage" />
          <LiveStat series="inverter.batteryRedischargeVoltageV" label="Re-discharge voltage" />
          <LiveStat series="inverter.batteryUnderVoltageV" label="Cut-off voltage" />
          <LiveStat series="inverter.maxChargingCurrentA" label="Max charging current" />
          <LiveStat series="inverter.maxAcChargingCurrentA" label="Grid max charging current" />
          <LiveStat series="inverter.batteryType" label="Battery type" />
          <LiveStat series="inverter.severity" label="Warnings and faults" />
        </div>
      </Card>
      <RangePicker range={range} onChange={setRange} />
      <div className="grid cols-2">
        {CHARTS.map((c) => (
          <TimeChart key={c.title} title={c.title} lines={c.lines} range={range} onRangeChange={setRange} />
        ))}
      </div>
    </>
  );
}
