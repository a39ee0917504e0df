/**
 * Backtest: the controller, switched on, over a recorded sample stream. The devices are simulated the
 * way they would have answered: a setting the controller changed stays changed (the recording's later
 * values for it are replaced by the simulated one), so an action is not repeated on every sample.
 * Every decision is reported with its rule and reason, and the writes it would cost are counted.
 */
import type { ControlAction, ControlOutcome } from '../../shared/control.js';
import type { EngineEvent } from '../../shared/events.js';
import type { Sample } from '../../shared/samples.js';
import type { AuditRecord } from './audit.js';
import { createCommandQueue, type CommandQueue } from './command-queue.js';
import { createController, type Controller, type DecisionData } from './controller.js';
import { batteryLimits, DEFAULT_BATTERY, isInverterSetting, SETTING_FIELDS, type BatteryDescription } from './limits.js';
import type { InverterCommandPort, RelayPort } from './ports.js';
import type { RateLimit } from './rate-limit.js';
import type { Rule } from './rules.js';
import { createSimulatedInverter, createSimulatedRelay } from './simulated-devices.js';
import type { ControllerThresholds } from './thresholds.js';

/** One line of backtest output. */
export interface BacktestDecision {
  tsMs: number;
  rule: string;
  action: ControlAction;
  reason: string;
  outcome: ControlOutcome['status'];
  detail: string;
  values: DecisionData['values'];
}

export interface BacktestSummary {
  from: string | null;
  to: string | null;
  days: number;
  samples: number;
  actions: number;
  refused: number;
  failed: number;
  cooldownSkips: number;
  byRule: Record<string, number>;
  settingWrites: number;
  relaySwitches: number;
  /** Writes divided by the days the data spans (at least one). */
  settingWritesPerDay: number;
  /** Most writes on one local calendar day. */
  maxSettingWritesInADay: number;
  relaySwitchesPerDay: number;
  thresholds: ControllerThresholds;
}

export interface BacktestOptions {
  timeZone: string;
  thresholds?: Partial<ControllerThresholds>;
  battery?: BatteryDescription;
  rules?: readonly Rule[];
  rateLimits?: Partial<Record<ControlAction['action'], RateLimit>>;
  onDecision?: (decision: BacktestDecision) => void;
  /** Default 'on'; 'off' gives the baseline of a plant left alone. */
  mode?: 'on' | 'off';
}

const DAY_MS = 86_400_000;

/** Counts decisions and writes per local day, for the summary line. */
export function createTally(timeZone: string) {
  const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const writesByDay = new Map<string, number>();
  const byRule: Record<string, number> = {};
  let actions = 0;
  let refused = 0;
  let failed = 0;
  let cooldownSkips = 0;
  let settingWrites = 0;
  let relaySwitches = 0;
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  let samples = 0;

  return {
    sample(tsMs: number): void {
      samples += 1;
      firstMs ??= tsMs;
      lastMs = tsMs;
    },
    audit(record: AuditRecord): void {
      if (record.commandText !== undefined) {
        settingWrites += 1;
        const key = dayKey.format(record.tsMs);
        writesByDay.set(key, (writesByDay.get(key) ?? 0) + 1);
      }
      const action = record.action as { action?: unknown };
      if (action.action === 'setGridRelay' && record.outcome.status === 'applied') relaySwitches += 1;
    },
    decision(data: DecisionData): void {
      if (data.decision === 'cooldown') cooldownSkips += 1;
      else if (data.decision === 'taken' || data.decision === 'dryRun') {
        actions += 1;
        byRule[data.rule] = (byRule[data.rule] ?? 0) + 1;
      } else if (data.decision === 'refused') refused += 1;
      else if (data.decision === 'failed') failed += 1;
    },
    summary(thresholds: ControllerThresholds): BacktestSummary {
      const spanDays = firstMs === null || lastMs === null ? 0 : (lastMs - firstMs) / DAY_MS;
      const perDay = Math.max(1, spanDays);
      const round = (v: number) => Math.round(v * 100) / 100;
      return {
        from: firstMs === null ? null : new Date(firstMs).toISOString(),
        to: lastMs === null ? null : new Date(lastMs).toISOString(),
        days: round(spanDays),
        samples,
        actions,
        refused,
        failed,
        cooldownSkips,
        byRule,
        settingWrites,
        relaySwitches,
        settingWritesPerDay: round(settingWrites / perDay),
        maxSettingWritesInADay: Math.max(0, ...writesByDay.values()),
        relaySwitchesPerDay: round(relaySwitches / perDay),
        thresholds,
      };
    },
  };
}

export type Tally = ReturnType<typeof createTally>;

/** The controller on a command queue over the given ports, its decisions reported and tallied. */
export function createBacktestController(
  ports: { inverter: InverterCommandPort; relay: RelayPort },
  options: BacktestOptions,
  clock: () => number,
  onAudit: (record: AuditRecord) => void = () => {},
): { controller: Controller; queue: CommandQueue; tally: Tally } {
  const tally = createTally(options.timeZone);
  const queue = createCommandQueue({
    ...ports,
    limits: batteryLimits(options.battery ?? DEFAULT_BATTERY),
    audit: (record) => {
      tally.audit(record);
      onAudit(record);
    },
    now: clock,
    rateLimits: options.rateLimits,
  });
  const onEvent = (event: EngineEvent): void => {
    const data = event.data as DecisionData | undefined;
    if (!data || !('decision' in data)) return;
    tally.decision(data);
    if (data.action && data.decision !== 'cooldown' && data.outcome) {
      const outcome = data.outcome;
      options.onDecision?.({
        tsMs: event.tsMs,
        rule: data.rule,
        action: data.action,
        reason: data.reason,
        outcome: outcome.status,
        detail: 'reason' in outcome ? outcome.reason : outcome.message,
        values: data.values,
      });
    }
  };
  const controller = createController({
    queue,
    rules: options.rules,
    thresholds: options.thresholds,
    timeZone: options.timeZone,
    mode: options.mode ?? 'on',
    onEvent,
    now: clock,
  });
  queue.attachController(controller);
  return { controller, queue, tally };
}

/** Runs the controller over recorded samples (time-ordered). */
export async function backtestSamples(samples: AsyncIterable<Sample> | Iterable<Sample>, options: BacktestOptions): Promise<BacktestSummary> {
  const inverter = createSimulatedInverter({});
  const relay = createSimulatedRelay(null);
  const settingFields = new Set<string>(Object.values(SETTING_FIELDS));
  /** Series the controller has changed: from then on the simulation, not the recording, says what they are. */
  const owned = new Set<string>();
  let nowMs = 0;
  const { controller, tally } = createBacktestController({ inverter, relay }, options, () => nowMs, (record) => {
    const action = record.action as ControlAction;
    if (record.outcome.status !== 'applied') return;
    if (isInverterSetting(action)) owned.add(`inverter.${SETTING_FIELDS[action.action]}`);
    else if (action.action === 'setGridRelay') owned.add('relay.gridConnected');
  });

  for await (const recorded of samples) {
    nowMs = recorded.tsMs;
    tally.sample(recorded.tsMs);
    const values = { ...recorded.values };
    for (const [field, value] of Object.entries(values)) {
      const series = `${recorded.device}.${field}`;
      if (recorded.device === 'inverter' && settingFields.has(field)) {
        if (owned.has(series)) values[field] = inverter.settings[field] ?? null;
        else inverter.settings[field] = value;
      } else if (series === 'relay.gridConnected') {
        if (owned.has(series)) values[field] = relay.isGridConnected();
        else if (typeof value === 'boolean') relay.hold(value);
      }
    }
    await controller.onSample({ ...recorded, values });
  }
  return tally.summary(controller.thresholds());
}
