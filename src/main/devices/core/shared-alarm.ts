/**
 * One timer for every poll loop that sleeps until the same instant. Poll plans keep their commands on a
 * grid of whole intervals (poll-schedule.ts), so at 1 Hz the inverter, the BMS and the meter all start a
 * turn on the same second; with a timer each, Node would wake three times a few milliseconds apart (every
 * timer counts from the loop time at which it was set). A wake-up of an idle daemon costs more than the
 * turn it starts, so turns due at the same instant share one.
 */

type Wake = () => void;

interface Slot {
  timer: NodeJS.Timeout;
  wakes: Set<Wake>;
}

export class SharedAlarm {
  private readonly slots = new Map<number, Slot>();

  /** `now` is the clock the instants are read on (the runtimes' clock). */
  constructor(private readonly now: () => number) {}

  /** Call `wake` at `atMs` (at once if that has passed); returns the cancellation. */
  at(atMs: number, wake: Wake): () => void {
    let slot = this.slots.get(atMs);
    if (!slot) {
      const wakes = new Set<Wake>();
      const timer = setTimeout(() => {
        this.slots.delete(atMs);
        wakes.forEach((w) => w());
      }, Math.max(0, atMs - this.now()));
      slot = { timer, wakes };
      this.slots.set(atMs, slot);
    }
    const { wakes, timer } = slot;
    wakes.add(wake);
    return () => {
      if (!wakes.delete(wake) || wakes.size > 0 || this.slots.get(atMs)?.wakes !== wakes) return;
      clearTimeout(timer);
      this.slots.delete(atMs);
    };
  }

  /** Instants with a timer set (for tests: none is left behind). */
  get pending(): number {
    return this.slots.size;
  }
}

const ALARMS = new WeakMap<() => number, SharedAlarm>();

/** The alarm of everything that reads time on `clock`: in the daemon, every device's runtime shares Date.now's. */
export function sharedAlarmFor(clock: () => number): SharedAlarm {
  let alarm = ALARMS.get(clock);
  if (!alarm) ALARMS.set(clock, (alarm = new SharedAlarm(clock)));
  return alarm;
}
