/**
 * The public grid at the meter (voltage and frequency wander a little, outages are scripted) and the
 * SDM230 meter between the grid and the relay, which counts what the inverter's AC input draws.
 * The meter is powered by the line it measures: during an outage it is dead and does not answer.
 */
import { createRandom, mixSeed, STREAM } from './random.js';

export interface GridOutage {
  startMs: number;
  endMs: number;
}

const SEGMENT_MS = 300_000;
const SEGMENTS_PER_DAY = 288;
const DAY_MS = 86_400_000;

export class GridModel {
  private manualOutage = false;
  private day = Number.NaN;
  private readonly wander = new Float64Array(SEGMENTS_PER_DAY + 1);

  constructor(
    private readonly seed: number,
    private readonly nominalVoltageV: number,
    private readonly outages: readonly GridOutage[],
  ) {}

  setOutage(active: boolean): void {
    this.manualOutage = active;
  }

  present(tsMs: number): boolean {
    if (this.manualOutage) return false;
    return !this.outages.some((o) => tsMs >= o.startMs && tsMs < o.endMs);
  }

  /** Line voltage: a daily swing (higher around noon when rooftop PV feeds the street) plus slow wander. */
  voltageV(tsMs: number): number {
    const dayIndex = Math.floor(tsMs / DAY_MS);
    if (dayIndex !== this.day) this.drawDay(dayIndex);
    const position = (tsMs - dayIndex * DAY_MS) / SEGMENT_MS;
    const i = Math.floor(position);
    const a = this.wander[i] ?? 0;
    const b = this.wander[i + 1] ?? a;
    const hour = (tsMs - dayIndex * DAY_MS) / 3_600_000;
    return this.nominalVoltageV + 2.5 * Math.sin((2 * Math.PI * (hour - 6)) / 24) + a + (b - a) * (position - i);
  }

  frequencyHz(tsMs: number): number {
    // Reduce the phase first: sin() of a 10⁷-radian argument is slow.
    const slow = ((tsMs % 609_469) / 609_469) * 2 * Math.PI;
    const fast = ((tsMs % 81_681) / 81_681) * 2 * Math.PI;
    return 50 + 0.02 * Math.sin(slow) + 0.01 * Math.sin(fast);
  }

  private drawDay(dayIndex: number): void {
    this.day = dayIndex;
    const random = createRandom(mixSeed(this.seed, STREAM.gridDay, dayIndex));
    let level = (random() - 0.5) * 4;
    for (let i = 0; i <= SEGMENTS_PER_DAY; i++) {
      level = Math.max(-5, Math.min(5, level + (random() - 0.5) * 1.2));
      this.wander[i] = level;
    }
  }
}

/** Readings of the SDM230 input registers (protocols.md §3.2). activePowerW > 0 imports from the grid. */
export interface MeterReadings {
  voltageV: number;
  currentA: number;
  activePowerW: number;
  apparentPowerVA: number;
  reactivePowerVar: number;
  powerFactor: number;
  phaseAngleDeg: number;
  frequencyHz: number;
  importActiveEnergyKwh: number;
  exportActiveEnergyKwh: number;
  importReactiveEnergyKvarh: number;
  exportReactiveEnergyKvarh: number;
  totalActiveEnergyKwh: number;
  totalReactiveEnergyKvarh: number;
}

export interface MeterCounters {
  importActiveEnergyKwh: number;
  exportActiveEnergyKwh: number;
  importReactiveEnergyKvarh: number;
  exportReactiveEnergyKvarh: number;
}

export class MeterModel {
  readonly counters: MeterCounters;
  private powerW = 0;
  private powerFactor = 1;

  constructor(start: Partial<MeterCounters>) {
    this.counters = { importActiveEnergyKwh: 0, exportActiveEnergyKwh: 0, importReactiveEnergyKvarh: 0, exportReactiveEnergyKvarh: 0, ...start };
  }

  /** Count dtS seconds of this flow through the meter; powerFactor < 1 means an inductive load. */
  record(powerW: number, powerFactor: number, dtS: number): void {
    this.powerW = powerW;
    this.powerFactor = powerFactor;
    const hours = dtS / 3600;
    const reactiveVar = reactive(powerW, powerFactor);
    if (powerW >= 0) this.counters.importActiveEnergyKwh += (powerW * hours) / 1000;
    else this.counters.exportActiveEnergyKwh += (-powerW * hours) / 1000;
    if (reactiveVar >= 0) this.counters.importReactiveEnergyKvarh += (reactiveVar * hours) / 1000;
    else this.counters.exportReactiveEnergyKvarh += (-reactiveVar * hours) / 1000;
  }

  readings(voltageV: number, frequencyHz: number): MeterReadings {
    const c = this.counters;
    const reactivePowerVar = reactive(this.powerW, this.powerFactor);
    const apparentPowerVA = Math.hypot(this.powerW, reactivePowerVar);
    const powerFactor = apparentPowerVA > 0 ? Math.sign(this.powerW || 1) * this.powerFactor : 1;
    return {
      voltageV,
      currentA: voltageV > 0 ? apparentPowerVA / voltageV : 0,
      activePowerW: this.powerW,
      apparentPowerVA,
      reactivePowerVar,
      powerFactor,
      phaseAngleDeg: apparentPowerVA > 0 ? (Math.acos(Math.min(1, this.powerFactor)) * 180) / Math.PI : 0,
      frequencyHz,
      importActiveEnergyKwh: c.importActiveEnergyKwh,
      exportActiveEnergyKwh: c.exportActiveEnergyKwh,
      importReactiveEnergyKvarh: c.importReactiveEnergyKvarh,
      exportReactiveEnergyKvarh: c.exportReactiveEnergyKvarh,
      totalActiveEnergyKwh: c.importActiveEnergyKwh + c.exportActiveEnergyKwh,
      totalReactiveEnergyKvarh: c.importReactiveEnergyKvarh + c.exportReactiveEnergyKvarh,
    };
  }
}

function reactive(powerW: number, powerFactor: number): number {
  const pf = Math.min(1, Math.max(0.05, powerFactor));
  return Math.abs(powerW) * Math.tan(Math.acos(pf));
}
