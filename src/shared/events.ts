/** Events are what a person reads in the Events page: faults, warnings, controller decisions, user actions. */
import type { DeviceKind } from './samples.js';

export type EventKind = 'fault' | 'warning' | 'link' | 'control' | 'controller' | 'system';

export interface EngineEvent {
  tsMs: number;
  kind: EventKind;
  device?: DeviceKind;
  /** One line a person understands. */
  message: string;
  /** Machine-readable detail: rule, values that triggered it, before/after, outcome. */
  data?: Record<string, unknown>;
}
