/**
 * Local-time boundaries in the site's time zone (not the browser's: a phone abroad still wants the
 * plant's day). Built on Intl only; DST days are 23 or 25 hours long and months are calendar months.
 */

export interface LocalParts {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(tsMs: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(tsMs)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year ?? 1970, month: out.month ?? 1, day: out.day ?? 1, hour: out.hour ?? 0, minute: out.minute ?? 0, second: out.second ?? 0 };
}

/** Local wall time minus UTC at `tsMs`, in ms (+3 600 000 for CET). */
export function zoneOffsetMs(tsMs: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(tsMs / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time; month may overflow (13 = January next year). */
export function fromLocal(year: number, month: number, day: number, timeZone: string, hour = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - zoneOffsetMs(wall, timeZone);
  // A second pass settles the offset when the first guess fell on the other side of a DST change.
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

export function startOfLocalDay(tsMs: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  return fromLocal(p.year, p.month, p.day, timeZone);
}

export function startOfLocalMonth(tsMs: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  return fromLocal(p.year, p.month, 1, timeZone);
}

/** Start of the local day `days` after the one containing `tsMs` (negative goes back). */
export function addLocalDays(tsMs: number, days: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  const shifted = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return fromLocal(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate(), timeZone);
}

/** Start of the local month `months` after the one containing `tsMs`. */
export function addLocalMonths(tsMs: number, months: number, timeZone: string): number {
  const p = localParts(tsMs, timeZone);
  const shifted = new Date(Date.UTC(p.year, p.month - 1 + months, 1));
  return fromLocal(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 1, timeZone);
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
