import { describe, expect, it } from 'vitest';
import { addLocalDays, addLocalMonths, fromLocal, localParts, slots, startOfLocalDay, startOfLocalMonth, zoneOffsetMs } from './zone';

const PRAGUE = 'Europe/Prague';
const HOUR = 3_600_000;

describe('site-local boundaries', () => {
  it('midnight in Prague is 23:00 UTC in winter and 22:00 UTC in summer', () => {
    expect(startOfLocalDay(Date.UTC(2026, 0, 15, 10), PRAGUE)).toBe(Date.UTC(2026, 0, 14, 23));
    expect(startOfLocalDay(Date.UTC(2026, 6, 15, 10), PRAGUE)).toBe(Date.UTC(2026, 6, 14, 22));
  });

  it('just after local midnight belongs to the new day although UTC is still on the old one', () => {
    expect(startOfLocalDay(Date.UTC(2026, 6, 14, 22, 30), PRAGUE)).toBe(Date.UTC(2026, 6, 14, 22));
  });

  it('the spring DST day has 23 hours, the autumn one 25', () => {
    const spring = startOfLocalDay(Date.UTC(2026, 2, 29, 12), PRAGUE);
    expect(addLocalDays(spring, 1, PRAGUE) - spring).toBe(23 * HOUR);
    const autumn = startOfLocalDay(Date.UTC(2026, 9, 25, 12), PRAGUE);
    expect(addLocalDays(autumn, 1, PRAGUE) - autumn).toBe(25 * HOUR);
    expect(slots(autumn, addLocalDays(autumn, 1, PRAGUE), (t) => t + HOUR)).toHaveLength(25);
  });

  it('months are calendar months, across the year end', () => {
    expect(startOfLocalMonth(Date.UTC(2026, 1, 20), PRAGUE)).toBe(Date.UTC(2026, 0, 31, 23));
    expect(addLocalMonths(Date.UTC(2026, 11, 10), 1, PRAGUE)).toBe(Date.UTC(2026, 11, 31, 23));
    expect(addLocalMonths(Date.UTC(2026, 0, 10), -1, PRAGUE)).toBe(Date.UTC(2025, 10, 30, 23));
    const feb = startOfLocalMonth(Date.UTC(2026, 1, 10), PRAGUE);
    expect(slots(feb, addLocalMonths(feb, 1, PRAGUE), (t) => addLocalDays(t, 1, PRAGUE))).toHaveLength(28);
  });

  it('works for zones east of UTC with half hours and for UTC itself', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(fromLocal(2026, 1, 1, 'Asia/Kolkata')).toBe(Date.UTC(2025, 11, 31, 18, 30));
    expect(startOfLocalDay(Date.UTC(2026, 3, 3, 5), 'UTC')).toBe(Date.UTC(2026, 3, 3));
  });

  it('reads wall-clock parts in the zone', () => {
    expect(localParts(Date.UTC(2026, 6, 14, 22, 30, 5), PRAGUE)).toEqual({ year: 2026, month: 7, day: 15, hour: 0, minute: 30, second: 5 });
  });
});
