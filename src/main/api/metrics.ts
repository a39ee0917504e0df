/**
 * GET /metrics in the Prometheus text format (viewer token): link state, poll latency and frame errors
 * per device, sync backlog, stream clients, and the values people alert on.
 */
import type { HealthResponse, LiveResponse } from '../../shared/api.js';

/** Series exported as named gauges: name, help, unit-suffixed metric name. */
const KEY_VALUES: Array<{ series: string; metric: string; help: string }> = [
  { series: 'inverter.batteryVoltageV', metric: 'voltmon_battery_voltage_volts', help: 'Battery voltage read by the inverter' },
  { series: 'bms.totalVoltageV', metric: 'voltmon_bms_voltage_volts', help: 'Pack voltage read by the BMS' },
  { series: 'bms.socPct', metric: 'voltmon_battery_soc_percent', help: 'State of charge from the BMS' },
  { series: 'bms.currentA', metric: 'voltmon_battery_current_amperes', help: 'Pack current, positive when charging' },
  { series: 'bms.minCellVoltageV', metric: 'voltmon_cell_voltage_min_volts', help: 'Lowest cell voltage' },
  { series: 'bms.maxCellVoltageV', metric: 'voltmon_cell_voltage_max_volts', help: 'Highest cell voltage' },
  { series: 'inverter.pvPowerW', metric: 'voltmon_pv_power_watts', help: 'PV power' },
  { series: 'inverter.acOutputActivePowerW', metric: 'voltmon_load_power_watts', help: 'Inverter output (house load) power' },
  { series: 'inverter.batteryPowerW', metric: 'voltmon_battery_power_watts', help: 'Battery power, positive when charging' },
  { series: 'meter.activePowerW', metric: 'voltmon_grid_power_watts', help: 'Grid power, positive when importing' },
  { series: 'relay.gridConnected', metric: 'voltmon_grid_connected', help: '1 when the grid relay connects the grid' },
];

const ERROR_KINDS = ['crcErrors', 'timeouts', 'naks', 'implausible'] as const;
const LINK_STATES = ['connecting', 'online', 'offline'] as const;

export interface MetricsExtras {
  streamClients: number;
  streamDropped: number;
}

const label = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

class Exposition {
  private readonly lines: string[] = [];
  metric(name: string, type: 'gauge' | 'counter', help: string, samples: Array<[Record<string, string>, number]>): void {
    if (samples.length === 0) return;
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const entries = Object.entries(labels);
      const text = entries.length ? `{${entries.map(([k, v]) => `${k}="${label(v)}"`).join(',')}}` : '';
      this.lines.push(`${name}${text} ${Number.isFinite(value) ? value : 'NaN'}`);
    }
  }
  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export function renderMetrics(health: HealthResponse, live: LiveResponse, extras: MetricsExtras): string {
  const out = new Exposition();
  const devices = health.devices;
  out.metric('voltmon_up', 'gauge', '1 while the daemon answers', [[{ site: health.site, version: health.version }, 1]]);
  out.metric('voltmon_uptime_seconds', 'gauge', 'Seconds since the engine started', [[{}, health.uptimeS]]);
  out.metric(
    'voltmon_device_link_state',
    'gauge',
    '1 for the current link state of each device',
    devices.flatMap((d) => LINK_STATES.map((state): [Record<string, string>, number] => [{ device: d.device, state }, d.link === state ? 1 : 0])),
  );
  out.metric(
    'voltmon_device_poll_latency_seconds',
    'gauge',
    'Time from request to complete reply of the last poll',
    devices.filter((d) => d.stats.lastPollLatencyMs !== null).map((d) => [{ device: d.device }, (d.stats.lastPollLatencyMs ?? 0) / 1000]),
  );
  out.metric('voltmon_device_frames_total', 'counter', 'Frames decoded without error', devices.map((d) => [{ device: d.device }, d.stats.framesOk]));
  out.metric(
    'voltmon_device_frame_errors_total',
    'counter',
    'Frames refused, by reason',
    devices.flatMap((d) => ERROR_KINDS.map((kind): [Record<string, string>, number] => [{ device: d.device, kind }, d.stats[kind]])),
  );
  out.metric('voltmon_device_reconnects_total', 'counter', 'Link re-openings', devices.map((d) => [{ device: d.device }, d.stats.reconnects]));
  out.metric(
    'voltmon_device_last_sample_timestamp_seconds',
    'gauge',
    'When the device last delivered a sample',
    devices.filter((d) => d.lastSampleTsMs !== null).map((d) => [{ device: d.device }, (d.lastSampleTsMs ?? 0) / 1000]),
  );
  out.metric('voltmon_sync_enabled', 'gauge', '1 when MariaDB sync is configured', [[{}, health.sync.enabled ? 1 : 0]]);
  out.metric('voltmon_sync_connected', 'gauge', '1 while MariaDB answers', [[{}, health.sync.connected ? 1 : 0]]);
  out.metric('voltmon_sync_backlog', 'gauge', 'Samples waiting in the outbox for MariaDB', [[{}, health.sync.backlog]]);
  out.metric('voltmon_controller_mode', 'gauge', '1 for the controller mode in force', (['off', 'on', 'dryRun'] as const).map((mode) => [{ mode }, health.controller.mode === mode ? 1 : 0]));
  out.metric('voltmon_stream_clients', 'gauge', 'Connected WebSocket stream clients', [[{}, extras.streamClients]]);
  out.metric('voltmon_stream_dropped_total', 'counter', 'Stream clients dropped because they did not read', [[{}, extras.streamDropped]]);
  for (const key of KEY_VALUES) {
    const entry = live.series[key.series];
    if (!entry || entry.value === null || typeof entry.value === 'string') continue;
    out.metric(key.metric, 'gauge', key.help, [[{}, typeof entry.value === 'boolean' ? Number(entry.value) : entry.value]]);
  }
  return out.toString();
}
