import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intlOffsetLookup } from '../../shared/zone.js';
import { offsetAtMs, parsePosixTz, parseTzif, posixOffsetAtMs, posixTransitions, TzifError, type ZoneRules } from './tzif.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const utc = (iso: string): number => Date.parse(iso);

describe('system zone files agree with Intl', () => {
  const zones = [
    'Europe/Berlin',
    'Europe/Lisbon',
    'America/New_York',
    'America/Sao_Paulo',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'America/St_Johns',
    'Africa/Casablanca',
    'Europe/Dublin',
    'UTC',
  ];
  const from1970 = utc('1970-01-01T00:00:00Z');
  const to2038 = utc('2038-01-01T00:00:00Z');
  const to2201 = utc('2201-01-01T00:00:00Z');

  /** Every offset change from 1970 to 2200: the file's own transitions, then the footer's. */
  function changesFrom1970(rules: ZoneRules): number[] {
    const explicit = rules.transitionsS.map((s) => s * 1000);
    const fromFooter = rules.footer ? posixTransitions(rules.footer, 1970, 2200).map((c) => c.tsMs) : [];
    const last = explicit.at(-1) ?? -Infinity;
    return [...explicit, ...fromFooter.filter((t) => t > last)].filter((t) => t >= from1970 && t < to2201);
  }

  it.each(zones)('%s: at every change ±1 s from 1970 to 2200, every day 1970–2037, and random instants 1900–2200', (zone) => {
    const rules = parseTzif(readFileSync(`/usr/share/zoneinfo/${zone}`));
    // The oracle: Intl's offsets, what zone clocks use where there are no zone files.
    const oracle = intlOffsetLookup(zone);
    const check = (t: number): void => expect(offsetAtMs(rules, t), `${zone} at ${new Date(t).toISOString()}`).toBe(oracle(t));
    const changes = changesFrom1970(rules);
    if (zone !== 'UTC' && zone !== 'Asia/Kolkata') expect(changes.length).toBeGreaterThan(10);
    for (const t of changes) for (const d of [-1000, 0, 1000]) check(t + d);
    for (let t = from1970 + 12 * HOUR; t < to2038; t += 24 * HOUR) check(t);
    fc.assert(
      fc.property(fc.integer({ min: utc('1900-01-01T00:00:00Z') / 1000, max: utc('2200-12-31T23:59:59Z') / 1000 }), (s) => {
        check(s * 1000);
      }),
      { numRuns: 3000 },
    );
  });
});

/** A TZif file from parts; version 1 writes only the 32-bit block, later versions both blocks and the footer. */
function buildTzif(options: {
  version: 1 | 2 | 3 | 4;
  transitions?: { atS: number; type: number }[];
  types: { utoffS: number; isDst?: boolean }[];
  footer?: string;
}): Uint8Array {
  const transitions = options.transitions ?? [];
  const designations = new Uint8Array([0x58, 0x58, 0x58, 0]); // "XXX\0", shared by every type
  const header = (version: number): number[] => {
    const out = [0x54, 0x5a, 0x69, 0x66, version === 1 ? 0 : 0x30 + version, ...new Array<number>(15).fill(0)];
    for (const count of [0, 0, 0, transitions.length, options.types.length, designations.length]) out.push(count >>> 24, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff);
    return out;
  };
  const block = (timeSize: 4 | 8): number[] => {
    const out: number[] = [];
    for (const { atS } of transitions) {
      const bytes = new DataView(new ArrayBuffer(8));
      bytes.setBigInt64(0, BigInt(atS));
      out.push(...new Uint8Array(bytes.buffer).slice(8 - timeSize));
    }
    out.push(...transitions.map((t) => t.type));
    for (const type of options.types) {
      const bytes = new DataView(new ArrayBuffer(4));
      bytes.setInt32(0, type.utoffS);
      out.push(...new Uint8Array(bytes.buffer), type.isDst ? 1 : 0, 0);
    }
    out.push(...designations);
    return out;
  };
  const parts = [...header(options.version), ...block(4)];
  if (options.version > 1) parts.push(...header(options.version), ...block(8), ...new TextEncoder().encode(`\n${options.footer ?? ''}\n`));
  return new Uint8Array(parts);
}

describe('hand-built TZif files', () => {
  const LMT_S = 53 * 60 + 28;
  const first = utc('1916-04-30T22:00:00Z') / 1000;
  const second = utc('1980-04-06T01:00:00Z') / 1000;

  it('version 1: type 0 before the first transition, the last type holds after the last', () => {
    const rules = parseTzif(buildTzif({ version: 1, transitions: [{ atS: first, type: 1 }, { atS: second, type: 2 }], types: [{ utoffS: LMT_S }, { utoffS: 3600 }, { utoffS: 7200, isDst: true }] }));
    expect(rules.footer).toBeNull();
    expect(offsetAtMs(rules, first * 1000 - 1)).toBe(LMT_S * 1000);
    expect(offsetAtMs(rules, first * 1000)).toBe(HOUR);
    expect(offsetAtMs(rules, second * 1000 - 1)).toBe(HOUR);
    expect(offsetAtMs(rules, second * 1000)).toBe(2 * HOUR);
    expect(offsetAtMs(rules, utc('2300-01-01T00:00:00Z'))).toBe(2 * HOUR);
  });

  it('version 2+: 64-bit times before 1901, and the footer from the last transition on', () => {
    const early = utc('1800-01-01T00:00:00Z') / 1000;
    const rules = parseTzif(buildTzif({ version: 2, transitions: [{ atS: early, type: 1 }], types: [{ utoffS: LMT_S }, { utoffS: 3600 }], footer: 'CET-1CEST,M3.5.0,M10.5.0/3' }));
    expect(offsetAtMs(rules, early * 1000 - 1)).toBe(LMT_S * 1000);
    expect(offsetAtMs(rules, utc('2026-01-15T12:00:00Z'))).toBe(HOUR);
    expect(offsetAtMs(rules, utc('2026-03-29T01:00:00Z'))).toBe(2 * HOUR);
    expect(offsetAtMs(rules, utc('2199-07-01T00:00:00Z'))).toBe(2 * HOUR);
  });

  it('a slim file with no transitions follows its footer at every instant', () => {
    const rules = parseTzif(buildTzif({ version: 3, types: [{ utoffS: -18000 }], footer: 'EST5EDT,M3.2.0,M11.1.0' }));
    expect(rules.transitionsS).toEqual([]);
    expect(offsetAtMs(rules, utc('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR);
    expect(offsetAtMs(rules, utc('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    expect(offsetAtMs(rules, utc('1950-07-01T00:00:00Z'))).toBe(-4 * HOUR);
  });

  it('an empty footer: the last transition’s type holds', () => {
    const rules = parseTzif(buildTzif({ version: 4, transitions: [{ atS: second, type: 1 }], types: [{ utoffS: 0 }, { utoffS: 19800 }], footer: '' }));
    expect(rules.footer).toBeNull();
    expect(offsetAtMs(rules, second * 1000 - 1)).toBe(0);
    expect(offsetAtMs(rules, utc('2500-01-01T00:00:00Z'))).toBe(5.5 * HOUR);
  });

  it('every truncation of a real file is an error, never a shorter zone', () => {
    const berlin = readFileSync('/usr/share/zoneinfo/Europe/Berlin');
    expect(() => parseTzif(berlin)).not.toThrow();
    for (let length = 0; length < berlin.length; length++) expect(() => parseTzif(berlin.subarray(0, length)), `${length} bytes`).toThrow(TzifError);
  });

  it('garbage is an error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(() => parseTzif(bytes)).toThrow(TzifError);
      }),
    );
    const valid = (): Uint8Array => buildTzif({ version: 2, transitions: [{ atS: 0, type: 0 }, { atS: 100, type: 1 }], types: [{ utoffS: 0 }, { utoffS: 3600 }], footer: 'XXX-1' });
    expect(() => parseTzif(valid())).not.toThrow();
    const v1Bytes = 44 + 2 * 4 + 2 + 2 * 6 + 4;
    const corrupt = (change: (bytes: Uint8Array) => void): Uint8Array => {
      const bytes = valid();
      change(bytes);
      return bytes;
    };
    const cases: [string, Uint8Array][] = [
      ['bad magic', corrupt((b) => (b[0] = 0x74))],
      ['version 1 byte', corrupt((b) => (b[4] = 0x31))],
      ['version 5', corrupt((b) => (b[4] = 0x35))],
      ['type index past the table', corrupt((b) => (b[v1Bytes + 44 + 2 * 8 + 1] = 2))],
      ['transitions out of order', corrupt((b) => (b[v1Bytes + 44 + 8 + 7] = 0))],
      ['leap-second records', corrupt((b) => (b[v1Bytes + 28 + 3] = 1))],
      ['an offset of 30 hours', corrupt((b) => new DataView(b.buffer).setInt32(v1Bytes + 44 + 2 * 8 + 2 + 6, 30 * 3600))],
      ['bytes after the footer', new Uint8Array([...valid(), 0x41])],
      ['a footer that is not a TZ string', buildTzif({ version: 2, types: [{ utoffS: 0 }], footer: 'not a zone' })],
      ['a DST footer without rules', buildTzif({ version: 2, types: [{ utoffS: 3600 }], footer: 'CET-1CEST' })],
    ];
    for (const [name, bytes] of cases) expect(() => parseTzif(bytes), name).toThrow(TzifError);
  });
});

describe('POSIX TZ strings', () => {
  const offsetAt = (tz: string, iso: string): number => posixOffsetAtMs(parsePosixTz(tz), utc(iso));

  it('EST5EDT,M3.2.0,M11.1.0: second Sunday of March to first Sunday of November at 02:00 local', () => {
    expect(parsePosixTz('EST5EDT,M3.2.0,M11.1.0')).toEqual({
      stdName: 'EST',
      stdOffsetS: -18000,
      dst: { name: 'EDT', offsetS: -14400, start: { kind: 'monthWeekDay', month: 3, week: 2, weekday: 0, timeS: 7200 }, end: { kind: 'monthWeekDay', month: 11, week: 1, weekday: 0, timeS: 7200 } },
    });
    expect(offsetAt('EST5EDT,M3.2.0,M11.1.0', '2026-03-08T06:59:59Z')).toBe(-5 * HOUR);
    expect(offsetAt('EST5EDT,M3.2.0,M11.1.0', '2026-03-08T07:00:00Z')).toBe(-4 * HOUR);
    expect(offsetAt('EST5EDT,M3.2.0,M11.1.0', '2026-11-01T05:59:59Z')).toBe(-4 * HOUR);
    expect(offsetAt('EST5EDT,M3.2.0,M11.1.0', '2026-11-01T06:00:00Z')).toBe(-5 * HOUR);
  });

  it('<+0330>-3:30: a quoted name and minutes, no DST', () => {
    expect(parsePosixTz('<+0330>-3:30')).toEqual({ stdName: '+0330', stdOffsetS: 12600, dst: null });
    expect(offsetAt('<+0330>-3:30', '2026-07-01T00:00:00Z')).toBe(3.5 * HOUR);
    expect(parsePosixTz('<-00>0').stdOffsetS).toBe(0);
    expect(Object.is(parsePosixTz('UTC0').stdOffsetS, 0)).toBe(true);
  });

  it('IST-1GMT0,M10.5.0,M3.5.0/1: negative DST (Irish winter time)', () => {
    const tz = 'IST-1GMT0,M10.5.0,M3.5.0/1';
    expect(parsePosixTz(tz).dst?.offsetS).toBe(0);
    expect(offsetAt(tz, '2026-01-15T12:00:00Z')).toBe(0);
    expect(offsetAt(tz, '2026-03-29T00:59:59Z')).toBe(0);
    expect(offsetAt(tz, '2026-03-29T01:00:00Z')).toBe(HOUR);
    expect(offsetAt(tz, '2026-10-25T00:59:59Z')).toBe(HOUR);
    expect(offsetAt(tz, '2026-10-25T01:00:00Z')).toBe(0);
  });

  it('<-03>3<-02>,M3.5.0/-2,M10.5.0/-1: negative rule times fall on the day before', () => {
    const tz = '<-03>3<-02>,M3.5.0/-2,M10.5.0/-1';
    // Saturday 22:00 −03 before the last Sunday of March; Saturday 23:00 −02 before the last Sunday of October.
    expect(offsetAt(tz, '2026-03-29T00:59:59Z')).toBe(-3 * HOUR);
    expect(offsetAt(tz, '2026-03-29T01:00:00Z')).toBe(-2 * HOUR);
    expect(offsetAt(tz, '2026-10-25T00:59:59Z')).toBe(-2 * HOUR);
    expect(offsetAt(tz, '2026-10-25T01:00:00Z')).toBe(-3 * HOUR);
  });

  it('30- and 45-minute zones with a half-hour DST (Lord Howe) and a default one-hour DST (Chatham)', () => {
    const lordHowe = '<+1030>-10:30<+11>-11,M10.1.0,M4.1.0';
    expect(offsetAt(lordHowe, '2026-04-04T14:59:59Z')).toBe(11 * HOUR);
    expect(offsetAt(lordHowe, '2026-04-04T15:00:00Z')).toBe(10.5 * HOUR);
    expect(offsetAt(lordHowe, '2026-10-03T15:29:59Z')).toBe(10.5 * HOUR);
    expect(offsetAt(lordHowe, '2026-10-03T15:30:00Z')).toBe(11 * HOUR);
    expect(parsePosixTz('<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45').dst?.offsetS).toBe(13 * 3600 + 45 * 60);
  });

  it('Jn skips Feb 29, n counts it, and the fifth week means the last', () => {
    expect(offsetAt('AAA0BBB,J60/0,J300/0', '2024-02-29T23:59:59Z')).toBe(0);
    expect(offsetAt('AAA0BBB,J60/0,J300/0', '2024-03-01T00:00:00Z')).toBe(HOUR);
    expect(offsetAt('AAA0BBB,59/0,300/0', '2024-02-29T00:00:00Z')).toBe(HOUR);
    expect(offsetAt('AAA0BBB,59/0,300/0', '2025-02-28T23:59:59Z')).toBe(0);
    expect(offsetAt('AAA0BBB,59/0,300/0', '2025-03-01T00:00:00Z')).toBe(HOUR);
    // February 2026 has four Sundays: M2.5.0 is the 22nd.
    expect(offsetAt('AAA0BBB,M2.5.0/0,M11.1.0/0', '2026-02-21T23:59:59Z')).toBe(0);
    expect(offsetAt('AAA0BBB,M2.5.0/0,M11.1.0/0', '2026-02-22T00:00:00Z')).toBe(HOUR);
  });

  it('rule times past 24 h and DST all year (EST5EDT,0/0,J365/25)', () => {
    expect(offsetAt('AAA0BBB,M3.5.0/50,M10.5.0/3', '2026-03-31T01:59:59Z')).toBe(0);
    expect(offsetAt('AAA0BBB,M3.5.0/50,M10.5.0/3', '2026-03-31T02:00:00Z')).toBe(HOUR);
    for (const iso of ['2025-12-31T23:59:59Z', '2026-01-01T04:59:59Z', '2026-01-01T05:00:00Z', '2026-07-01T00:00:00Z', '2100-01-01T05:00:00Z']) {
      expect(offsetAt('EST5EDT,0/0,J365/25', iso), iso).toBe(-4 * HOUR);
    }
  });

  it('rejects what it cannot read', () => {
    for (const text of ['', 'AB1', 'CET', 'CET-1CEST', 'CET-25', '<+03', '<+3>-3', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.6.0,M11.1.0', 'EST5EDT,M3.2.7,M11.1.0', 'EST5EDT,M3.2.0', 'EST5EDT,M3.2.0,M11.1.0x', 'EST5EDT,J0,J100', 'EST5EDT,366,J100', 'EST5EDT,M3.2.0/168,M11.1.0', 'EST5:60']) {
      expect(() => parsePosixTz(text), text).toThrow(TzifError);
    }
    expect(parsePosixTz('EST5EDT,M3.2.0/-167,M11.1.0/167').dst?.start.timeS).toBe(-167 * 3600);
    expect(parsePosixTz('XXX-14:59:59').stdOffsetS).toBe(14 * 3600 + 59 * MINUTE / 1000 + 59);
  });
});
