/**
 * A series string of LiFePO4 cells with capacity and resistance spread, a passive balancer and a slow
 * thermal model. Current is positive into the battery (charging), as on the Daly wire.
 */
import { openCircuitVoltageV, SOC_MAX, storedEnergyWh } from './cells.js';
import { createRandom, gaussian, mixSeed, STREAM } from './random.js';

export interface BatteryOptions {
  cellCount: number;
  ratedCapacityAh: number;
  /** Cell capacities are drawn within ±this percentage of the rating. */
  capacitySpreadPct: number;
  /** Initial state of charge of the pack, percent. */
  initialSocPct: number;
  /** Cells start within ±this many SOC percent of each other (the balancer works on it). */
  initialSocSpreadPct: number;
  /** DC internal resistance per cell at 25 °C. */
  cellResistanceOhm: number;
  /** The passive balancer bleeds cells that are above this voltage and above the lowest cell by balanceDeltaV. */
  balanceStartV: number;
  balanceDeltaV: number;
  balanceCurrentA: number;
  temperatureSensorCount: number;
}

export const DEFAULT_BATTERY: BatteryOptions = {
  cellCount: 16,
  ratedCapacityAh: 280,
  capacitySpreadPct: 3,
  initialSocPct: 60,
  initialSocSpreadPct: 0.25,
  cellResistanceOhm: 0.0006,
  balanceStartV: 3.4,
  balanceDeltaV: 0.015,
  balanceCurrentA: 0.1,
  temperatureSensorCount: 2,
};

/** Heat capacity of a 16S 280 Ah pack (~90 kg of cells), J/K, and its thermal resistance to the room, K/W. */
const PACK_HEAT_CAPACITY_J_K = 16 * 5.4 * 1000;
const PACK_THERMAL_RESISTANCE_K_W = 0.08;

export class BatteryPack {
  readonly cellCount: number;
  readonly capacityAh: Float64Array;
  readonly soc: Float64Array;
  private readonly resistanceOhm: Float64Array;
  private readonly sensorOffsetC: number[];
  /** Cell voltages at the terminals for the last current (what the BMS measures). */
  readonly cellVoltageV: Float64Array;
  /** Open-circuit voltage of each cell at its current SOC (refreshed after every change). */
  private readonly openCircuitV: Float64Array;
  readonly balancing: Uint8Array;
  currentA = 0;
  temperatureC: number;
  /** I²R heat and balancer bleed since start, Wh. */
  internalLossWh = 0;

  constructor(
    seed: number,
    readonly options: BatteryOptions,
    roomTemperatureC: number,
  ) {
    const random = createRandom(mixSeed(seed, STREAM.cells));
    const n = options.cellCount;
    this.cellCount = n;
    this.capacityAh = new Float64Array(n);
    this.soc = new Float64Array(n);
    this.resistanceOhm = new Float64Array(n);
    this.cellVoltageV = new Float64Array(n);
    this.openCircuitV = new Float64Array(n);
    this.balancing = new Uint8Array(n);
    const spread = options.capacitySpreadPct / 100;
    for (let i = 0; i < n; i++) {
      const deviation = Math.max(-1, Math.min(1, gaussian(random) / 2.5));
      this.capacityAh[i] = options.ratedCapacityAh * (1 + spread * deviation);
      this.soc[i] = Math.min(1, Math.max(0, options.initialSocPct / 100 + ((options.initialSocSpreadPct / 100) * (random() * 2 - 1))));
      this.resistanceOhm[i] = options.cellResistanceOhm * (1 + 0.1 * (random() * 2 - 1));
    }
    this.sensorOffsetC = Array.from({ length: options.temperatureSensorCount }, () => random() - 0.5);
    this.temperatureC = roomTemperatureC;
    this.updateVoltages();
  }

  /** Sum of open-circuit voltages (E) and of resistances (R): terminal voltage is E + I·R. */
  theveninV(): { openCircuitV: number; resistanceOhm: number } {
    let e = 0;
    let r = 0;
    const factor = this.resistanceFactor();
    for (let i = 0; i < this.cellCount; i++) {
      e += this.openCircuitV[i] ?? 0;
      r += (this.resistanceOhm[i] ?? 0) * factor;
    }
    return { openCircuitV: e, resistanceOhm: r };
  }

  terminalVoltageV(): number {
    let v = 0;
    for (let i = 0; i < this.cellCount; i++) v += this.cellVoltageV[i] ?? 0;
    return v;
  }

  /** Apply a pack current for dtS seconds; the balancer runs on its own. */
  apply(currentA: number, dtS: number, roomTemperatureC: number): void {
    this.currentA = currentA;
    const factor = this.resistanceFactor();
    const hours = dtS / 3600;
    let minV = Infinity;
    for (let i = 0; i < this.cellCount; i++) minV = Math.min(minV, this.cellVoltageV[i] ?? 0);
    let heatW = 0;
    for (let i = 0; i < this.cellCount; i++) {
      const v = this.cellVoltageV[i] ?? 0;
      const bleeding = v >= this.options.balanceStartV && v - minV >= this.options.balanceDeltaV;
      this.balancing[i] = bleeding ? 1 : 0;
      const bleedA = bleeding ? this.options.balanceCurrentA : 0;
      const r = (this.resistanceOhm[i] ?? 0) * factor;
      const ocv = this.openCircuitV[i] ?? 0;
      heatW += currentA * currentA * r + bleedA * ocv;
      const capacity = this.capacityAh[i] ?? 1;
      this.soc[i] = Math.min(SOC_MAX, Math.max(0, (this.soc[i] ?? 0) + ((currentA - bleedA) * hours) / capacity));
    }
    this.internalLossWh += heatW * hours;
    const towardsRoom = (roomTemperatureC - this.temperatureC) / PACK_THERMAL_RESISTANCE_K_W;
    this.temperatureC += ((towardsRoom + heatW) * dtS) / PACK_HEAT_CAPACITY_J_K;
    this.updateVoltages();
  }

  /** Mean state of charge weighted by capacity (the pack's true charge), percent. */
  trueSocPct(): number {
    let ah = 0;
    let capacity = 0;
    for (let i = 0; i < this.cellCount; i++) {
      ah += (this.soc[i] ?? 0) * (this.capacityAh[i] ?? 0);
      capacity += this.capacityAh[i] ?? 0;
    }
    return (100 * ah) / capacity;
  }

  /** Chemical energy stored in all cells (from their SOC, independently of the power flows), Wh. */
  storedEnergyWh(): number {
    let wh = 0;
    for (let i = 0; i < this.cellCount; i++) wh += storedEnergyWh(this.soc[i] ?? 0, this.capacityAh[i] ?? 0);
    return wh;
  }

  sensorTemperaturesC(): number[] {
    return this.sensorOffsetC.map((offset) => this.temperatureC + offset);
  }

  private updateVoltages(): void {
    const factor = this.resistanceFactor();
    for (let i = 0; i < this.cellCount; i++) {
      const ocv = openCircuitVoltageV(this.soc[i] ?? 0);
      this.openCircuitV[i] = ocv;
      this.cellVoltageV[i] = ocv + this.currentA * (this.resistanceOhm[i] ?? 0) * factor;
    }
  }

  /** Resistance rises in the cold (about doubles from 25 °C to 5 °C). */
  private resistanceFactor(): number {
    return Math.exp((25 - this.temperatureC) / 29);
  }
}
