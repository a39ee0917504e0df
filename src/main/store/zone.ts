/**
 * Local calendar arithmetic in one IANA zone with Intl only. Hours, days and months are found from the
 * zone's real offset at each instant, so a spring-forward day has 23 hours and a fall-back day 25.
 */
const HOUR_MS = 3_600_000;
/** Offsets are constant within a quarter hour in every zone in use; cache per UTC quarter. */
const QUARTER_MS = 900_000;
const CACHE_LIMIT = 20_000;

export type Period = 'hour' | 'day' | 'month';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Milliseconds to add to UTC to get the local wall-clock time at `tsMs`. */
  offsetMs(tsMs: number): number {
    const quarter = Math.floor(tsMs / QUARTER_MS);
    const cached = this.offsets.get(quarter);
    if (cached !== undefined) return cached;
    const start = quarter * QUARTER_MS;
    const p = this.partsOf(start);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - start;
    if (this.offsets.size >= CACHE_LIMIT) this.offsets.clear();
    this.offsets.set(quarter, offset);
    return offset;
  }

  /** Local date and time at `tsMs`. */
  local(tsMs: number): LocalParts {
    const d = new Date(tsMs + this.offsetMs(tsMs));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
  }

  /** UTC instant of a local wall-clock time; a time skipped by a DST jump maps to the instant after the jump. */
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
      const local = tsMs + this.offsetMs(tsMs);
      return tsMs - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS);
    }
    const p = this.local(tsMs);
    return period === 'day' ? this.utcOf(p.year, p.month, p.day) : this.utcOf(p.year, p.month, 1);
  }

  /** Start of the period after the one that starts at `startMs`. */
  next(period: Period, startMs: number): number {
    if (period === 'hour') return startMs + HOUR_MS;
    const p = this.local(startMs);
    return period === 'day' ? this.utcOf(p.year, p.month, p.day + 1) : this.utcOf(p.year, p.month + 1, 1);
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

  private partsOf(tsMs: number): LocalParts {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(tsMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
