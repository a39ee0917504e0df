/**
 * The control part of the engine in one call: the command queue on the devices this instance has, the
 * controller on that queue, audit records and controller decisions written to the store as events and
 * handed to `onEvent` (for the WebSocket stream), mode and thresholds kept in the store's settings.
 */
import type { EngineEvent } from '../../shared/events.js';
import { auditEvent } from './audit.js';
import { createCommandQueue, type CommandQueue, type ControllerMode } from './command-queue.js';
import { createController, type Controller, type SettingsStore } from './controller.js';
import { batteryLimits, type BatteryDescription } from './limits.js';
import type { InverterCommandPort, RelayPort } from './ports.js';
import type { RateLimit } from './rate-limit.js';
import { resolveThresholds } from './thresholds.js';

export interface ControlOptions {
  inverter?: InverterCommandPort;
  relay?: RelayPort;
  battery: BatteryDescription;
  timeZone: string;
  store: SettingsStore & { appendEvent(event: EngineEvent): number };
  /** The config's `controller` section: the mode used until one is persisted, and threshold overrides. */
  controller: { mode: ControllerMode; thresholds: Record<string, number> };
  onEvent?: (event: EngineEvent & { id: number }) => void;
  rateLimits?: Partial<Record<string, RateLimit>>;
  now?: () => number;
}

export type ControlSetup = { ok: true; queue: CommandQueue; controller: Controller } | { ok: false; error: string[] };

export function createControl(options: ControlOptions): ControlSetup {
  const thresholds = resolveThresholds(options.controller.thresholds);
  if (!thresholds.ok) return { ok: false, error: thresholds.error.map((e) => `controller.${e}`) };
  const record = (event: EngineEvent): void => {
    const id = options.store.appendEvent(event);
    options.onEvent?.({ ...event, id });
  };
  const queue = createCommandQueue({
    inverter: options.inverter,
    relay: options.relay,
    limits: batteryLimits(options.battery),
    audit: (r) => record(auditEvent(r)),
    now: options.now,
    rateLimits: options.rateLimits,
  });
  const controller = createController({
    queue,
    thresholds: thresholds.value,
    timeZone: options.timeZone,
    mode: options.controller.mode,
    settings: options.store,
    onEvent: record,
    now: options.now,
  });
  queue.attachController(controller);
  return { ok: true, queue, controller };
}
