/**
 * The command queue: the one path for every device command, from the UI, the controller, the CLI and
 * peers. One command at a time; each is validated (schema, hard limits, the inverter's current settings
 * and allowed currents), refused when it changes nothing or exceeds its write budget, sent once (never
 * retried), read back, and audited whatever happened.
 */
import { ControlActionSchema, type ControlAction, type ControlOrigin, type ControlOutcome } from '../../shared/control.js';
import type { FieldValue } from '../../shared/samples.js';
import type { AuditRecord } from './audit.js';
import {
  checkAgainstSettings,
  checkAlone,
  isInverterSetting,
  SETTING_FIELDS,
  settingMatches,
  type BatteryLimits,
  type InverterSettingAction,
} from './limits.js';
import { formatPi30Setting } from './pi30-setting.js';
import type { InverterCommandPort, RelayPort } from './ports.js';
import { createRateLimiter, DEFAULT_RELAY_RATE_LIMIT, DEFAULT_SETTING_RATE_LIMIT, type RateLimit } from './rate-limit.js';

export type ControllerMode = 'off' | 'on' | 'dryRun';

/** How `setController` reaches the controller (attached after both exist). */
export interface ControllerModePort {
  mode(): ControllerMode;
  setMode(mode: ControllerMode): void;
}

/** Turns a validated inverter setting into PI30 text (`PBFT53.7`), or says why it cannot; `settings` is QPIRI as just read. */
export type SettingFormatter = (
  action: InverterSettingAction,
  settings: Record<string, FieldValue>,
) => { ok: true; value: string } | { ok: false; reason: string };

export interface CommandQueueOptions {
  inverter?: InverterCommandPort;
  relay?: RelayPort;
  limits: BatteryLimits;
  audit: (record: AuditRecord) => void;
  /** Default: the PI30 builder, for the battery voltage class the inverter reports. */
  formatSetting?: SettingFormatter;
  now?: () => number;
  /** Per action name (`setBulkVoltage`, `setGridRelay`, …); the defaults are in rate-limit.ts. */
  rateLimits?: Partial<Record<ControlAction['action'], RateLimit>>;
}

export interface SubmitOptions {
  /** Validate everything and report what would be sent, without sending. */
  dryRun?: boolean;
  /**
   * Dry-run only: QPIRI fields to take as already set, so the second step of a dry-run sequence (float,
   * then bulk) is checked against the first step's value rather than the untouched device.
   */
  assume?: Record<string, FieldValue>;
}

export interface CommandQueue {
  submit(action: unknown, origin: ControlOrigin, options?: SubmitOptions): Promise<ControlOutcome>;
  attachController(port: ControllerModePort): void;
}

export function createCommandQueue(options: CommandQueueOptions): CommandQueue {
  const now = options.now ?? Date.now;
  const formatSetting = options.formatSetting ?? formatPi30Setting;
  const limiter = createRateLimiter(
    (key) =>
      options.rateLimits?.[key as ControlAction['action']] ??
      (key === 'setGridRelay' ? DEFAULT_RELAY_RATE_LIMIT : DEFAULT_SETTING_RATE_LIMIT),
  );
  const currentOptions: Partial<Record<'battery' | 'utility', number[]>> = {};
  let controller: ControllerModePort | null = null;
  let tail: Promise<unknown> = Promise.resolve();

  const audit = (record: Omit<AuditRecord, 'tsMs'>): void => {
    try {
      options.audit({ tsMs: now(), ...record });
    } catch {
      // A failing audit sink must not turn an applied command into an unknown one; the store reports its own errors.
    }
  };

  async function chargeOptions(kind: 'battery' | 'utility', inverter: InverterCommandPort): Promise<number[] | null> {
    const cached = currentOptions[kind];
    if (cached) return cached;
    const read = await inverter.readChargeCurrentOptions(kind);
    if (read && read.length > 0) currentOptions[kind] = read;
    return read && read.length > 0 ? read : null;
  }

  async function setting(action: InverterSettingAction, origin: ControlOrigin, dryRun: boolean, assume: Record<string, FieldValue>): Promise<ControlOutcome> {
    const field = SETTING_FIELDS[action.action];
    const refuse = (reason: string, before: unknown = null): ControlOutcome => {
      const outcome: ControlOutcome = { status: 'refused', reason };
      if (!dryRun) audit({ origin, action, before, after: before, outcome });
      return outcome;
    };
    const alone = checkAlone(action, options.limits);
    if (alone) return refuse(alone);
    const inverter = options.inverter;
    if (!inverter) return refuse('this instance has no inverter');
    const read = await inverter.readSettings();
    if (!read) return refuse('inverter offline: its settings (QPIRI) could not be read; nothing sent');
    const settings = dryRun ? { ...read, ...assume } : read;
    const before = settings[field] ?? null;
    const isCurrent = action.action === 'setMaxChargingCurrent' || action.action === 'setMaxAcChargingCurrent';
    const allowed = isCurrent ? await chargeOptions(action.action === 'setMaxChargingCurrent' ? 'battery' : 'utility', inverter) : null;
    const conflict = checkAgainstSettings(action, settings, allowed);
    if (conflict) return refuse(conflict, before);
    if (settingMatches(action, before)) {
      const outcome: ControlOutcome = { status: 'unchanged', reason: `${field} is already ${String(before)}` };
      if (!dryRun) audit({ origin, action, before, after: before, outcome });
      return outcome;
    }
    const budget = limiter.check(action.action, now());
    if (budget) return refuse(budget, before);
    const text = formatSetting(action, settings);
    if (!text.ok) return refuse(text.reason, before);
    if (dryRun) return { status: 'dryRun', message: `would send ${text.value} (${field} ${String(before)} -> ${String(action.value)})` };

    limiter.record(action.action, now());
    const reply = await inverter.sendSetting(text.value);
    if (!reply.ok) {
      const reason = reply.reason === 'nak' ? `inverter refused ${text.value} (NAK)` : `${text.value} not confirmed: ${reply.reason} (${reply.message})`;
      return finish({ status: 'failed', reason, before, after: null }, text.value);
    }
    const readBack = await inverter.readSettings();
    if (!readBack) {
      return finish({ status: 'failed', reason: `${text.value} was acknowledged but the read-back (QPIRI) did not answer`, before, after: null }, text.value);
    }
    const after: FieldValue = readBack[field] ?? null;
    if (!settingMatches(action, after)) {
      return finish({ status: 'failed', reason: `${text.value} was acknowledged but ${field} reads ${String(after)}`, before, after }, text.value);
    }
    return finish({ status: 'applied', before, after, message: `${field} ${String(before)} -> ${String(after)} (${text.value})` }, text.value);

    function finish(outcome: ControlOutcome, commandText: string): ControlOutcome {
      const after = 'after' in outcome ? outcome.after : null;
      audit({ origin, action, commandText, before, after, outcome });
      return outcome;
    }
  }

  async function gridRelay(action: Extract<ControlAction, { action: 'setGridRelay' }>, origin: ControlOrigin, dryRun: boolean): Promise<ControlOutcome> {
    const connect = action.value === 'connected';
    const relay = options.relay;
    const record = (outcome: ControlOutcome, before: unknown, after: unknown) => {
      if (!dryRun) audit({ origin, action, before, after, outcome });
      return outcome;
    };
    if (!relay) return record({ status: 'refused', reason: 'this instance has no grid relay' }, null, null);
    const before = relay.isGridConnected();
    if (before === connect) return record({ status: 'unchanged', reason: `the grid is already ${action.value}` }, before, before);
    // Connecting the grid is the safe direction: a safety request is never held back by the switch budget.
    const exempt = connect && origin.kind === 'safety';
    const budget = exempt ? null : limiter.check('setGridRelay', now());
    if (budget) return record({ status: 'refused', reason: budget }, before, before);
    if (dryRun) return { status: 'dryRun', message: `would switch the grid relay to ${action.value}` };
    limiter.record('setGridRelay', now());
    let after: boolean;
    try {
      after = await relay.setGridConnected(connect);
    } catch (err) {
      return record({ status: 'failed', reason: `grid relay: ${err instanceof Error ? err.message : String(err)}`, before, after: relay.isGridConnected() }, before, relay.isGridConnected());
    }
    if (after !== connect) {
      return record({ status: 'failed', reason: `grid relay reads ${after ? 'connected' : 'disconnected'} after switching`, before, after }, before, after);
    }
    return record({ status: 'applied', before, after, message: `grid ${action.value}` }, before, after);
  }

  function controllerMode(action: Extract<ControlAction, { action: 'setController' }>, origin: ControlOrigin, dryRun: boolean): ControlOutcome {
    const record = (outcome: ControlOutcome, before: unknown, after: unknown) => {
      if (!dryRun) audit({ origin, action, before, after, outcome });
      return outcome;
    };
    if (!controller) return record({ status: 'refused', reason: 'this instance runs no controller' }, null, null);
    const before = controller.mode();
    if (before === action.value) return record({ status: 'unchanged', reason: `the controller is already ${before}` }, before, before);
    if (dryRun) return { status: 'dryRun', message: `would set the controller to ${action.value}` };
    controller.setMode(action.value);
    const after = controller.mode();
    return after === action.value
      ? record({ status: 'applied', before, after, message: `controller ${before} -> ${after}` }, before, after)
      : record({ status: 'failed', reason: `controller reads ${after}`, before, after }, before, after);
  }

  async function handle(raw: unknown, origin: ControlOrigin, dryRun: boolean, assume: Record<string, FieldValue>): Promise<ControlOutcome> {
    const parsed = ControlActionSchema.safeParse(raw);
    if (!parsed.success) {
      const reason = `not a valid action: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'action'}: ${i.message}`).join('; ')}`;
      const outcome: ControlOutcome = { status: 'refused', reason };
      if (!dryRun) audit({ origin, action: raw, before: null, after: null, outcome });
      return outcome;
    }
    const action = parsed.data;
    if (action.action === 'setGridRelay') return gridRelay(action, origin, dryRun);
    if (action.action === 'setController') return controllerMode(action, origin, dryRun);
    if (isInverterSetting(action)) return setting(action, origin, dryRun, assume);
    return { status: 'refused', reason: `unknown action ${String((action as { action: unknown }).action)}` };
  }

  return {
    submit(action, origin, submitOptions = {}) {
      const run = tail.then(() =>
        handle(action, origin, submitOptions.dryRun === true, submitOptions.assume ?? {}).catch((err: unknown): ControlOutcome => {
          const outcome: ControlOutcome = { status: 'failed', reason: `device error: ${err instanceof Error ? err.message : String(err)}`, before: null, after: null };
          audit({ origin, action, before: null, after: null, outcome });
          return outcome;
        }),
      );
      tail = run;
      return run;
    },
    attachController(port) {
      controller = port;
    },
  };
}
