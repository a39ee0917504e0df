/** The audit trail of every command the queue handled: who asked, what, the state before and after, the outcome. */
import type { ControlOrigin, ControlOutcome } from '../../shared/control.js';
import type { EngineEvent } from '../../shared/events.js';

export interface AuditRecord {
  tsMs: number;
  origin: ControlOrigin;
  /** The action as submitted (possibly not a valid action: then it was refused). */
  action: unknown;
  /** The PI30 text sent, when one was. */
  commandText?: string;
  before: unknown;
  after: unknown;
  outcome: ControlOutcome;
}

const describeOrigin = (origin: ControlOrigin): string =>
  origin.kind === 'rule' ? `rule ${origin.name}` : `${origin.kind} ${origin.name}`;

const describeAction = (action: unknown): string => {
  if (action && typeof action === 'object' && 'action' in action) {
    const a = action as { action: unknown; value?: unknown };
    return `${String(a.action)} ${JSON.stringify(a.value)}`;
  }
  return 'an unreadable action';
};

/** The audit record as an event for the Events page and the store. */
export function auditEvent(record: AuditRecord): EngineEvent {
  const { outcome } = record;
  const detail = 'reason' in outcome ? outcome.reason : outcome.message;
  return {
    tsMs: record.tsMs,
    kind: 'control',
    device: deviceOf(record.action),
    message: `${describeOrigin(record.origin)}: ${describeAction(record.action)} ${outcome.status}: ${detail}`,
    data: {
      origin: record.origin,
      action: record.action,
      commandText: record.commandText,
      before: record.before,
      after: record.after,
      status: outcome.status,
      ...('reason' in outcome ? { reason: outcome.reason } : { message: outcome.message }),
    },
  };
}

function deviceOf(action: unknown): EngineEvent['device'] {
  const name = action && typeof action === 'object' && 'action' in action ? (action as { action: unknown }).action : undefined;
  if (name === 'setGridRelay') return 'relay';
  if (name === 'setController' || typeof name !== 'string') return undefined;
  return 'inverter';
}

/** An audit sink writing into anything with `appendEvent` (the LocalStore). */
export const auditToStore =
  (store: { appendEvent(event: EngineEvent): number }) =>
  (record: AuditRecord): void => {
    store.appendEvent(auditEvent(record));
  };
