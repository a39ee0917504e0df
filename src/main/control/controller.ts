/**
 * The automatic controller: interprets the rules of rules.ts over the live sample stream. A rule acts
 * when its condition has held for its whole window (measured on sample times, so a backtest behaves as
 * the live system did), it is armed (hysteresis) and out of its cooldown. Every decision, taken or not,
 * becomes an event with its reason. OFF unless switched on; dry-run reports what it would do.
 */
import type { ControlAction, ControlOutcome } from '../../shared/control.js';
import type { EngineEvent } from '../../shared/events.js';
import type { FieldValue, Sample } from '../../shared/samples.js';
import type { CommandQueue, ControllerMode, ControllerModePort } from './command-queue.js';
import { evaluate, localHourIn, truthOf, type EvaluationContext } from './conditions.js';
import { isInverterSetting, SETTING_FIELDS } from './limits.js';
import { createLiveValues, type LiveValues } from './live-values.js';
import { sampleRelevance } from './relevance.js';
import { DEFAULT_RULES, minutesOf, resolveAction, stateSeries, type Rule } from './rules.js';
import { DEFAULT_THRESHOLDS, resolveThresholds, type ControllerThresholds } from './thresholds.js';

const MINUTE_MS = 60_000;
export const MODE_SETTING_KEY = 'controller.mode';
export const THRESHOLDS_SETTING_KEY = 'controller.thresholds';

/** The part of the LocalStore that keeps the mode and thresholds across restarts. */
export interface SettingsStore {
  getSetting<T>(key: string): T | undefined;
  putSetting(key: string, value: unknown): void;
}

export type Decision = 'taken' | 'dryRun' | 'refused' | 'failed' | 'unchanged' | 'cooldown';

/** What `data` of a controller event holds. */
export interface DecisionData {
  rule: string;
  decision: Decision;
  action?: ControlAction;
  reason: string;
  values: Record<string, FieldValue>;
  outcome?: ControlOutcome;
}

export interface ControllerOptions {
  queue: Pick<CommandQueue, 'submit'>;
  rules?: readonly Rule[];
  thresholds?: Partial<ControllerThresholds>;
  /** IANA zone for time-of-day rules. */
  timeZone: string;
  /** Used only when nothing was persisted. */
  mode?: ControllerMode;
  onEvent?: (event: EngineEvent) => void;
  settings?: SettingsStore;
  /** A value older than this counts as unknown (default 5 minutes). */
  staleAfterMs?: number;
  now?: () => number;
}

export interface Controller extends ControllerModePort {
  /** Feed one sample; resolves when any actions it triggered are done. */
  onSample(sample: Sample): Promise<void>;
  thresholds(): ControllerThresholds;
  /**
   * Change some thresholds (PUT /controller): the keys given override the config's from now on and are
   * kept in the store; the others keep their current values. Checked as a whole; nothing changes on error.
   */
  setThresholds(partial: unknown): { ok: true; value: ControllerThresholds } | { ok: false; error: string[] };
  /** Forget the overrides: back to the config's thresholds (and the defaults). */
  resetThresholds(): ControllerThresholds;
  readonly rules: readonly Rule[];
}

interface RuleState {
  trueSinceMs: number | null;
  lastActedMs: number | null;
  armed: boolean;
  cooldownReported: boolean;
}

export function createController(options: ControllerOptions): Controller {
  const rules = options.rules ?? DEFAULT_RULES;
  const now = options.now ?? Date.now;
  const live: LiveValues = createLiveValues(options.staleAfterMs ?? 5 * MINUTE_MS);
  const localHour = localHourIn(options.timeZone);
  const relevance = sampleRelevance(rules);
  const emit = (event: EngineEvent): void => options.onEvent?.(event);

  // Only what was changed at run time is stored, so an edit of the config still applies to the other keys.
  const stored = options.settings?.getSetting<unknown>(THRESHOLDS_SETTING_KEY);
  let overrides: Record<string, unknown> = isPlainObject(stored) ? stored : {};
  const initialThresholds = resolveThresholds({ ...options.thresholds, ...overrides });
  let thresholds: ControllerThresholds = initialThresholds.ok ? initialThresholds.value : { ...DEFAULT_THRESHOLDS };
  if (!initialThresholds.ok) {
    emit({ tsMs: now(), kind: 'controller', message: `thresholds not valid, using the defaults: ${initialThresholds.error.join('; ')}`, data: { errors: initialThresholds.error } });
  }
  const persistedMode = options.settings?.getSetting<string>(MODE_SETTING_KEY);
  let mode: ControllerMode = isMode(persistedMode) ? persistedMode : (options.mode ?? 'off');
  const states = new Map<string, RuleState>(rules.map((r) => [r.id, { trueSinceMs: null, lastActedMs: null, armed: true, cooldownReported: false }]));
  let busy: Promise<void> | null = null;

  const decisionEvent = (tsMs: number, data: DecisionData, message: string): void =>
    emit({ tsMs, kind: 'controller', message, data: data as unknown as Record<string, unknown> });

  /** Runs the rule's actions in order; true when every one went through (or would, in dry-run). */
  async function act(rule: Rule, tsMs: number, reason: string, values: Record<string, FieldValue>): Promise<boolean> {
    const origin = { kind: 'rule' as const, name: rule.id };
    const assume: Record<string, FieldValue> = {};
    for (const template of rule.then) {
      const series = stateSeries(template.action);
      const current = live.get(series, tsMs);
      const action = resolveAction(template, thresholds, current === null ? undefined : current);
      if (!action) continue;
      const dryRun = mode === 'dryRun';
      const outcome = await options.queue.submit(action, origin, dryRun ? { dryRun, assume } : {});
      const decision: Decision =
        outcome.status === 'applied' ? 'taken' : outcome.status === 'dryRun' ? 'dryRun' : outcome.status;
      const detail = 'reason' in outcome ? outcome.reason : outcome.message;
      decisionEvent(tsMs, { rule: rule.id, decision, action, reason, values, outcome }, `${rule.id}: ${action.action} ${JSON.stringify(action.value)} ${decision} (${detail}) because ${reason}`);
      if (outcome.status === 'applied') {
        live.set(series, action.action === 'setGridRelay' ? action.value === 'connected' : action.value, tsMs);
      }
      if (outcome.status === 'dryRun' && isInverterSetting(action)) assume[SETTING_FIELDS[action.action]] = action.value;
      // A refused or failed step stops the rule: the next steps assumed this one.
      if (outcome.status === 'refused' || outcome.status === 'failed') return false;
    }
    return true;
  }

  /** Does the rule have anything left to do in the known state? */
  const pending = (rule: Rule, tsMs: number): boolean =>
    rule.then.some((t) => {
      const current = live.get(stateSeries(t.action), tsMs);
      return resolveAction(t, thresholds, current === null ? undefined : current) !== null;
    });

  async function evaluateRules(tsMs: number): Promise<void> {
    const ctx: EvaluationContext = { live, thresholds, atMs: tsMs, localHour };
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as Rule;
      const state = states.get(rule.id) as RuleState;
      if (!state.armed && rule.rearmWhen && truthOf(rule.rearmWhen, ctx) === true) state.armed = true;
      if (truthOf(rule.when, ctx) !== true) {
        state.trueSinceMs = null;
        continue;
      }
      state.trueSinceMs ??= tsMs;
      const sustainMs = minutesOf(rule.sustainMinutes, thresholds) * MINUTE_MS;
      if (tsMs - state.trueSinceMs < sustainMs || !state.armed || mode === 'off' || !pending(rule, tsMs)) continue;
      // A decision follows: now the facts behind it are worth putting into words.
      const result = evaluate(rule.when, ctx);
      const heldMin = Math.round((tsMs - state.trueSinceMs) / 6000) / 10;
      const reason = `${rule.description}: ${result.because.join(', ')}${sustainMs > 0 ? ` for ${heldMin} min` : ''}`;
      const cooldownMs = minutesOf(rule.cooldownMinutes ?? 'cooldownMinutes', thresholds) * MINUTE_MS;
      if (state.lastActedMs !== null && tsMs - state.lastActedMs < cooldownMs) {
        if (!state.cooldownReported) {
          state.cooldownReported = true;
          const leftMin = Math.ceil((cooldownMs - (tsMs - state.lastActedMs)) / MINUTE_MS);
          decisionEvent(tsMs, { rule: rule.id, decision: 'cooldown', reason, values: result.values }, `${rule.id}: skipped, cooling down for ${leftMin} more min (${reason})`);
        }
        continue;
      }
      state.lastActedMs = tsMs;
      state.cooldownReported = false;
      // Only a rule that got through waits for its hysteresis; a refused one may try again after its cooldown.
      if ((await act(rule, tsMs, reason, result.values)) && rule.rearmWhen) state.armed = false;
    }
  }

  const controller: Controller = {
    rules,
    async onSample(sample) {
      // Samples arriving while a rule's commands are in flight still update the picture; rules wait.
      live.update(sample);
      if (busy || !relevance.matters(sample)) return;
      busy = evaluateRules(sample.tsMs);
      try {
        await busy;
      } finally {
        busy = null;
      }
    },
    mode: () => mode,
    setMode(next) {
      if (!isMode(next) || next === mode) return;
      const before = mode;
      mode = next;
      options.settings?.putSetting(MODE_SETTING_KEY, next);
      emit({ tsMs: now(), kind: 'controller', message: `controller ${next} (was ${before})`, data: { mode: next, before } });
    },
    thresholds: () => ({ ...thresholds }),
    setThresholds(partial) {
      if (!isPlainObject(partial)) return { ok: false, error: ['thresholds: expected a mapping of names to numbers'] };
      const nextOverrides = { ...overrides, ...partial };
      const resolved = resolveThresholds({ ...options.thresholds, ...nextOverrides });
      if (!resolved.ok) return resolved;
      overrides = nextOverrides;
      thresholds = resolved.value;
      options.settings?.putSetting(THRESHOLDS_SETTING_KEY, overrides);
      emit({ tsMs: now(), kind: 'controller', message: `controller thresholds changed: ${JSON.stringify(partial)}`, data: { changed: partial, thresholds } });
      return resolved;
    },
    resetThresholds() {
      overrides = {};
      options.settings?.putSetting(THRESHOLDS_SETTING_KEY, overrides);
      const resolved = resolveThresholds(options.thresholds ?? {});
      thresholds = resolved.ok ? resolved.value : { ...DEFAULT_THRESHOLDS };
      emit({ tsMs: now(), kind: 'controller', message: 'controller thresholds reset to the configured values', data: { thresholds } });
      return { ...thresholds };
    },
  };
  return controller;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isMode(value: unknown): value is ControllerMode {
  return value === 'off' || value === 'on' || value === 'dryRun';
}
