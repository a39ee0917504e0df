/** Runs a plant in real time × speed, for `voltmon simulate` and the daemon's built-in simulation. */
import type { Plant } from './plant/index.js';

export interface PlantClock {
  readonly speed: number;
  stop(): void;
}

/**
 * Step the plant every `tickMs` of wall time by the elapsed wall time × speed. Measuring the elapsed
 * time (rather than trusting the timer) keeps plant time in step with the wall clock under load.
 */
export function startPlantClock(plant: Plant, options: { speed?: number; tickMs?: number } = {}): PlantClock {
  const speed = options.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    plant.step((now - last) * speed);
    last = now;
  }, options.tickMs ?? 250);
  timer.unref?.();
  return {
    speed,
    stop: () => clearInterval(timer),
  };
}
