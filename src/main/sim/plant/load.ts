/**
 * The house's AC load: a base (fridge cycling, standby devices), lights after dark, an evening peak,
 * and appliances that people switch on by the clock (kettle, microwave, oven, washing machine). The
 * appliance plan of each local day is drawn from (seed, day), so the load is a pure function of time.
 */
import type { LocalClock } from './local-time.js';
import { createRandom, mixSeed, STREAM, uniform, type Random } from './random.js';

export interface LoadOptions {
  /** Always-on consumers (router, standby, heating pump electronics). */
  baseW: number;
  /** Multiplies every consumer; 1 is a frugal off-grid household. */
  scale: number;
}

export const DEFAULT_LOAD: LoadOptions = { baseW: 110, scale: 1 };

interface Appliance {
  startMs: number;
  endMs: number;
  powerW: number;
  /** Thermostat cycling: on for dutyOn of every dutyPeriodMs (1 = always on while running). */
  dutyOn: number;
  dutyPeriodMs: number;
}

interface DayPlan {
  dayIndex: number;
  appliances: Appliance[];
  fridgePhaseMs: number;
}

const MIN_MS = 60_000;
const HOUR_MS = 3_600_000;
const FRIDGE_PERIOD_MS = 45 * MIN_MS;
const FRIDGE_ON_MS = 14 * MIN_MS;

export class HouseLoad {
  private plan: DayPlan | null = null;

  constructor(
    private readonly seed: number,
    private readonly clock: LocalClock,
    private readonly options: LoadOptions,
  ) {}

  /** Active power demanded by the house, W. `dark` tells whether lights are needed. */
  demandW(tsMs: number, dark: boolean): number {
    const hour = this.clock.hourOfDay(tsMs);
    const plan = this.planFor(tsMs);
    let powerW = this.options.baseW;
    if ((tsMs + plan.fridgePhaseMs) % FRIDGE_PERIOD_MS < FRIDGE_ON_MS) powerW += 85;
    const awake = hour >= 6.5 && hour < 23.25;
    if (dark && awake) powerW += 140;
    if (hour >= 18 && hour < 22.5) powerW += 160;
    for (const a of plan.appliances) {
      if (tsMs < a.startMs || tsMs >= a.endMs) continue;
      if (a.dutyOn >= 1 || (tsMs - a.startMs) % a.dutyPeriodMs < a.dutyOn * a.dutyPeriodMs) powerW += a.powerW;
    }
    return powerW * this.options.scale;
  }

  private planFor(tsMs: number): DayPlan {
    const dayIndex = this.clock.dayIndex(tsMs);
    if (this.plan?.dayIndex === dayIndex) return this.plan;
    const random = createRandom(mixSeed(this.seed, STREAM.loadDay, dayIndex));
    // Local midnight as a UTC instant: the offset at the current instant is right except on DST days,
    // where an appliance may start an hour off, which nobody would notice.
    const midnightMs = dayIndex * 86_400_000 - this.clock.offsetMs(tsMs);
    const weekend = [0, 6].includes(this.clock.weekday(tsMs));
    this.plan = { dayIndex, appliances: drawAppliances(random, midnightMs, weekend), fridgePhaseMs: Math.floor(random() * FRIDGE_PERIOD_MS) };
    return this.plan;
  }
}

function at(midnightMs: number, random: Random, fromHour: number, toHour: number): number {
  return midnightMs + Math.floor(uniform(random, fromHour, toHour) * HOUR_MS);
}

function run(startMs: number, minutes: number, powerW: number, dutyOn = 1, dutyPeriodMin = 1): Appliance {
  return { startMs, endMs: startMs + minutes * MIN_MS, powerW, dutyOn, dutyPeriodMs: dutyPeriodMin * MIN_MS };
}

function drawAppliances(random: Random, midnightMs: number, weekend: boolean): Appliance[] {
  const list: Appliance[] = [];
  const kettleWindows: Array<[number, number]> = [
    [6.5, 8.5],
    [12, 13.5],
    [15, 17],
    [19, 21],
  ];
  for (const [from, to] of kettleWindows) {
    if (random() < 0.65) list.push(run(at(midnightMs, random, from, to), uniform(random, 2.5, 4), 2000));
  }
  if (random() < 0.6) list.push(run(at(midnightMs, random, 12, 13), uniform(random, 2, 5), 1150));
  if (random() < 0.5) list.push(run(at(midnightMs, random, 18, 20.5), uniform(random, 2, 4), 1150));
  // Cooking: hob and oven cycle on their thermostats.
  if (random() < (weekend ? 0.8 : 0.5)) list.push(run(at(midnightMs, random, 11.25, 12.5), uniform(random, 25, 60), 2300, 0.65, 2));
  if (random() < 0.7) list.push(run(at(midnightMs, random, 17.5, 19.25), uniform(random, 20, 50), 2300, 0.6, 2));
  // Washing machine: water heating, then the motor for the rest of the programme.
  if (random() < (weekend ? 0.7 : 0.35)) {
    const startMs = at(midnightMs, random, 8, 16);
    list.push(run(startMs, 18, 2050));
    list.push(run(startMs + 18 * MIN_MS, 70, 260));
  }
  if (random() < 0.25) list.push(run(at(midnightMs, random, 19.5, 21.5), 120, 1200, 0.5, 10));
  return list;
}
