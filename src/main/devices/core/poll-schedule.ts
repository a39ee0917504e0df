/**
 * When each command of a poll plan is due. A command keeps its cadence (due + interval) unless the loop
 * fell behind by a whole interval; then it is due now rather than in a burst of catch-up requests.
 */
export interface PollEntry {
  name: string;
  intervalMs: number;
}

export class PollSchedule {
  private readonly nextDue = new Map<string, number>();
  private readonly entries: PollEntry[];

  /** Every entry is due at `startMs`, in plan order. */
  constructor(entries: readonly PollEntry[], startMs: number) {
    this.entries = entries.filter((e) => e.intervalMs > 0);
    for (const entry of this.entries) this.nextDue.set(entry.name, startMs);
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** Names due at `nowMs`, in plan order. */
  due(nowMs: number): string[] {
    return this.entries.filter((e) => (this.nextDue.get(e.name) ?? Infinity) <= nowMs).map((e) => e.name);
  }

  /** Record that `name` ran for its slot; its next slot is one interval later. */
  done(name: string, nowMs: number): void {
    const entry = this.entries.find((e) => e.name === name);
    const due = this.nextDue.get(name);
    if (!entry || due === undefined) return;
    const next = due + entry.intervalMs;
    // Behind schedule: due again now, once, instead of once per missed slot.
    this.nextDue.set(name, Math.max(next, nowMs));
  }

  /** Make `name` due now (e.g. QPIRI right after a setting command). */
  trigger(name: string, nowMs: number): void {
    if (this.nextDue.has(name)) this.nextDue.set(name, nowMs);
  }

  /** Drop a command from the plan (one the firmware refuses). */
  remove(name: string): void {
    const i = this.entries.findIndex((e) => e.name === name);
    if (i >= 0) this.entries.splice(i, 1);
    this.nextDue.delete(name);
  }

  /** Milliseconds until the next command is due (0 when one is due now); null for an empty plan. */
  delayUntilNext(nowMs: number): number | null {
    let earliest = Infinity;
    for (const due of this.nextDue.values()) earliest = Math.min(earliest, due);
    return earliest === Infinity ? null : Math.max(0, earliest - nowMs);
  }
}
