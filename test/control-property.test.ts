/**
 * Whatever the plant does and whatever (valid) thresholds are configured, the controller never gets a
 * command past the hard limits or the write budgets to the devices.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/main/control/audit.js';
import { createCommandQueue } from '../src/main/control/command-queue.js';
import { createController } from '../src/main/control/controller.js';
import { batteryLimits, DEFAULT_BATTERY } from '../src/main/control/limits.js';
import { DEFAULT_RELAY_RATE_LIMIT, DEFAULT_SETTING_RATE_LIMIT } from '../src/main/control/rate-limit.js';
import { createSimulatedInverter, createSimulatedRelay, SIMULATED_CHARGE_OPTIONS_A } from '../src/main/control/simulated-devices.js';
import { ControllerThresholdsSchema, DEFAULT_THRESHOLDS, type ControllerThresholds } from '../src/main/control/thresholds.js';
import type { Sample } from '../src/shared/samples.js';

const tenth = (v: number): number => Math.round(v * 10) / 10;
const volts = (min: number, max: number) => fc.integer({ min: Math.round(min * 10), max: Math.round(max * 10) }).map((d) => d / 10);
const gap = (max: number) => volts(0.1, max);
const amps = fc.constantFrom(5, 10, 15, 20, 30, 40, 45, 60, 80, 100, 120);

/** Thresholds anywhere in their ranges, built so the orderings hold; some beyond the pack's hard limits. */
const thresholdsArb: fc.Arbitrary<ControllerThresholds> = fc
  .record({
    switchToUsbV: volts(44, 53),
    toGridOn: volts(0, 1.5),
    toGridOff: gap(2),
    toNearlyFull: gap(3),
    toFull: volts(0, 2),
    floatLowV: volts(48, 57),
    toCvLow: volts(0, 1),
    toFloatHigh: volts(0, 2),
    toCvHigh: volts(0, 1.5),
    socLowPct: fc.integer({ min: 0, max: 60 }),
    toSocHigh: fc.integer({ min: 1, max: 39 }),
    cellMaxV: volts(3.2, 3.65),
    currents: fc.tuple(amps, amps, amps).map((a) => [...a].sort((x, y) => x - y)),
    minutes: fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })),
    cooldownMinutes: fc.integer({ min: 1, max: 90 }),
    restoreHour: fc.integer({ min: 0, max: 23 }),
  })
  .map((r) => {
    const gridRelayOnV = tenth(r.switchToUsbV + r.toGridOn);
    const gridRelayOffV = tenth(gridRelayOnV + r.toGridOff);
    const nearlyFullV = Math.min(58.4, tenth(gridRelayOffV + r.toNearlyFull));
    const cvLowV = Math.min(58.4, tenth(r.floatLowV + r.toCvLow));
    const floatHighV = Math.min(58.4, tenth(r.floatLowV + r.toFloatHigh));
    return {
      ...DEFAULT_THRESHOLDS,
      switchToUsbV: r.switchToUsbV,
      gridRelayOnV,
      gridRelayOffV,
      nearlyFullV,
      batteryFullV: Math.min(58.4, tenth(nearlyFullV + r.toFull)),
      floatLowV: r.floatLowV,
      cvLowV,
      floatHighV,
      cvHighV: Math.min(58.4, tenth(Math.max(cvLowV, floatHighV) + r.toCvHigh)),
      socLowPct: r.socLowPct,
      socHighPct: r.socLowPct + r.toSocHigh,
      cellMaxV: r.cellMaxV,
      chargeCurrentSafeA: r.currents[0] as number,
      chargeCurrentReducedA: r.currents[1] as number,
      chargeCurrentOptimalA: r.currents[2] as number,
      lowVoltageMinutes: r.minutes[0],
      recoveredMinutes: r.minutes[1],
      fullMinutes: r.minutes[2],
      socMinutes: r.minutes[3],
      cooldownMinutes: r.cooldownMinutes,
      restoreHour: r.restoreHour,
    };
  })
  .filter((t) => ControllerThresholdsSchema.safeParse(t).success);

interface Step {
  dtMs: number;
  batteryVoltageV: number;
  socPct: number | null;
  maxCellV: number | null;
  chargeMosOn: boolean | null;
  /** Someone else changes a setting at the front panel now and then. */
  panel: null | { field: 'outputSourcePriority'; value: string } | { field: 'chargerSourcePriority'; value: string } | { field: 'maxChargingCurrentA'; value: number };
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  dtMs: fc.integer({ min: 1, max: 180 }).map((s) => s * 1000),
  batteryVoltageV: volts(44, 60),
  socPct: fc.option(fc.integer({ min: 0, max: 100 }), { freq: 4 }),
  maxCellV: fc.option(fc.integer({ min: 2900, max: 3700 }).map((mv) => mv / 1000), { freq: 3 }),
  chargeMosOn: fc.option(fc.boolean(), { freq: 3 }),
  panel: fc.option(
    fc.oneof(
      fc.record({ field: fc.constant('outputSourcePriority' as const), value: fc.constantFrom('utilityFirst', 'solarFirst', 'sbu') }),
      fc.record({ field: fc.constant('chargerSourcePriority' as const), value: fc.constantFrom('solarOnly', 'solarAndUtility', 'solarFirst') }),
      fc.record({ field: fc.constant('maxChargingCurrentA' as const), value: fc.constantFrom(...SIMULATED_CHARGE_OPTIONS_A) }),
    ),
    { freq: 10 },
  ),
});

/** The value a PI30 setting text carries, for the checks below. */
function valueOf(text: string): { kind: 'voltage' | 'current' | 'enum'; field: string; value: number } {
  const v = /^(PCVV|PBFT|PBCV|PBDV|PSDV)(\d\d\.\d)$/.exec(text);
  if (v) return { kind: 'voltage', field: v[1] as string, value: Number(v[2]) };
  const c = /^(?:MCHGC0(\d\d)|MNCHGC0(\d{3}))$/.exec(text);
  if (c) return { kind: 'current', field: 'MCHGC', value: Number(c[1] ?? c[2]) };
  return { kind: 'enum', field: text.slice(0, 3), value: Number(text.slice(3)) };
}

describe('controller and queue under random plants and thresholds', () => {
  it('never send a command outside the hard limits, never exceed a write budget', async () => {
    const limits = batteryLimits(DEFAULT_BATTERY);
    await fc.assert(
      fc.asyncProperty(thresholdsArb, fc.array(stepArb, { minLength: 20, maxLength: 400 }), fc.integer({ min: 0, max: 86_399 }), async (thresholds, steps, startS) => {
        let t = Date.UTC(2026, 5, 1) + startS * 1000;
        const inverter = createSimulatedInverter({
          batteryRechargeVoltageV: 48,
          batteryUnderVoltageV: 46,
          batteryBulkVoltageV: 56.0,
          batteryFloatVoltageV: 55.0,
          batteryRedischargeVoltageV: 0,
          maxChargingCurrentA: 60,
          maxAcChargingCurrentA: 30,
          outputSourcePriority: 'sbu',
          chargerSourcePriority: 'solarOnly',
        });
        const relay = createSimulatedRelay(false);
        const sends: Array<{ tsMs: number; text: string }> = [];
        const relaySwitches: number[] = [];
        const violations: string[] = [];
        const audit = (r: AuditRecord): void => {
          if (r.commandText) sends.push({ tsMs: r.tsMs, text: r.commandText });
          if ((r.action as { action?: string }).action === 'setGridRelay' && r.outcome.status === 'applied') relaySwitches.push(r.tsMs);
          const bulk = inverter.settings.batteryBulkVoltageV as number;
          const float = inverter.settings.batteryFloatVoltageV as number;
          if (float > bulk + 1e-9) violations.push(`float ${float} above bulk ${bulk} after ${r.commandText ?? ''}`);
        };
        const queue = createCommandQueue({ inverter, relay, limits, audit, now: () => t });
        const controller = createController({ queue, thresholds, timeZone: 'Europe/Berlin', mode: 'on', now: () => t });
        for (const step of steps) {
          t += step.dtMs;
          if (step.panel) inverter.settings[step.panel.field] = step.panel.value;
          const bms: Record<string, number | boolean> = {};
          if (step.socPct !== null) bms.socPct = step.socPct;
          if (step.maxCellV !== null) bms.maxCellVoltageV = step.maxCellV;
          if (step.chargeMosOn !== null) bms.chargeMosOn = step.chargeMosOn;
          const samples: Sample[] = [
            { device: 'inverter', tsMs: t, source: 'QPIGS', values: { batteryVoltageV: step.batteryVoltageV } },
            { device: 'inverter', tsMs: t, source: 'QPIRI', values: { ...inverter.settings } },
            { device: 'bms', tsMs: t, source: '0x90', values: bms },
            { device: 'relay', tsMs: t, source: 'gpio', values: { gridConnected: relay.isGridConnected() } },
          ];
          for (const s of samples) await controller.onSample(s);
        }

        for (const { text } of sends) {
          const { kind, field, value } = valueOf(text);
          if (kind === 'voltage' && !(field === 'PBDV' && value === 0) && (value < limits.packMinV || value > limits.packMaxV)) {
            violations.push(`${text} outside ${limits.packMinV}-${limits.packMaxV} V`);
          }
          if (kind === 'current' && (value > limits.maxChargeCurrentA || !SIMULATED_CHARGE_OPTIONS_A.includes(value))) violations.push(`${text} not an allowed current`);
        }
        const byCommand = new Map<string, number[]>();
        for (const { tsMs, text } of sends) {
          const key = valueOf(text).field;
          byCommand.set(key, [...(byCommand.get(key) ?? []), tsMs]);
        }
        const checkBudget = (name: string, times: number[], limit: typeof DEFAULT_SETTING_RATE_LIMIT): void => {
          times.forEach((ts, i) => {
            const prev = times[i - 1];
            if (prev !== undefined && ts - prev < limit.minIntervalMs) violations.push(`${name} written ${ts - prev} ms after the previous write`);
            const inWindow = times.filter((x) => x <= ts && ts - x < limit.windowMs).length;
            if (inWindow > limit.maxPerWindow) violations.push(`${name} written ${inWindow} times in one window`);
          });
        };
        for (const [name, times] of byCommand) checkBudget(name, times, DEFAULT_SETTING_RATE_LIMIT);
        checkBudget('grid relay', relaySwitches, DEFAULT_RELAY_RATE_LIMIT);
        expect(violations).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
