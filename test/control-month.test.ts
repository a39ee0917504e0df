/**
 * A simulated month on the plant model with the controller on: the battery stays inside its limits and
 * the controller stays calm. Run for a winter month (the low-battery rules work) and a summer month
 * (the full-battery rules work).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BATTERY } from '../src/main/control/limits.js';
import { runControllerOnPlant } from '../src/main/control/plant-run.js';
import { DEFAULT_BMS_LIMITS } from '../src/main/sim/plant/index.js';

describe.each([
  ['December', Date.UTC(2025, 11, 1)],
  ['June', Date.UTC(2026, 5, 1)],
])('a simulated %s with the controller on', (month, startTsMs) => {
  it('keeps the battery within its limits, without protection trips, at a modest number of writes', async () => {
    const result = await runControllerOnPlant({ days: 30, seed: 11, startTsMs, timeZone: 'Europe/Berlin', pollMs: 30_000 });
    const { battery, summary } = result;
    console.log(`${month}: ${JSON.stringify({ ...summary, thresholds: undefined, battery })}`);
    expect(summary.failed).toBe(0);
    expect(battery.bmsProtectionTrips).toBe(0);
    expect(battery.minSocPct).toBeGreaterThan(DEFAULT_BMS_LIMITS.socLowProtectPct);
    expect(battery.minBatteryVoltageV).toBeGreaterThan(battery.cutoffVoltageV);
    expect(battery.maxCellVoltageV).toBeLessThan(DEFAULT_BATTERY.cellMaxV);
    // EEPROM: well inside the per-setting budget of 24 a day, summed over all settings.
    expect(summary.maxSettingWritesInADay).toBeLessThanOrEqual(24);
    // Calm: at most four connect/disconnect cycles a day on average.
    expect(summary.relaySwitchesPerDay).toBeLessThanOrEqual(8);
  }, 180_000);
});
