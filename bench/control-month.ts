/**
 * A simulated month of the installation with the controller on, against the same month left alone:
 * battery extremes, BMS trips, setting writes and relay switches per day, for a winter and a summer
 * month; plus how fast the controller and plant run (simulated days per second of wall time).
 * Run: npx tsx bench/control-month.ts  -> bench/results/control-month.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runControllerOnPlant } from '../src/main/control/plant-run.js';

const MONTHS = [
  { month: '2025-12', startTsMs: Date.UTC(2025, 11, 1) },
  { month: '2026-06', startTsMs: Date.UTC(2026, 5, 1) },
];
const DAYS = 30;
const POLL_MS = 10_000;

const runs = [];
for (const { month, startTsMs } of MONTHS) {
  for (const mode of ['on', 'off'] as const) {
    const started = performance.now();
    const { summary, battery } = await runControllerOnPlant({ days: DAYS, seed: 1, startTsMs, timeZone: 'Europe/Berlin', pollMs: POLL_MS, mode });
    const wallMs = performance.now() - started;
    runs.push({
      month,
      controller: mode,
      wallMs: Math.round(wallMs),
      simulatedDaysPerSecond: Math.round((DAYS / wallMs) * 1000 * 10) / 10,
      samplesPerSecond: Math.round((summary.samples / wallMs) * 1000),
      actions: summary.actions,
      byRule: summary.byRule,
      settingWrites: summary.settingWrites,
      settingWritesPerDay: summary.settingWritesPerDay,
      maxSettingWritesInADay: summary.maxSettingWritesInADay,
      relaySwitches: summary.relaySwitches,
      relaySwitchesPerDay: summary.relaySwitchesPerDay,
      cooldownSkips: summary.cooldownSkips,
      refused: summary.refused,
      failed: summary.failed,
      minSocPct: Math.round(battery.minSocPct * 10) / 10,
      minBatteryVoltageV: battery.minBatteryVoltageV,
      maxCellVoltageV: battery.maxCellVoltageV,
      bmsProtectionTrips: battery.bmsProtectionTrips,
      unservedLoadWh: battery.unservedLoadWh,
    });
    console.log(JSON.stringify(runs[runs.length - 1]));
  }
}

const result = {
  bench: 'control-month',
  date: new Date().toISOString(),
  node: process.version,
  days: DAYS,
  pollMs: POLL_MS,
  seed: 1,
  timeZone: 'Europe/Berlin',
  runs,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/control-month.json', `${JSON.stringify(result, null, 2)}\n`);
console.log('wrote bench/results/control-month.json');
