/**
 * The controller on the simulated plant (src/main/sim): the command queue talks to the plant's inverter
 * and relay, the controller sees what the drivers would report, and the run keeps score of what matters
 * for the battery (lowest SOC and voltage, highest cell, BMS trips) and for the EEPROM (writes per day).
 * Used by `voltmon backtest --simulate-days`, the simulated-month test and bench/control-month.ts.
 */
import type { FieldValue, Sample } from '../../shared/samples.js';
import { createPlant, type Plant, type PlantOptions } from '../sim/plant/index.js';
import { createBacktestController, type BacktestOptions, type BacktestSummary } from './backtest.js';
import type { InverterCommandPort, RelayPort } from './ports.js';

const BMS_STATES = ['idle', 'charging', 'discharging'] as const;

/** The inverter as the command queue sees it: setting text in, ACK/NAK out, QPIRI read back. */
export function plantInverterPort(plant: Plant): InverterCommandPort {
  return {
    sendSetting: async (text) =>
      plant.inverter.applySetting(text) === 'ack' ? { ok: true } : { ok: false, reason: 'nak', message: '(NAK' },
    readSettings: async () => qpiriValues(plant),
    readChargeCurrentOptions: async (kind) =>
      [...(kind === 'battery' ? plant.inverter.chargingCurrentOptionsA() : plant.inverter.acChargingCurrentOptionsA())],
  };
}

export function plantRelayPort(plant: Plant): RelayPort {
  return {
    setGridConnected: async (connected) => {
      plant.setGridConnected(connected);
      return plant.isGridConnected();
    },
    isGridConnected: () => plant.isGridConnected(),
  };
}

const numbersOf = (record: object): Record<string, FieldValue> => {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
};

function qpiriValues(plant: Plant): Record<string, FieldValue> {
  const { outputSourcePriorityName, chargerSourcePriorityName, ...rest } = plant.inverter.qpiri();
  return { ...numbersOf(rest), outputSourcePriority: outputSourcePriorityName, chargerSourcePriority: chargerSourcePriorityName };
}

/** One poll round of every device, as the drivers would report it. */
export function plantSamples(plant: Plant, withSettings: boolean): Sample[] {
  const tsMs = plant.nowMs();
  const bms = plant.bms.readings();
  const bmsValues: Record<string, FieldValue> = { ...numbersOf(bms), state: BMS_STATES[bms.state] };
  bms.cellVoltagesV.forEach((v, i) => (bmsValues[`cellVoltagesV[${i}]`] = v));
  const samples: Sample[] = [
    { device: 'inverter', tsMs, source: 'QPIGS', values: numbersOf(plant.inverter.qpigs()) },
    { device: 'bms', tsMs, source: '0x90', values: bmsValues },
    { device: 'relay', tsMs, source: 'gpio', values: { gridConnected: plant.isGridConnected() } },
  ];
  if (withSettings) samples.push({ device: 'inverter', tsMs, source: 'QPIRI', values: qpiriValues(plant) });
  return samples;
}

export interface PlantRunOptions extends BacktestOptions {
  days: number;
  seed: number;
  startTsMs: number;
  /** Poll interval of the simulated drivers (default 10 s); QPIRI every minute. */
  pollMs?: number;
  plant?: Partial<Omit<PlantOptions, 'seed' | 'startTsMs' | 'timeZone'>>;
}

export interface PlantRunResult {
  summary: BacktestSummary;
  battery: {
    minSocPct: number;
    minBatteryVoltageV: number;
    maxCellVoltageV: number;
    /** Inverter cut-off (QPIRI batteryUnderVoltageV) at the end of the run. */
    cutoffVoltageV: number;
    bmsProtectionTrips: number;
    unservedLoadWh: number;
  };
}

export async function runControllerOnPlant(options: PlantRunOptions): Promise<PlantRunResult> {
  const plant = createPlant({ seed: options.seed, startTsMs: options.startTsMs, timeZone: options.timeZone, ...options.plant });
  const pollMs = options.pollMs ?? 10_000;
  const { controller, tally } = createBacktestController(
    { inverter: plantInverterPort(plant), relay: plantRelayPort(plant) },
    options,
    () => plant.nowMs(),
  );
  const battery = { minSocPct: Infinity, minBatteryVoltageV: Infinity, maxCellVoltageV: -Infinity, cutoffVoltageV: NaN, bmsProtectionTrips: 0, unservedLoadWh: 0 };
  let protecting = false;
  const endMs = options.startTsMs + options.days * 86_400_000;
  let nextSettingsMs = options.startTsMs;
  while (plant.nowMs() < endMs) {
    plant.step(pollMs);
    const withSettings = plant.nowMs() >= nextSettingsMs;
    if (withSettings) nextSettingsMs += 60_000;
    for (const sample of plantSamples(plant, withSettings)) {
      tally.sample(sample.tsMs);
      await controller.onSample(sample);
    }
    const readings = plant.bms.readings();
    battery.minSocPct = Math.min(battery.minSocPct, plant.truth().trueSocPct);
    battery.minBatteryVoltageV = Math.min(battery.minBatteryVoltageV, readings.totalVoltageV);
    battery.maxCellVoltageV = Math.max(battery.maxCellVoltageV, ...readings.cellVoltagesV);
    const tripped = !readings.chargeMosOn || !readings.dischargeMosOn;
    if (tripped && !protecting) battery.bmsProtectionTrips += 1;
    protecting = tripped;
  }
  battery.cutoffVoltageV = plant.inverter.qpiri().batteryUnderVoltageV;
  battery.unservedLoadWh = Math.round(plant.energy().loadUnservedWh);
  return { summary: tally.summary(controller.thresholds()), battery };
}
