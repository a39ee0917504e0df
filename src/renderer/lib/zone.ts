/**
 * Local-time boundaries in the site's time zone (not the browser's: a phone abroad still wants the
 * plant's day). Thin functions over the one implementation in src/shared/zone.ts: DST days are 23 or 25
 * hours long and months are calendar months.
 */
import { zoneClock, type LocalParts } from '../../shared/zone';

export { isValidTimeZone, type LocalParts } from '../../shared/zone';

export function localParts(tsMs: number, timeZone: string): LocalParts {
  return zoneClock(timeZone).local(tsMs);
}

/** Local wall time minus UTC at `tsMs`, in ms (+3 600 000 for CET). */
export function zoneOffsetMs(tsMs: number, timeZone: string): number {
  return zoneClock(timeZone).offsetMs(tsMs);
}

/** The UTC instant of a local wall-clock time; month may overflow (13 = January next year). */
export function fromLocal(year: number, month: number, day: number, timeZone: string, hour = 0): number {
  return zoneClock(timeZone).utcOf(year, month, day, hour);
}

export function startOfLocalDay(tsMs: number, timeZone: string): number {
  return zoneClock(timeZone).startOf('day', tsMs);
}

export function startOfLocalMonth(tsMs: number, timeZone: string): number {
  return zoneClock(timeZone).startOf('month', tsMs);
}

/** Start of the local day `days` after the one containing `tsMs` (negative goes back). */
export function addLocalDays(tsMs: number, days: number, timeZone: string): number {
  return zoneClock(timeZone).addDays(tsMs, days);
}

/** Start of the local month `months` after the one containing `tsMs`. */
export function addLocalMonths(tsMs: number, months: number, timeZone: string): number {
  return zoneClock(timeZone).addMonths(tsMs, months);
}

/** Slot starts from `from` (inclusive) to `to` (exclusive), stepping with `next`. */
export function slots(from: number, to: number, next: (start: number) => number, limit = 1000): number[] {
  const out: number[] = [];
  for (let t = from; t < to && out.length < limit; ) {
    out.push(t);
    const n = next(t);
    if (n <= t) break;
    t = n;
  }
  return out;
}
