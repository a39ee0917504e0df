/** Local clock time of the site, for things people do by the clock (cooking, laundry). */

const HOUR_MS = 3_600_000;

/**
 * Local hour of day (fractional, 0-24) in an IANA zone, DST included. Offsets are looked up once per
 * UTC hour (zone changes happen on hour boundaries in the zones we care about), so a simulated year
 * costs about 9 000 lookups.
 */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  private cachedHourIndex = Number.NaN;
  private cachedOffsetMs = 0;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** Milliseconds to add to UTC to get local wall-clock time. */
  offsetMs(tsMs: number): number {
    const hourIndex = Math.floor(tsMs / HOUR_MS);
    if (hourIndex !== this.cachedHourIndex) {
      this.cachedHourIndex = hourIndex;
      this.cachedOffsetMs = this.computeOffset(hourIndex * HOUR_MS);
    }
    return this.cachedOffsetMs;
  }

  /** Local time as if it were UTC: use getUTC* on `new Date(localMs(ts))`, or the helpers below. */
  localMs(tsMs: number): number {
    return tsMs + this.offsetMs(tsMs);
  }

  hourOfDay(tsMs: number): number {
    const local = this.localMs(tsMs);
    return (((local % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS;
  }

  /** Days since 1970-01-01 in local time: changes at local midnight. */
  dayIndex(tsMs: number): number {
    return Math.floor(this.localMs(tsMs) / 86_400_000);
  }

  /** 0 = Sunday … 6 = Saturday, local. */
  weekday(tsMs: number): number {
    return (this.dayIndex(tsMs) + 4) % 7;
  }

  private computeOffset(tsMs: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(new Date(tsMs))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
    return asUtc - Math.floor(tsMs / 60_000) * 60_000;
  }
}
