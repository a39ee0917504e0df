/**
 * Local calendar arithmetic in one IANA zone (no Node or DOM imports): every local time comes from the
 * zone's real offset at that instant, so a spring-forward day has 23 hours, a fall-back day 25, and
 * months are calendar months. The store (energy per day and month), the simulator (a house lives by the
 * clock) and the renderer (the site's day, not the browser's) all use this one implementation. Offsets
 * come from Intl unless a loader of other zone rules is installed (the daemon reads the system's zone
 * files so that it never loads ICU's data; see src/main/zone/).
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Offsets change on quarter-hour boundaries in every zone in use (most on whole hours). */
const QUARTER_MS = 900_000;
const QUARTERS_PER_HOUR = 4;
/** Cached hourly offsets (about two years of hours) before the cache starts over. */
const CACHE_LIMIT = 20_000;

export type Period = 'hour' | 'day' | 'month';

export interface LocalParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The UTC offset (ms) of one zone at an instant. */
export type OffsetLookup = (tsMs: number) => number;
/** Finds a zone's rules outside Intl; null when it has no rules for that name. */
export type ZoneRulesLoader = (timeZone: string) => OffsetLookup | null;

let zoneRulesLoader: ZoneRulesLoader | null = null;

/**
 * Makes every clock created from now on ask `load` for its zone first and use Intl only when it returns
 * null (a name the loader does not have, such as an odd-case alias, still works); null for Intl alone.
 */
export function useZoneRules(load: ZoneRulesLoader | null): void {
  zoneRulesLoader = load;
  clocks.clear();
}

export class ZoneClock {
  /** The offset in effect at `tsMs` (a whole second), from the loader's rules or from Intl. */
  private readonly lookUpOffset: OffsetLookup;
  /** Offset at the start of each UTC hour (hour index -> ms). */
  private readonly hourOffsets = new Map<number, number>();
  private lastQuarter = Number.NaN;
  private lastOffsetMs = 0;

  /** Throws a RangeError for a zone neither the loader nor Intl knows (see isValidTimeZone). */
  constructor(readonly timeZone: string) {
    this.lookUpOffset = zoneRulesLoader?.(timeZone) ?? intlOffsetLookup(timeZone);
  }

  /** Milliseconds to add to UTC to get the local wall-clock time at `tsMs` (+3 600 000 for CET). */
  offsetMs(tsMs: number): number {
    const quarter = Math.floor(tsMs / QUARTER_MS);
    if (quarter === this.lastQuarter) return this.lastOffsetMs;
    const hour = Math.floor(quarter / QUARTERS_PER_HOUR);
    const atStart = this.hourOffset(hour);
    // The same offset at both ends of an hour holds all through it; only an hour with a change in it is
    // looked up quarter by quarter. A year costs about as many lookups as it has hours.
    const offset = atStart === this.hourOffset(hour + 1) ? atStart : this.lookUpOffset(quarter * QUARTER_MS);
    this.lastQuarter = quarter;
    this.lastOffsetMs = offset;
    return offset;
  }

  /** Local date and time at `tsMs`. */
  local(tsMs: number): LocalParts {
    const d = new Date(this.localMs(tsMs));
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }

  /** Local time as if it were UTC (read it with getUTC*). */
  localMs(tsMs: number): number {
    return tsMs + this.offsetMs(tsMs);
  }

  /**
   * UTC instant of a local wall-clock time; month, day and hour may overflow (month 13 is January of the
   * next year). A time skipped by a DST jump maps to the instant after the jump.
   */
  utcOf(year: number, month: number, day: number, hour = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour);
    const first = wall - this.offsetMs(wall);
    const second = wall - this.offsetMs(first);
    if (second === first) return first;
    // In a gap neither guess maps back to `wall`: take the later instant (the first valid local time).
    return Math.max(first, second);
  }

  /** Start (UTC ms) of the local hour, day or month containing `tsMs`. */
  startOf(period: Period, tsMs: number): number {
    if (period === 'hour') {
      const local = this.localMs(tsMs);
      return tsMs - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS);
    }
    const p = this.local(tsMs);
    return this.utcOf(p.year, p.month, period === 'day' ? p.day : 1);
  }

  /** Start of the period after the one that starts at `startMs`. */
  next(period: Period, startMs: number): number {
    if (period === 'hour') return startMs + HOUR_MS;
    return period === 'day' ? this.addDays(startMs, 1) : this.addMonths(startMs, 1);
  }

  /** Start of the local day `days` after the one containing `tsMs` (negative goes back). */
  addDays(tsMs: number, days: number): number {
    const p = this.local(tsMs);
    return this.utcOf(p.year, p.month, p.day + days);
  }

  /** Start of the local month `months` after the one containing `tsMs` (negative goes back). */
  addMonths(tsMs: number, months: number): number {
    const p = this.local(tsMs);
    return this.utcOf(p.year, p.month + months, 1);
  }

  /** Local hour of day, fractional (0 to < 24). */
  hourOfDay(tsMs: number): number {
    const local = this.localMs(tsMs);
    return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  }

  /** Days since 1970-01-01 in local time: changes at local midnight. */
  dayIndex(tsMs: number): number {
    return Math.floor(this.localMs(tsMs) / DAY_MS);
  }

  /** 0 = Sunday … 6 = Saturday, local. */
  weekday(tsMs: number): number {
    return (((this.dayIndex(tsMs) + 4) % 7) + 7) % 7;
  }

  /** `2026-03-29 02:00 +02:00` (hour: the offset tells the two 02:00 of a fall-back night apart), `2026-03-29`, `2026-03`. */
  label(period: Period, startMs: number): string {
    const p = this.local(startMs);
    const date = `${p.year}-${pad(p.month)}`;
    if (period === 'month') return date;
    if (period === 'day') return `${date}-${pad(p.day)}`;
    const offsetMin = Math.round(this.offsetMs(startMs) / 60_000);
    const sign = offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(offsetMin);
    return `${date}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  private hourOffset(hour: number): number {
    const cached = this.hourOffsets.get(hour);
    if (cached !== undefined) return cached;
    const offset = this.lookUpOffset(hour * HOUR_MS);
    if (this.hourOffsets.size >= CACHE_LIMIT) this.hourOffsets.clear();
    this.hourOffsets.set(hour, offset);
    return offset;
  }
}

/** Offsets from Intl's wall-clock reading of an instant; throws a RangeError for a zone Intl does not know. */
export function intlOffsetLookup(timeZone: string): OffsetLookup {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (tsMs) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(tsMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return wall - tsMs;
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

const clocks = new Map<string, ZoneClock>();

/** One shared clock per zone (its offset cache serves every caller); throws a RangeError for an unknown zone. */
export function zoneClock(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new ZoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneClock(timeZone);
    return true;
  } catch {
    return false;
  }
}
