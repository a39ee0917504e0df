/**
 * The simulated installation of DESIGN.md §1: PV array, house load, 16S LiFePO4 pack with a Daly BMS,
 * a 5 kW Axpert-class off-grid inverter, the grid relay and the SDM230 meter. Deterministic from its
 * seed: the same options and the same sequence of steps and commands give the same trace.
 */
import { BatteryPack, DEFAULT_BATTERY, type BatteryOptions } from './battery-pack.js';
import { BmsModel, DEFAULT_BMS_LIMITS, type BmsLimits, type BmsReadings } from './bms.js';
import { GridModel, MeterModel, type GridOutage, type MeterCounters, type MeterReadings } from './grid.js';
import { InverterModel } from './inverter.js';
import {
  qdiOf,
  qflagOf,
  q1Of,
  qpigsOf,
  qpiriOf,
  warningBitsOf,
  type ModeLetter,
  type Q1Reading,
  type QdiReading,
  type QflagReading,
  type QpigsReading,
  type QpiriReading,
} from './inverter-readings.js';
import { AC_CHARGING_CURRENT_OPTIONS_A, CHARGING_CURRENT_OPTIONS_A, type InverterSettings } from './inverter-settings.js';
import { DEFAULT_LOAD, HouseLoad, type LoadOptions } from './load.js';
import { LocalClock } from './local-time.js';
import { computeFlow, EFFICIENCY } from './power-flow.js';
import { createRandom, mixSeed, STREAM } from './random.js';
import { SunModel, type PvArray } from './sun.js';
import { Weather } from './weather.js';

export interface PlantOptions {
  seed: number;
  /** UTC ms of the simulation's first instant. */
  startTsMs: number;
  /** IANA zone of the site, for the household's clock (default Europe/Berlin). */
  timeZone?: string;
  /** Longest internal step; `step()` splits longer intervals. Default 10 s, fine for a year in seconds. */
  maxStepMs?: number;
  pv?: Partial<PvArray>;
  battery?: Partial<BatteryOptions>;
  bmsLimits?: Partial<BmsLimits>;
  /** QPIRI settings the inverter starts with (otherwise its factory settings). */
  inverterSettings?: Partial<InverterSettings>;
  load?: Partial<LoadOptions>;
  grid?: { nominalVoltageV?: number; outages?: GridOutage[]; relayConnected?: boolean };
  meter?: Partial<MeterCounters>;
}

export const DEFAULT_PV: PvArray = { latitudeDeg: 48.1, longitudeDeg: 11.6, tiltDeg: 35, nominalPowerW: 4400, systemDerate: 0.9 };

/** Cumulative energy flows since the start, Wh, and the battery's stored energy (from cell states). */
export interface EnergyTotals {
  pvWh: number;
  gridImportWh: number;
  loadServedWh: number;
  loadUnservedWh: number;
  batteryChargeWh: number;
  batteryDischargeWh: number;
  conversionLossWh: number;
  batteryInternalLossWh: number;
  batteryStoredWh: number;
  /** Stored energy at the start, so a balance can be checked: flows in − flows out − losses = stored − start. */
  batteryStoredAtStartWh: number;
}

/** Quantities no device reports, for tests, benchmarks and the demo. */
export interface PlantTruth {
  pvAvailableW: number;
  loadDemandW: number;
  gridPresent: boolean;
  relayConnected: boolean;
  trueSocPct: number;
  cellSocPct: number[];
  cellCapacityAh: number[];
  chargeStage: 'bulk' | 'absorb' | 'float';
  batteryTemperatureC: number;
}

export interface PlantInverter {
  qpigs(): QpigsReading;
  /** Reading QPIRI clears the "configuration changed" status bit, as on the real unit. */
  qpiri(): QpiriReading;
  qmod(): ModeLetter;
  /** QPIWS bit string (36 characters, bit 0 first). */
  qpiws(): string;
  q1(): Q1Reading;
  qflag(): QflagReading;
  qdi(): QdiReading;
  chargingCurrentOptionsA(): readonly number[];
  acChargingCurrentOptionsA(): readonly number[];
  /** Apply one setting command text (no CRC, e.g. `POP02`): 'ack', or 'nak' when the firmware would refuse it. */
  applySetting(commandText: string): 'ack' | 'nak';
}

export interface PlantBms {
  readings(): BmsReadings;
  setChargeMos(on: boolean): void;
  setDischargeMos(on: boolean): void;
  /** 0x21: set the coulomb counter; false when out of 0-100. */
  setSocPct(socPct: number): boolean;
}

export interface PlantMeter {
  /** The SDM230 is powered by the grid it measures: false during an outage (it does not answer). */
  powered(): boolean;
  readings(): MeterReadings;
}

export interface Plant {
  readonly seed: number;
  nowMs(): number;
  /** Advance simulated time by dtMs (split into steps of at most maxStepMs). */
  step(dtMs: number): void;
  /** Advance to an absolute instant (no-op if it is not in the future). */
  advanceTo(tsMs: number): void;
  /** The grid relay feeding the inverter's AC input. */
  setGridConnected(connected: boolean): void;
  isGridConnected(): boolean;
  /** Start or end a grid outage (independently of scheduled outages). */
  setGridOutage(active: boolean): void;
  /** Force PV power or house load (W) for scripted scenarios; null returns to the model. */
  setOverrides(overrides: { pvAvailableW?: number | null; loadDemandW?: number | null }): void;
  readonly inverter: PlantInverter;
  readonly bms: PlantBms;
  readonly meter: PlantMeter;
  energy(): EnergyTotals;
  truth(): PlantTruth;
}

const LOAD_POWER_FACTOR = 0.93;
const CHARGER_POWER_FACTOR = 0.99;
/** Cable and fuse between the battery and the inverter: the inverter reads a slightly different voltage. */
const BATTERY_CABLE_OHM = 0.003;

export function createPlant(options: PlantOptions): Plant {
  const seed = options.seed >>> 0;
  const maxStepMs = Math.max(100, options.maxStepMs ?? 10_000);
  const clock = new LocalClock(options.timeZone ?? 'Europe/Berlin');
  const sun = new SunModel({ ...DEFAULT_PV, ...options.pv });
  const weather = new Weather(seed);
  const load = new HouseLoad(seed, clock, { ...DEFAULT_LOAD, ...options.load });
  const grid = new GridModel(seed, options.grid?.nominalVoltageV ?? 230, options.grid?.outages ?? []);
  const meter = new MeterModel({ importActiveEnergyKwh: 1000, ...options.meter });
  const pack = new BatteryPack(seed, { ...DEFAULT_BATTERY, ...options.battery }, weather.indoorTemperatureC(options.startTsMs));
  const misc = createRandom(mixSeed(seed, STREAM.misc));
  const bms = new BmsModel(pack, { ...DEFAULT_BMS_LIMITS, ...options.bmsLimits }, 1 + (misc() - 0.5) * 0.02, Math.floor(misc() * 256), 40);
  const inverter = new InverterModel(options.inverterSettings ?? {}, weather.indoorTemperatureC(options.startTsMs));

  let nowMs = options.startTsMs;
  let relayConnected = options.grid?.relayConnected ?? true;
  let pvOverrideW: number | null = null;
  let loadOverrideW: number | null = null;
  const totals: EnergyTotals = {
    pvWh: 0,
    gridImportWh: 0,
    loadServedWh: 0,
    loadUnservedWh: 0,
    batteryChargeWh: 0,
    batteryDischargeWh: 0,
    conversionLossWh: 0,
    batteryInternalLossWh: 0,
    batteryStoredWh: pack.storedEnergyWh(),
    batteryStoredAtStartWh: pack.storedEnergyWh(),
  };

  const pvAvailableAt = (tsMs: number): number =>
    pvOverrideW ?? sun.clearSkyPowerW(tsMs) * weather.transmittance(tsMs);
  const loadDemandAt = (tsMs: number): number => loadOverrideW ?? load.demandW(tsMs, sun.sinElevation(tsMs) < 0.05);
  const inverterBatteryV = (): number => pack.terminalVoltageV() + pack.currentA * BATTERY_CABLE_OHM;

  function stepOnce(dtMs: number): void {
    const midMs = nowMs + dtMs / 2;
    const dtS = dtMs / 1000;
    const gridPresent = grid.present(midMs);
    const gridAtInput = gridPresent && relayConnected;
    const roomC = weather.indoorTemperatureC(midMs);
    const pvAvailableW = pvAvailableAt(midMs);
    const loadDemandW = loadDemandAt(midMs);
    const { openCircuitV, resistanceOhm } = pack.theveninV();
    const mode = inverter.decideMode(nowMs, gridAtInput, inverterBatteryV(), openCircuitV, loadDemandW);
    const flowInput = {
      mode,
      outputSourcePriority: inverter.settings.outputSourcePriority,
      chargerSourcePriority: inverter.settings.chargerSourcePriority,
      gridAtInput,
      pvAvailableW,
      loadDemandW,
      openCircuitV,
      resistanceOhm,
      chargeTargetV: inverter.chargeTargetV(),
      maxChargingCurrentA: inverter.settings.maxChargingCurrentA,
      maxAcChargingCurrentA: inverter.settings.maxAcChargingCurrentA,
      chargeAllowed: bms.chargeMosOn(),
      dischargeAllowed: bms.dischargeMosOn(),
      gridLimitW: inverter.settings.gridRatingVoltageV * inverter.settings.gridRatingCurrentA,
    };
    const flow = computeFlow(flowInput);
    if (flow.batteryUnavailable) inverter.batteryLost();

    pack.apply(flow.batteryCurrentA, dtS, roomC);
    bms.update(dtS);
    const restV = pack.theveninV().openCircuitV;
    const capA = Math.max(0, Math.min(inverter.settings.maxChargingCurrentA, (inverter.chargeTargetV() - restV) / resistanceOhm));
    inverter.updateChargeStage(dtMs, inverterBatteryV(), restV, flow.batteryCurrentA, capA, pack.options.ratedCapacityAh);
    inverter.updateTemperature(dtS, roomC, flow.loadServedW + Math.abs(flow.batteryPowerW));

    const gridVoltageV = grid.voltageV(midMs);
    const chargerShare = flow.gridW > 0 ? flow.acChargeW / EFFICIENCY.acCharger / flow.gridW : 0;
    meter.record(flow.gridW, chargerShare * CHARGER_POWER_FACTOR + (1 - chargerShare) * LOAD_POWER_FACTOR, dtS);

    const hours = dtS / 3600;
    totals.pvWh += flow.pvUsedW * hours;
    totals.gridImportWh += flow.gridW * hours;
    totals.loadServedWh += flow.loadServedW * hours;
    totals.loadUnservedWh += (loadDemandW - flow.loadServedW) * hours;
    if (flow.batteryPowerW >= 0) totals.batteryChargeWh += flow.batteryPowerW * hours;
    else totals.batteryDischargeWh -= flow.batteryPowerW * hours;
    totals.conversionLossWh += flow.conversionLossW * hours;

    nowMs += dtMs;
    inverter.last = {
      gridAtInput,
      gridVoltageV: gridVoltageV + 0.4,
      gridFrequencyHz: grid.frequencyHz(nowMs),
      pvAvailableW,
      batteryVoltageV: inverterBatteryV(),
      batteryCurrentA: flow.batteryCurrentA,
      flow,
    };
  }

  const plant: Plant = {
    seed,
    nowMs: () => nowMs,
    step(dtMs: number) {
      if (!(dtMs > 0) || !Number.isFinite(dtMs)) return;
      let remaining = dtMs;
      while (remaining > 0) {
        const dt = Math.min(maxStepMs, remaining);
        stepOnce(dt);
        remaining -= dt;
      }
    },
    advanceTo(tsMs: number) {
      if (tsMs > nowMs) plant.step(tsMs - nowMs);
    },
    setGridConnected(connected: boolean) {
      relayConnected = connected;
    },
    isGridConnected: () => relayConnected,
    setGridOutage(active: boolean) {
      grid.setOutage(active);
    },
    setOverrides(overrides) {
      if (overrides.pvAvailableW !== undefined) pvOverrideW = overrides.pvAvailableW;
      if (overrides.loadDemandW !== undefined) loadOverrideW = overrides.loadDemandW;
    },
    inverter: {
      qpigs: () => qpigsOf(inverter),
      qpiri() {
        inverter.configurationChanged = false;
        return qpiriOf(inverter.settings);
      },
      qmod: () => inverter.mode,
      qpiws: () => warningBitsOf(inverter),
      q1: () => q1Of(inverter),
      qflag: () => qflagOf(inverter.settings),
      qdi: () => qdiOf(),
      chargingCurrentOptionsA: () => CHARGING_CURRENT_OPTIONS_A,
      acChargingCurrentOptionsA: () => AC_CHARGING_CURRENT_OPTIONS_A,
      applySetting: (commandText: string) => inverter.applySetting(commandText),
    },
    bms: {
      readings: () => bms.readings(),
      setChargeMos(on: boolean) {
        bms.chargeMosCommanded = on;
      },
      setDischargeMos(on: boolean) {
        bms.dischargeMosCommanded = on;
      },
      setSocPct: (socPct: number) => bms.setSocPct(socPct),
    },
    meter: {
      powered: () => grid.present(nowMs),
      readings: () => meter.readings(grid.present(nowMs) ? grid.voltageV(nowMs) : 0, grid.present(nowMs) ? grid.frequencyHz(nowMs) : 0),
    },
    energy: () => ({
      ...totals,
      batteryInternalLossWh: pack.internalLossWh,
      batteryStoredWh: pack.storedEnergyWh(),
    }),
    truth: () => ({
      pvAvailableW: pvAvailableAt(nowMs),
      loadDemandW: loadDemandAt(nowMs),
      gridPresent: grid.present(nowMs),
      relayConnected,
      trueSocPct: pack.trueSocPct(),
      cellSocPct: Array.from(pack.soc, (s) => s * 100),
      cellCapacityAh: Array.from(pack.capacityAh),
      chargeStage: inverter.stage,
      batteryTemperatureC: pack.temperatureC,
    }),
  };
  // Measure once without moving time, so readings are meaningful before the first step.
  stepOnce(0);
  return plant;
}
