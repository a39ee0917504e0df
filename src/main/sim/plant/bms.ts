/**
 * The Daly BMS's view of the pack: what it measures (0x90-0x98), its protection (charge MOS opens on a
 * cell over-voltage, discharge MOS on an under-voltage), its coulomb-counted SOC and its alarms.
 */
import type { BatteryPack } from './battery-pack.js';

export interface BmsLimits {
  cellOverVoltageAlarmV: number;
  cellOverVoltageProtectV: number;
  cellOverVoltageReleaseV: number;
  cellUnderVoltageAlarmV: number;
  cellUnderVoltageProtectV: number;
  cellUnderVoltageReleaseV: number;
  packOverVoltageAlarmV: number;
  packOverVoltageProtectV: number;
  packUnderVoltageAlarmV: number;
  packUnderVoltageProtectV: number;
  socLowAlarmPct: number;
  socLowProtectPct: number;
  cellDiffAlarmV: number;
  cellDiffProtectV: number;
  overCurrentAlarmA: number;
  overCurrentProtectA: number;
  chargeTemperatureLowAlarmC: number;
  chargeTemperatureLowProtectC: number;
  temperatureHighAlarmC: number;
  temperatureHighProtectC: number;
}

/** Typical Daly settings for a 16S LiFePO4 pack. */
export const DEFAULT_BMS_LIMITS: BmsLimits = {
  cellOverVoltageAlarmV: 3.6,
  cellOverVoltageProtectV: 3.65,
  cellOverVoltageReleaseV: 3.4,
  cellUnderVoltageAlarmV: 2.8,
  cellUnderVoltageProtectV: 2.5,
  cellUnderVoltageReleaseV: 3.0,
  packOverVoltageAlarmV: 57.6,
  packOverVoltageProtectV: 58.4,
  packUnderVoltageAlarmV: 44.8,
  packUnderVoltageProtectV: 40,
  socLowAlarmPct: 10,
  socLowProtectPct: 5,
  cellDiffAlarmV: 0.3,
  cellDiffProtectV: 0.5,
  overCurrentAlarmA: 150,
  overCurrentProtectA: 200,
  chargeTemperatureLowAlarmC: 5,
  chargeTemperatureLowProtectC: 0,
  temperatureHighAlarmC: 50,
  temperatureHighProtectC: 60,
};

/** Alarm names of protocols.md §2.10 that the simulated BMS can raise, with their (byte, bit). */
export const BMS_ALARM_BITS = {
  cellVoltHighL1: [0, 0],
  cellVoltHighL2: [0, 1],
  cellVoltLowL1: [0, 2],
  cellVoltLowL2: [0, 3],
  sumVoltHighL1: [0, 4],
  sumVoltHighL2: [0, 5],
  sumVoltLowL1: [0, 6],
  sumVoltLowL2: [0, 7],
  chargeTempHighL1: [1, 0],
  chargeTempHighL2: [1, 1],
  chargeTempLowL1: [1, 2],
  chargeTempLowL2: [1, 3],
  dischargeTempHighL1: [1, 4],
  dischargeTempHighL2: [1, 5],
  chargeOverCurrentL1: [2, 0],
  chargeOverCurrentL2: [2, 1],
  dischargeOverCurrentL1: [2, 2],
  dischargeOverCurrentL2: [2, 3],
  socLowL1: [2, 6],
  socLowL2: [2, 7],
  cellVoltDiffL1: [3, 0],
  cellVoltDiffL2: [3, 1],
} as const satisfies Record<string, readonly [number, number]>;

export type BmsAlarm = keyof typeof BMS_ALARM_BITS;

/** Everything the BMS answers to 0x90-0x98, named as in protocols.md §2. */
export interface BmsReadings {
  totalVoltageV: number;
  acquisitionVoltageV: number;
  /** Positive = charging. */
  currentA: number;
  socPct: number;
  maxCellVoltageV: number;
  maxCellNumber: number;
  minCellVoltageV: number;
  minCellNumber: number;
  maxTemperatureC: number;
  maxTemperatureSensor: number;
  minTemperatureC: number;
  minTemperatureSensor: number;
  /** 0 idle, 1 charging, 2 discharging. */
  state: 0 | 1 | 2;
  chargeMosOn: boolean;
  dischargeMosOn: boolean;
  bmsLifeCycles: number;
  remainingCapacityAh: number;
  cellCount: number;
  temperatureSensorCount: number;
  chargerConnected: boolean;
  loadConnected: boolean;
  dioBits: number;
  cycleCount: number;
  cellVoltagesV: number[];
  temperaturesC: number[];
  /** 1-based cell numbers. */
  balancingCells: number[];
  activeAlarms: BmsAlarm[];
  faultCode: number;
}

/** Below this current the BMS reports "idle". */
const IDLE_CURRENT_A = 1;

export class BmsModel {
  socPct: number;
  chargeMosCommanded = true;
  dischargeMosCommanded = true;
  overVoltageTripped = false;
  underVoltageTripped = false;
  private dischargedAh = 0;

  constructor(
    private readonly pack: BatteryPack,
    readonly limits: BmsLimits,
    /** Current-sense gain error: the coulomb counter drifts, as real ones do. */
    private readonly currentGain: number,
    private readonly lifeCycles: number,
    initialCycles: number,
  ) {
    this.socPct = pack.trueSocPct();
    this.dischargedAh = initialCycles * pack.options.ratedCapacityAh;
  }

  /** May the pack be charged / discharged now (MOSFETs closed)? */
  chargeMosOn(): boolean {
    return this.chargeMosCommanded && !this.overVoltageTripped;
  }

  dischargeMosOn(): boolean {
    return this.dischargeMosCommanded && !this.underVoltageTripped;
  }

  /** Count charge and run the protection after the pack moved for dtS seconds. */
  update(dtS: number): void {
    const currentA = this.pack.currentA;
    const rated = this.pack.options.ratedCapacityAh;
    this.socPct += (100 * currentA * this.currentGain * dtS) / 3600 / rated;
    if (currentA < 0) this.dischargedAh += (-currentA * dtS) / 3600;
    const { max, min, mean } = this.cellExtremes();
    if (max >= this.limits.cellOverVoltageProtectV) this.overVoltageTripped = true;
    else if (this.overVoltageTripped && max <= this.limits.cellOverVoltageReleaseV) this.overVoltageTripped = false;
    if (min <= this.limits.cellUnderVoltageProtectV) {
      this.underVoltageTripped = true;
      this.socPct = 0;
    } else if (this.underVoltageTripped && (min >= this.limits.cellUnderVoltageReleaseV || currentA > IDLE_CURRENT_A)) {
      this.underVoltageTripped = false;
    }
    // Full-charge calibration: the pack sits at the charge voltage and the current has tapered off.
    if (mean >= 3.44 && currentA > 0 && currentA < 0.05 * rated) this.socPct = 100;
    this.socPct = Math.min(100, Math.max(0, this.socPct));
  }

  setSocPct(socPct: number): boolean {
    if (!Number.isFinite(socPct) || socPct < 0 || socPct > 100) return false;
    this.socPct = socPct;
    return true;
  }

  readings(): BmsReadings {
    const pack = this.pack;
    const cellVoltagesV = Array.from(pack.cellVoltageV, (v) => Math.round(v * 1000) / 1000);
    let maxIndex = 0;
    let minIndex = 0;
    cellVoltagesV.forEach((v, i) => {
      if (v > (cellVoltagesV[maxIndex] ?? 0)) maxIndex = i;
      if (v < (cellVoltagesV[minIndex] ?? 0)) minIndex = i;
    });
    const temperaturesC = pack.sensorTemperaturesC().map((t) => Math.round(t));
    let maxT = 0;
    let minT = 0;
    temperaturesC.forEach((t, i) => {
      if (t > (temperaturesC[maxT] ?? 0)) maxT = i;
      if (t < (temperaturesC[minT] ?? 0)) minT = i;
    });
    const currentA = Math.round(pack.currentA * this.currentGain * 10) / 10;
    const totalVoltageV = Math.round(cellVoltagesV.reduce((a, b) => a + b, 0) * 10) / 10;
    const socPct = Math.round(this.socPct * 10) / 10;
    return {
      totalVoltageV,
      acquisitionVoltageV: totalVoltageV,
      currentA,
      socPct,
      maxCellVoltageV: cellVoltagesV[maxIndex] ?? 0,
      maxCellNumber: maxIndex + 1,
      minCellVoltageV: cellVoltagesV[minIndex] ?? 0,
      minCellNumber: minIndex + 1,
      maxTemperatureC: temperaturesC[maxT] ?? 0,
      maxTemperatureSensor: maxT + 1,
      minTemperatureC: temperaturesC[minT] ?? 0,
      minTemperatureSensor: minT + 1,
      state: currentA > IDLE_CURRENT_A ? 1 : currentA < -IDLE_CURRENT_A ? 2 : 0,
      chargeMosOn: this.chargeMosOn(),
      dischargeMosOn: this.dischargeMosOn(),
      bmsLifeCycles: this.lifeCycles,
      remainingCapacityAh: Math.round((socPct / 100) * pack.options.ratedCapacityAh * 1000) / 1000,
      cellCount: pack.cellCount,
      temperatureSensorCount: temperaturesC.length,
      chargerConnected: currentA > IDLE_CURRENT_A,
      loadConnected: currentA < -IDLE_CURRENT_A,
      dioBits: 0,
      cycleCount: Math.floor(this.dischargedAh / pack.options.ratedCapacityAh),
      cellVoltagesV,
      temperaturesC,
      balancingCells: Array.from(pack.balancing.entries())
        .filter(([, on]) => on === 1)
        .map(([i]) => i + 1),
      activeAlarms: this.alarms(cellVoltagesV, temperaturesC, currentA),
      faultCode: 0,
    };
  }

  private alarms(cells: number[], temperatures: number[], currentA: number): BmsAlarm[] {
    const l = this.limits;
    const max = Math.max(...cells);
    const min = Math.min(...cells);
    const total = cells.reduce((a, b) => a + b, 0);
    const maxT = Math.max(...temperatures);
    const minT = Math.min(...temperatures);
    const active: BmsAlarm[] = [];
    const raise = (condition: boolean, alarm: BmsAlarm) => {
      if (condition) active.push(alarm);
    };
    raise(max >= l.cellOverVoltageAlarmV, 'cellVoltHighL1');
    raise(this.overVoltageTripped, 'cellVoltHighL2');
    raise(min <= l.cellUnderVoltageAlarmV, 'cellVoltLowL1');
    raise(this.underVoltageTripped, 'cellVoltLowL2');
    raise(total >= l.packOverVoltageAlarmV, 'sumVoltHighL1');
    raise(total >= l.packOverVoltageProtectV, 'sumVoltHighL2');
    raise(total <= l.packUnderVoltageAlarmV, 'sumVoltLowL1');
    raise(total <= l.packUnderVoltageProtectV, 'sumVoltLowL2');
    const charging = currentA > IDLE_CURRENT_A;
    raise(charging && maxT >= l.temperatureHighAlarmC, 'chargeTempHighL1');
    raise(charging && maxT >= l.temperatureHighProtectC, 'chargeTempHighL2');
    raise(charging && minT <= l.chargeTemperatureLowAlarmC, 'chargeTempLowL1');
    raise(charging && minT <= l.chargeTemperatureLowProtectC, 'chargeTempLowL2');
    raise(!charging && maxT >= l.temperatureHighAlarmC, 'dischargeTempHighL1');
    raise(!charging && maxT >= l.temperatureHighProtectC, 'dischargeTempHighL2');
    raise(currentA >= l.overCurrentAlarmA, 'chargeOverCurrentL1');
    raise(currentA >= l.overCurrentProtectA, 'chargeOverCurrentL2');
    raise(-currentA >= l.overCurrentAlarmA, 'dischargeOverCurrentL1');
    raise(-currentA >= l.overCurrentProtectA, 'dischargeOverCurrentL2');
    raise(this.socPct <= l.socLowAlarmPct, 'socLowL1');
    raise(this.socPct <= l.socLowProtectPct, 'socLowL2');
    raise(max - min >= l.cellDiffAlarmV, 'cellVoltDiffL1');
    raise(max - min >= l.cellDiffProtectV, 'cellVoltDiffL2');
    return active;
  }

  private cellExtremes(): { max: number; min: number; mean: number } {
    let max = -Infinity;
    let min = Infinity;
    let sum = 0;
    for (const v of this.pack.cellVoltageV) {
      if (v > max) max = v;
      if (v < min) min = v;
      sum += v;
    }
    return { max, min, mean: sum / this.pack.cellCount };
  }
}
