/**
 * `--simulate`: the plant model runs in real time, and the device simulators answer on in-memory links
 * with the real wire protocols, so the real drivers, store, controller and API run unchanged. The relay
 * is a file-backed line mirrored into the plant, so the real relay driver switches the simulated grid.
 */
import { join } from 'node:path';
import type { Level, OpenLine } from '../devices/relay/index.js';
import { fileLine } from '../devices/relay/index.js';
import { createPlant, type Plant } from '../sim/plant/index.js';
import { BmsSimulator } from '../sim/devices/bms-simulator.js';
import { InverterSimulator } from '../sim/devices/inverter-simulator.js';
import { MeterSimulator } from '../sim/devices/meter-simulator.js';
import { createMemoryLink, type MemoryLink } from '../transport/memory.js';

export interface SimulationOptions {
  dataDir: string;
  timeZone: string;
  seed?: number;
  /** Plant clock step in real time (default 500 ms). */
  tickMs?: number;
  now?: () => number;
}

export interface Simulation {
  readonly plant: Plant;
  readonly inverter: MemoryLink;
  readonly bms: MemoryLink;
  readonly meter: MemoryLink;
  readonly simulators: { inverter: InverterSimulator; bms: BmsSimulator; meter: MeterSimulator };
  /** The relay line, in the level sense of an `activeHigh` relay: 1 connects the grid. */
  readonly relayLine: OpenLine;
  start(): void;
  stop(): void;
}

export function createSimulation(options: SimulationOptions): Simulation {
  const now = options.now ?? Date.now;
  const plant = createPlant({ seed: options.seed ?? 2026, startTsMs: now(), timeZone: options.timeZone });
  const links = {
    inverter: createMemoryLink({ description: 'simulated inverter (memory link)' }),
    bms: createMemoryLink({ description: 'simulated BMS (memory link)' }),
    meter: createMemoryLink({ description: 'simulated SDM230 (memory link)' }),
  };
  const simulators = {
    inverter: new InverterSimulator(plant),
    bms: new BmsSimulator(plant),
    meter: new MeterSimulator(plant),
  };
  simulators.inverter.attach(links.inverter.peer);
  simulators.bms.attach(links.bms.peer);
  simulators.meter.attach(links.meter.peer);

  const file = fileLine(join(options.dataDir, 'simulated-relay.gpio'));
  const relayLine: OpenLine = async (initial) => {
    const line = await file(initial);
    const mirror = (level: Level): void => plant.setGridConnected(level === 1);
    mirror(initial);
    return {
      writeSync(value) {
        line.writeSync(value);
        mirror(value);
      },
      readSync: () => line.readSync(),
      unexport: () => line.unexport(),
    };
  };

  let timer: NodeJS.Timeout | null = null;
  return {
    plant,
    ...links,
    simulators,
    relayLine,
    start() {
      if (timer) return;
      timer = setInterval(() => plant.advanceTo(now()), options.tickMs ?? 500);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const sim of Object.values(simulators)) sim.close();
    },
  };
}
