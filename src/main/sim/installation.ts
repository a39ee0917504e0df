/**
 * The whole simulated installation in one call: the plant, its clock and the three device simulators,
 * ready to attach to memory links, ptys or TCP ports.
 */
import { BmsSimulator, type BmsSimulatorOptions } from './devices/bms-simulator.js';
import { InverterSimulator, type InverterSimulatorOptions } from './devices/inverter-simulator.js';
import { MeterSimulator, type MeterSimulatorOptions } from './devices/meter-simulator.js';
import { createPlant, type Plant, type PlantOptions } from './plant/index.js';
import { startPlantClock, type PlantClock } from './plant-clock.js';

export interface InstallationOptions {
  seed: number;
  /** Plant start (default now). */
  startTsMs?: number;
  /** Plant time runs this many times faster than wall time (the wire keeps its real timing). */
  speed?: number;
  /** Pace replies at the line rate (default true); the per-device options can override it. */
  pacing?: boolean;
  /** Do not run the plant clock (tests step the plant themselves). */
  manualClock?: boolean;
  plant?: Omit<PlantOptions, 'seed' | 'startTsMs'>;
  inverter?: InverterSimulatorOptions;
  bms?: BmsSimulatorOptions;
  meter?: MeterSimulatorOptions;
}

export interface SimulatedInstallation {
  plant: Plant;
  inverter: InverterSimulator;
  bms: BmsSimulator;
  meter: MeterSimulator;
  /** Null with manualClock. */
  clock: PlantClock | null;
  /** Stop the clock and every simulator (links stay the caller's to close). */
  close(): void;
}

export function createSimulatedInstallation(options: InstallationOptions): SimulatedInstallation {
  const plant = createPlant({ ...options.plant, seed: options.seed, startTsMs: options.startTsMs ?? Date.now() });
  const shared = { pacing: options.pacing, seed: options.seed };
  const inverter = new InverterSimulator(plant, { ...shared, ...options.inverter });
  const bms = new BmsSimulator(plant, { ...shared, ...options.bms });
  const meter = new MeterSimulator(plant, { ...shared, ...options.meter });
  const clock = options.manualClock ? null : startPlantClock(plant, { speed: options.speed ?? 1 });
  return {
    plant,
    inverter,
    bms,
    meter,
    clock,
    close() {
      clock?.stop();
      inverter.close();
      bms.close();
      meter.close();
    },
  };
}
