/**
 * Cloud cover and temperatures. Each local day gets a regime (clear, mixed, overcast) from a Markov
 * chain whose odds follow the season of Central Europe (grey winters, sunnier summers); within the day
 * a 10-minute series of sky transmittance gives passing clouds. Everything is a function of
 * (seed, day), so the sky does not depend on how finely the plant is stepped.
 */
import { createRandom, mixSeed, STREAM, uniform, type Random } from './random.js';

export type WeatherRegime = 'clear' | 'mixed' | 'overcast';

const SEGMENT_MS = 600_000;
const SEGMENTS_PER_DAY = 144;
const DAY_MS = 86_400_000;
/** Chance that a day keeps yesterday's regime (weather comes in spells). */
const PERSISTENCE = 0.55;

interface DaySky {
  dayIndex: number;
  regime: WeatherRegime;
  /** Transmittance at each segment boundary (SEGMENTS_PER_DAY + 1 values). */
  transmittance: Float64Array;
}

/** 0 in mid-January, 1 in mid-July. */
export function summerness(tsMs: number): number {
  const dayOfYear = (tsMs / DAY_MS) % 365.2425;
  return (1 - Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.2425)) / 2;
}

function seasonalOdds(tsMs: number): { clear: number; mixed: number } {
  const s = summerness(tsMs);
  return { clear: 0.1 + 0.25 * s, mixed: 0.25 + 0.2 * s };
}

export class Weather {
  private regimeDay = Number.NaN;
  private regime: WeatherRegime = 'mixed';
  private sky: DaySky | null = null;

  constructor(private readonly seed: number) {}

  /** Fraction of clear-sky PV that reaches the panels, 0.05-1.1 (broken clouds can brighten briefly). */
  transmittance(tsMs: number): number {
    const dayIndex = Math.floor(tsMs / DAY_MS);
    const sky = this.skyFor(dayIndex);
    const position = (tsMs - dayIndex * DAY_MS) / SEGMENT_MS;
    const i = Math.floor(position);
    const a = sky.transmittance[i] ?? 1;
    const b = sky.transmittance[i + 1] ?? a;
    return a + (b - a) * (position - i);
  }

  regimeAt(tsMs: number): WeatherRegime {
    return this.skyFor(Math.floor(tsMs / DAY_MS)).regime;
  }

  /** Outdoor air temperature: seasonal mean, daily swing, cooler under clouds. */
  outdoorTemperatureC(tsMs: number): number {
    const s = summerness(tsMs);
    const hour = (((tsMs % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
    const regime = this.regimeAt(tsMs);
    const swing = regime === 'overcast' ? 2 : regime === 'mixed' ? 4 : 6;
    return -1 + 19 * s + swing * Math.sin((2 * Math.PI * (hour - 8)) / 24);
  }

  /** The battery room: heated in winter, warm in summer, slow to follow the weather. */
  indoorTemperatureC(tsMs: number): number {
    return 15 + 9 * summerness(tsMs);
  }

  private skyFor(dayIndex: number): DaySky {
    if (this.sky?.dayIndex === dayIndex) return this.sky;
    const regime = this.regimeFor(dayIndex);
    const random = createRandom(mixSeed(this.seed, STREAM.weatherDay, dayIndex));
    const transmittance = new Float64Array(SEGMENTS_PER_DAY + 1);
    let sunny = random() < 0.5;
    // Winter overcast is darker (low stratus, fog) than summer overcast.
    const overcastMean = 0.15 + 0.12 * summerness(dayIndex * DAY_MS);
    let level = regime === 'overcast' ? overcastMean : 0.95;
    for (let i = 0; i <= SEGMENTS_PER_DAY; i++) {
      transmittance[i] = nextTransmittance(regime, random, sunny, level);
      if (regime === 'mixed' && random() > 0.7) sunny = !sunny;
      if (regime === 'overcast') level = Math.min(0.45, Math.max(0.05, level + uniform(random, -0.05, 0.05) + (overcastMean - level) * 0.1));
    }
    this.sky = { dayIndex, regime, transmittance };
    return this.sky;
  }

  /** Markov chain over days; a day before the first one asked for starts from the seasonal odds. */
  private regimeFor(dayIndex: number): WeatherRegime {
    if (Number.isNaN(this.regimeDay) || dayIndex < this.regimeDay || dayIndex - this.regimeDay > 400) {
      this.regimeDay = dayIndex;
      this.regime = drawRegime(createRandom(mixSeed(this.seed, STREAM.weatherRegime, dayIndex)), dayIndex);
      return this.regime;
    }
    while (this.regimeDay < dayIndex) {
      this.regimeDay++;
      const random = createRandom(mixSeed(this.seed, STREAM.weatherRegime, this.regimeDay));
      if (random() >= PERSISTENCE) this.regime = drawRegime(random, this.regimeDay);
    }
    return this.regime;
  }
}

function drawRegime(random: Random, dayIndex: number): WeatherRegime {
  const odds = seasonalOdds(dayIndex * DAY_MS);
  const u = random();
  if (u < odds.clear) return 'clear';
  if (u < odds.clear + odds.mixed) return 'mixed';
  return 'overcast';
}

function nextTransmittance(regime: WeatherRegime, random: Random, sunny: boolean, overcastLevel: number): number {
  switch (regime) {
    case 'clear':
      return uniform(random, 0.9, 1.0);
    case 'mixed':
      return sunny ? uniform(random, 0.9, 1.1) : uniform(random, 0.2, 0.55);
    case 'overcast':
      return overcastLevel;
  }
}
