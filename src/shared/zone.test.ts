import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemZoneLookup } from '../main/zone/system-zones.js';
import { isValidTimeZone, useZoneRules, ZoneClock, zoneClock } from './zone.js';

const HOUR = 3_600_000;
const BERLIN = 'Europe/Berlin';
const utc = (iso: string): number => Date.parse(iso);

/** Every local hour start from `from` up to (not including) `to`. */
function hourStarts(clock: ZoneClock, from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = clock.startOf('hour', from); t < to; t = clock.next('hour', t)) out.push(t);
  return out;
}

describe('ZoneClock in Europe/Berlin (CET +01:00, CEST +02:00 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October)', () => {
  const berlin = new ZoneClock(BERLIN);

  it('switches its offset exactly at the DST changes', () => {
    expect(berlin.offsetMs(utc('2026-01-15T12:00:00Z'))).toBe(1 * HOUR);
    expect(berlin.offsetMs(utc('2026-03-29T00:59:59Z'))).toBe(1 * HOUR);
    expect(berlin.offsetMs(utc('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(berlin.offsetMs(utc('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(berlin.offsetMs(utc('2026-10-25T01:00:00Z'))).toBe(1 * HOUR);
  });

  it('2026-03-29 has 23 hours: midnight to midnight, by next() and by addDays()', () => {
    const day = berlin.startOf('day', utc('2026-03-29T12:00:00Z'));
    expect(day).toBe(utc('2026-03-28T23:00:00Z'));
    expect(berlin.next('day', day)).toBe(utc('2026-03-29T22:00:00Z'));
    expect(berlin.addDays(day, 1) - day).toBe(23 * HOUR);
    const hours = hourStarts(berlin, day, berlin.next('day', day));
    expect(hours).toHaveLength(23);
    expect(hours.map((t) => berlin.label('hour', t))).not.toContain('2026-03-29 02:00 +01:00');
    expect(hours.map((t) => berlin.local(t).hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
  });

  it('2026-10-25 has 25 hours, and the two 02:00 are told apart by their label', () => {
    const day = berlin.startOf('day', utc('2026-10-25T12:00:00Z'));
    expect(day).toBe(utc('2026-10-24T22:00:00Z'));
    expect(berlin.next('day', day)).toBe(utc('2026-10-25T23:00:00Z'));
    expect(berlin.addDays(day, 1) - day).toBe(25 * HOUR);
    const labels = hourStarts(berlin, day, berlin.next('day', day)).map((t) => berlin.label('hour', t));
    expect(labels).toHaveLength(25);
    expect(labels).toContain('2026-10-25 02:00 +02:00');
    expect(labels).toContain('2026-10-25 02:00 +01:00');
  });

  it('local midnight: just after it belongs to the new local day although UTC is still on the old one', () => {
    expect(berlin.startOf('day', utc('2026-07-14T22:30:00Z'))).toBe(utc('2026-07-14T22:00:00Z'));
    expect(berlin.startOf('day', utc('2026-07-14T21:59:59Z'))).toBe(utc('2026-07-13T22:00:00Z'));
    expect(berlin.startOf('day', utc('2026-01-15T10:00:00Z'))).toBe(utc('2026-01-14T23:00:00Z'));
    expect(berlin.local(utc('2026-07-14T22:30:05Z'))).toEqual({ year: 2026, month: 7, day: 15, hour: 0, minute: 30, second: 5 });
    expect(berlin.label('day', utc('2026-07-14T22:00:00Z'))).toBe('2026-07-15');
  });

  it('month start: calendar months across DST and the year end, backwards too', () => {
    expect(berlin.startOf('month', utc('2026-04-10T12:00:00Z'))).toBe(utc('2026-03-31T22:00:00Z'));
    expect(berlin.startOf('month', utc('2026-03-31T22:30:00Z'))).toBe(utc('2026-03-31T22:00:00Z'));
    expect(berlin.next('month', utc('2026-11-30T23:00:00Z'))).toBe(utc('2026-12-31T23:00:00Z'));
    expect(berlin.addMonths(utc('2026-01-10T12:00:00Z'), -1)).toBe(utc('2025-11-30T23:00:00Z'));
    const march = berlin.startOf('month', utc('2026-03-15T12:00:00Z'));
    // 31 days, one of them 23 hours long.
    expect(berlin.next('month', march) - march).toBe(31 * 24 * HOUR - HOUR);
    expect(berlin.label('month', march)).toBe('2026-03');
  });

  it('hour of day, day index and weekday follow the local clock', () => {
    expect(berlin.hourOfDay(utc('2026-03-29T01:30:00Z'))).toBe(3.5);
    // 2026-03-29 is a Sunday; at 23:30 UTC on Saturday it is already Sunday in Berlin.
    expect(berlin.weekday(utc('2026-03-28T23:30:00Z'))).toBe(0);
    expect(berlin.weekday(utc('2026-03-28T22:30:00Z'))).toBe(6);
    expect(berlin.dayIndex(utc('2026-03-28T23:30:00Z')) - berlin.dayIndex(utc('2026-03-28T22:30:00Z'))).toBe(1);
  });
});

describe('ZoneClock elsewhere', () => {
  it('maps a local time skipped by the spring jump to the jump itself, east and west of UTC', () => {
    expect(new ZoneClock(BERLIN).utcOf(2026, 3, 29, 2)).toBe(utc('2026-03-29T01:00:00Z'));
    // New York jumps from 02:00 EST to 03:00 EDT at 07:00 UTC on 2026-03-08.
    expect(new ZoneClock('America/New_York').utcOf(2026, 3, 8, 2)).toBe(utc('2026-03-08T07:00:00Z'));
  });

  it('finds a change in the middle of a UTC hour (Adelaide: +10:30 to +09:30 at 16:30 UTC on 2026-04-04)', () => {
    const adelaide = new ZoneClock('Australia/Adelaide');
    expect(adelaide.offsetMs(utc('2026-04-04T16:29:00Z'))).toBe(10.5 * HOUR);
    expect(adelaide.offsetMs(utc('2026-04-04T16:30:00Z'))).toBe(9.5 * HOUR);
    expect(adelaide.offsetMs(utc('2026-04-04T16:00:00Z'))).toBe(10.5 * HOUR);
    expect(adelaide.offsetMs(utc('2026-04-04T16:59:00Z'))).toBe(9.5 * HOUR);
  });

  it('handles half-hour zones without DST and UTC itself', () => {
    expect(new ZoneClock('Asia/Kolkata').offsetMs(utc('2026-01-01T00:00:00Z'))).toBe(5.5 * HOUR);
    expect(new ZoneClock('Asia/Kolkata').utcOf(2026, 1, 1)).toBe(utc('2025-12-31T18:30:00Z'));
    expect(new ZoneClock('UTC').startOf('day', utc('2026-04-03T05:00:00Z'))).toBe(utc('2026-04-03T00:00:00Z'));
  });

  it('agrees with the offset Intl names (GMT+hh:mm), in any order of asking, around both changes', () => {
    for (const zone of [BERLIN, 'America/New_York', 'Australia/Adelaide']) {
      const clock = new ZoneClock(zone);
      const named = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
      const namedOffset = (t: number): number => {
        const name = named.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? '';
        const m = /GMT(?:([+-])(\d\d):(\d\d))?/.exec(name);
        return m?.[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR + Number(m[3]) * 60_000) : 0;
      };
      const instants = [utc('2026-03-07T12:00:00Z'), utc('2026-10-03T12:00:00Z'), utc('2026-10-24T12:00:00Z'), utc('2026-11-01T00:00:00Z')].flatMap((start) =>
        Array.from({ length: 300 }, (_, i) => start + i * 11 * 60_000),
      );
      const order = instants.map((_, i) => (i * 601) % instants.length);
      for (const i of order) {
        const t = instants[i] as number;
        expect(clock.offsetMs(t), `${zone} at ${new Date(t).toISOString()}`).toBe(namedOffset(t));
      }
    }
  });
});

describe('zone names', () => {
  it('tells known zones from unknown ones', () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('shares one clock per zone and refuses an unknown zone with a RangeError', () => {
    expect(zoneClock(BERLIN)).toBe(zoneClock(BERLIN));
    expect(() => zoneClock('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => new ZoneClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('with the system zone files installed (the daemon on Linux)', () => {
  afterEach(() => {
    useZoneRules(null);
    vi.unstubAllEnvs();
  });

  /** Clocks for one zone from Intl and from the zone files. */
  function bothClocks(zone: string): { intl: ZoneClock; files: ZoneClock } {
    useZoneRules(null);
    const intl = new ZoneClock(zone);
    expect(systemZoneLookup(zone), `${zone} has a zone file`).not.toBeNull();
    useZoneRules(systemZoneLookup);
    return { intl, files: new ZoneClock(zone) };
  }

  it('every local day, hour and month of 2025-2027 is the one Intl gives', () => {
    for (const zone of [BERLIN, 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata']) {
      const { intl, files } = bothClocks(zone);
      const from = utc('2025-01-01T00:00:00Z');
      const to = utc('2028-01-01T00:00:00Z');
      for (let day = files.startOf('day', from); day < to; day = files.next('day', day)) {
        expect(day, `${zone} day of ${new Date(day).toISOString()}`).toBe(intl.startOf('day', day + 12 * HOUR));
        expect(hourStarts(files, day, files.next('day', day)).map((t) => files.label('hour', t))).toEqual(
          hourStarts(intl, day, intl.next('day', day)).map((t) => intl.label('hour', t)),
        );
      }
      for (let month = files.startOf('month', from); month < to; month = files.next('month', month)) expect(month).toBe(intl.startOf('month', month + 12 * HOUR));
      for (let t = from; t < to; t += 7 * HOUR + 13 * 60_000) expect(files.hourOfDay(t), `${zone} at ${new Date(t).toISOString()}`).toBe(intl.hourOfDay(t));
    }
  });

  it('Berlin still has a 23-hour and a 25-hour day in 2026', () => {
    useZoneRules(systemZoneLookup);
    const berlin = zoneClock(BERLIN);
    const spring = berlin.startOf('day', utc('2026-03-29T12:00:00Z'));
    const autumn = berlin.startOf('day', utc('2026-10-25T12:00:00Z'));
    expect(berlin.next('day', spring) - spring).toBe(23 * HOUR);
    expect(berlin.next('day', autumn) - autumn).toBe(25 * HOUR);
    expect(berlin.utcOf(2026, 3, 29, 2)).toBe(utc('2026-03-29T01:00:00Z'));
  });

  it('clocks come from the loader once it is installed, from Intl again once it is removed', () => {
    const zones = mkdtempSync(join(tmpdir(), 'voltmon-zones-'));
    mkdirSync(join(zones, 'Europe'));
    // Kolkata's rules under Berlin's name: only a clock that read this file says +05:30.
    copyFileSync('/usr/share/zoneinfo/Asia/Kolkata', join(zones, 'Europe', 'Berlin'));
    vi.stubEnv('TZDIR', zones);
    const july = utc('2026-07-01T00:00:00Z');
    expect(zoneClock(BERLIN).offsetMs(july)).toBe(2 * HOUR);
    useZoneRules(systemZoneLookup);
    expect(zoneClock(BERLIN).offsetMs(july)).toBe(5.5 * HOUR);
    // A name the files lack (another spelling) still works through Intl.
    expect(zoneClock('europe/berlin').offsetMs(july)).toBe(2 * HOUR);
    useZoneRules(null);
    expect(zoneClock(BERLIN).offsetMs(july)).toBe(2 * HOUR);
  });

  it('unknown zones stay invalid and a name with .. is not read from outside the zone directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'voltmon-zones-'));
    mkdirSync(join(root, 'zones'));
    copyFileSync('/usr/share/zoneinfo/Asia/Kolkata', join(root, 'Outside'));
    vi.stubEnv('TZDIR', join(root, 'zones'));
    useZoneRules(systemZoneLookup);
    // No Berlin file in this directory: Intl answers for it.
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('../Outside')).toBe(false);
    expect(isValidTimeZone(`${root}/Outside`)).toBe(false);
    expect(() => zoneClock('../Outside')).toThrow(RangeError);
  });
});
