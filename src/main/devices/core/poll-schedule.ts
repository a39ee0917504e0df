/**
 * When each command of a poll plan is due. After its first turn a command runs on a grid of whole
 * intervals of the clock (every second at 1 s, on minutes divisible by 5 at 5 min): the commands of a
 * device, and the devices of an installation, then fall due together and share a wake-up, and their
 * samples the same instants. A command that fell behind by a whole interval is due now rather than in a
 * burst of catch-up requests, and rejoins the grid after that turn.
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
    const next = nextSlot(due, entry.intervalMs);
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

  /** When the next command is due (in the past when one is overdue); null for an empty plan. */
  nextDueMs(): number | null {
    let earliest = Infinity;
    this.nextDue.forEach((due) => (earliest = Math.min(earliest, due)));
    return earliest === Infinity ? null : earliest;
  }
}

/** The first whole multiple of `intervalMs` after `afterMs`: the grid every poll cadence keeps to. */
export function nextSlot(afterMs: number, intervalMs: number): number {
  return (Math.floor(afterMs / intervalMs) + 1) * intervalMs;
}
