/**
 * Seeded pseudo-random numbers. Every stochastic part of the plant draws from a stream derived from
 * (seed, purpose, day), so a trace depends only on the seed and the time, not on the step size.
 */

/** A stream of uniform numbers in [0, 1). */
export type Random = () => number;

/** Mix several integers into one 32-bit seed (a murmur3-style finaliser per input). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.trunc(part) | 0;
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35);
    k ^= k >>> 16;
    h = Math.imul(h ^ k, 0x27d4eb2f) + 0x165667b1;
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for a simulation (not for anything secret). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [min, max). */
export const uniform = (random: Random, min: number, max: number): number => min + (max - min) * random();

/** Approximately normal (sum of four uniforms), mean 0, standard deviation 1; bounded, which suits hardware spread. */
export function gaussian(random: Random): number {
  return (random() + random() + random() + random() - 2) * Math.sqrt(3);
}

/** Stable identifiers of the random streams, so adding a stream never shifts another. */
export const STREAM = {
  weatherRegime: 1,
  weatherDay: 2,
  loadDay: 3,
  cells: 4,
  gridDay: 5,
  misc: 6,
} as const;
