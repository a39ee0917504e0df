/**
 * Fault injection shared by every device simulator. A fault applies to the next `count` replies, or to
 * every reply within `durationMs` of its injection, or both (whichever runs out first); faults queue
 * in the order injected. `disconnect` acts at once on the links instead of on replies.
 */

export const FAULT_KINDS = ['garbage', 'badCrc', 'truncate', 'nak', 'silence', 'slow', 'disconnect'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Replies affected (default 1 when no duration is given). */
  count?: number;
  /** Window in which replies are affected; for `disconnect`, how long the link stays down (default 5 s). */
  durationMs?: number;
  /** `slow`: extra delay before the reply (default 2000 ms). */
  delayMs?: number;
  /** `garbage`: send the real reply after the noise instead of dropping it (tests resynchronisation). */
  keepReply?: boolean;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  untilMs: number;
}

export const DEFAULT_DISCONNECT_MS = 5000;
export const DEFAULT_SLOW_DELAY_MS = 2000;

/** Which fault (if any) the next reply gets. `now` is injected so tests can drive it. */
export class FaultQueue {
  private readonly queue: ActiveFault[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Refuses a malformed spec with a RangeError: fault scripts are code, a typo should be loud. */
  add(spec: FaultSpec): void {
    if (!FAULT_KINDS.includes(spec.kind)) throw new RangeError(`unknown fault kind '${String(spec.kind)}'`);
    for (const key of ['count', 'durationMs', 'delayMs'] as const) {
      const value = spec[key];
      if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new RangeError(`fault ${key} must be a non-negative number`);
    }
    const remaining = spec.count ?? (spec.durationMs === undefined ? 1 : Infinity);
    const untilMs = spec.durationMs === undefined ? Infinity : this.now() + spec.durationMs;
    this.queue.push({ spec, remaining, untilMs });
  }

  /** The fault for the reply about to be sent, consuming one use; null for a normal reply. */
  take(): FaultSpec | null {
    const now = this.now();
    while (this.queue.length > 0) {
      const head = this.queue[0] as ActiveFault;
      if (head.remaining <= 0 || now >= head.untilMs) {
        this.queue.shift();
        continue;
      }
      head.remaining--;
      return head.spec;
    }
    return null;
  }

  clear(): void {
    this.queue.length = 0;
  }

  get pending(): number {
    return this.queue.length;
  }
}
