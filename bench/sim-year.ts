/**
 * How fast the plant simulates, without any wire: one year at the default 10 s step and at 60 s steps,
 * and what building the device readings costs (what every simulated poll pays).
 * Run: npx tsx bench/sim-year.ts  -> bench/results/sim-year.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createPlant } from '../src/main/sim/index.js';

const START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;

function year(maxStepMs: number) {
  const plant = createPlant({ seed: 1, startTsMs: START, maxStepMs });
  const started = performance.now();
  plant.advanceTo(START + YEAR_MS);
  const wallMs = performance.now() - started;
  const e = plant.energy();
  return {
    maxStepMs,
    steps: YEAR_MS / maxStepMs,
    wallMs: Math.round(wallMs),
    stepsPerSecond: Math.round((YEAR_MS / maxStepMs / wallMs) * 1000),
    simulatedDaysPerSecond: Math.round((365 / wallMs) * 1000),
    pvKwh: Math.round(e.pvWh / 1000),
    loadKwh: Math.round(e.loadServedWh / 1000),
    gridImportKwh: Math.round(e.gridImportWh / 1000),
    conversionLossKwh: Math.round(e.conversionLossWh / 1000),
    unservedLoadKwh: Math.round(e.loadUnservedWh / 100) / 10,
    batteryThroughputKwh: Math.round(e.batteryDischargeWh / 1000),
  };
}

function readings(polls: number) {
  const plant = createPlant({ seed: 1, startTsMs: START + 180 * 86_400_000 });
  const started = performance.now();
  for (let i = 0; i < polls; i++) {
    plant.step(1000);
    plant.inverter.qpigs();
    plant.bms.readings();
    plant.meter.readings();
  }
  const wallMs = performance.now() - started;
  return { polls, wallMs: Math.round(wallMs), microsecondsPerPoll: Math.round((wallMs / polls) * 1000 * 10) / 10 };
}

year(60_000); // warm-up
const tenSecond = year(10_000);
const minute = year(60_000);
const poll = readings(100_000);
const result = {
  benchmark: 'sim-year',
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  year10sSteps: tenSecond,
  year60sSteps: minute,
  readingsPerPoll: poll,
  ratio10sTo60sWall: Math.round((tenSecond.wallMs / minute.wallMs) * 100) / 100,
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/sim-year.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
