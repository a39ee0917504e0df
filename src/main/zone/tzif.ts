/**
 * Compiled zone files (TZif, RFC 8536, versions 1 to 4) as zic writes them into /usr/share/zoneinfo:
 * bytes in, the zone's UTC offset at any instant out. Pure (no I/O) so it can be tested on hand-built
 * files. Anything malformed is a TzifError: a caller falls back to another source, never to a guess.
 */
const HEADER_BYTES = 44;
const MAGIC = 'TZif';
/** RFC 8536 §3.2: offsets a reader should accept (−25 h < offset < +26 h). */
const MIN_OFFSET_S = -89_999;
const MAX_OFFSET_S = 93_599;
const DAY_MS = 86_400_000;
const DEFAULT_RULE_TIME_S = 7_200;
/** POSIX limits the hours of an offset to 24; version 3 allows a rule time of −167 to +167 hours. */
const MAX_OFFSET_HOURS = 24;
const MAX_RULE_HOURS = 167;

export class TzifError extends Error {
  override readonly name = 'TzifError';
}

/** When a POSIX TZ rule switches: `Jn` (1..365, Feb 29 never counted), `n` (0..365), or `Mm.w.d`. */
export type PosixDate =
  | { kind: 'julian'; day: number; timeS: number }
  | { kind: 'dayOfYear'; day: number; timeS: number }
  | { kind: 'monthWeekDay'; month: number; week: number; weekday: number; timeS: number };

/** A POSIX TZ string (the TZif footer), offsets east-positive (+3 600 for CET) unlike the string's own. */
export interface PosixTz {
  stdName: string;
  stdOffsetS: number;
  dst: { name: string; offsetS: number; start: PosixDate; end: PosixDate } | null;
}

export interface ZoneRules {
  /** Instants (s since the epoch, ascending) at which the offset may change. */
  transitionsS: readonly number[];
  /** UTC offset (s) from each transition on. */
  offsetsS: readonly number[];
  /** Offset before the first transition: time type 0 (RFC 8536 §3.2). */
  initialOffsetS: number;
  /** Rule from the last transition on; null when the file has none (the last offset then holds). */
  footer: PosixTz | null;
}

interface Counts {
  isutcnt: number;
  isstdcnt: number;
  leapcnt: number;
  timecnt: number;
  typecnt: number;
  charcnt: number;
}

/** Parses a whole TZif file; throws a TzifError on anything truncated, malformed or unsupported. */
export function parseTzif(bytes: Uint8Array): ZoneRules {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { version, counts } = readHeader(view, 0);
  const v1Bytes = blockBytes(counts, 4);
  if (version === 1) {
    const rules = readBlock(view, HEADER_BYTES, counts, 4);
    if (bytes.byteLength !== HEADER_BYTES + v1Bytes) throw new TzifError(`${bytes.byteLength - HEADER_BYTES - v1Bytes} bytes after the data`);
    return { ...rules, footer: null };
  }
  // Version 2+: skip the 32-bit block; the 64-bit block and the footer follow a second header.
  const second = readHeader(view, HEADER_BYTES + v1Bytes);
  if (second.version !== version) throw new TzifError(`the second header says version ${second.version}, the first ${version}`);
  const dataStart = HEADER_BYTES + v1Bytes + HEADER_BYTES;
  const rules = readBlock(view, dataStart, second.counts, 8);
  const footer = readFooter(bytes, dataStart + blockBytes(second.counts, 8));
  return { ...rules, footer: footer === '' ? null : parsePosixTz(footer) };
}

/** UTC offset (ms) in effect at `tsMs`. */
export function offsetAtMs(rules: ZoneRules, tsMs: number): number {
  const { transitionsS, offsetsS, footer } = rules;
  const tsS = tsMs / 1000;
  let low = 0;
  let high = transitionsS.length;
  // The number of transitions at or before tsS.
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((transitionsS[mid] as number) <= tsS) low = mid + 1;
    else high = mid;
  }
  if (footer && low === transitionsS.length) return posixOffsetAtMs(footer, tsMs);
  return (low === 0 ? rules.initialOffsetS : (offsetsS[low - 1] as number)) * 1000;
}

function readHeader(view: DataView, at: number): { version: number; counts: Counts } {
  need(view, at, HEADER_BYTES, 'header');
  const magic = String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
  if (magic !== MAGIC) throw new TzifError('not a TZif file (no TZif magic)');
  const versionByte = view.getUint8(at + 4);
  // Version 1 is a NUL byte, later ones the ASCII digits '2' to '4'.
  const version = versionByte === 0 ? 1 : versionByte >= 0x32 && versionByte <= 0x34 ? versionByte - 0x30 : 0;
  if (version === 0) throw new TzifError(`unsupported TZif version byte 0x${versionByte.toString(16)}`);
  const count = (i: number): number => view.getUint32(at + 20 + 4 * i);
  const counts = { isutcnt: count(0), isstdcnt: count(1), leapcnt: count(2), timecnt: count(3), typecnt: count(4), charcnt: count(5) };
  if (counts.typecnt === 0) throw new TzifError('no local time types');
  if (counts.charcnt === 0) throw new TzifError('no time zone designations');
  if (counts.isutcnt !== 0 && counts.isutcnt !== counts.typecnt) throw new TzifError('UT/local indicator count differs from the type count');
  if (counts.isstdcnt !== 0 && counts.isstdcnt !== counts.typecnt) throw new TzifError('standard/wall indicator count differs from the type count');
  // Leap-second files ("right/" zones) count time differently from the Unix clock.
  if (counts.leapcnt !== 0) throw new TzifError('leap-second records are not supported');
  return { version, counts };
}

function blockBytes(c: Counts, timeSize: number): number {
  return c.timecnt * timeSize + c.timecnt + c.typecnt * 6 + c.charcnt + c.leapcnt * (timeSize + 4) + c.isstdcnt + c.isutcnt;
}

function readBlock(view: DataView, at: number, c: Counts, timeSize: 4 | 8): Omit<ZoneRules, 'footer'> {
  need(view, at, blockBytes(c, timeSize), 'data block');
  const transitionsS: number[] = [];
  for (let i = 0; i < c.timecnt; i++) {
    const p = at + i * timeSize;
    // A 64-bit time as high * 2^32 + low: exact for every time zic writes (|t| <= 2^59).
    const t = timeSize === 4 ? view.getInt32(p) : view.getInt32(p) * 0x1_0000_0000 + view.getUint32(p + 4);
    if (i > 0 && t <= (transitionsS[i - 1] as number)) throw new TzifError(`transition ${i} is not after the one before it`);
    transitionsS.push(t);
  }
  const typesAt = at + c.timecnt * timeSize + c.timecnt;
  const typeOffsetsS: number[] = [];
  for (let i = 0; i < c.typecnt; i++) {
    const p = typesAt + i * 6;
    const utoff = view.getInt32(p);
    if (utoff < MIN_OFFSET_S || utoff > MAX_OFFSET_S) throw new TzifError(`local time type ${i} has an offset of ${utoff} s`);
    if (view.getUint8(p + 4) > 1) throw new TzifError(`local time type ${i} has a DST flag other than 0 or 1`);
    if (view.getUint8(p + 5) >= c.charcnt) throw new TzifError(`local time type ${i} names a designation past the table`);
    typeOffsetsS.push(utoff);
  }
  const offsetsS: number[] = [];
  for (let i = 0; i < c.timecnt; i++) {
    const type = view.getUint8(at + c.timecnt * timeSize + i);
    if (type >= c.typecnt) throw new TzifError(`transition ${i} names local time type ${type} of ${c.typecnt}`);
    offsetsS.push(typeOffsetsS[type] as number);
  }
  return { transitionsS, offsetsS, initialOffsetS: typeOffsetsS[0] as number };
}

function readFooter(bytes: Uint8Array, at: number): string {
  const NEWLINE = 0x0a;
  if (at >= bytes.byteLength || bytes[at] !== NEWLINE) throw new TzifError('truncated: no footer after the data');
  const end = bytes.indexOf(NEWLINE, at + 1);
  if (end < 0) throw new TzifError('truncated: the footer has no closing newline');
  if (end !== bytes.byteLength - 1) throw new TzifError(`${bytes.byteLength - end - 1} bytes after the footer`);
  let text = '';
  for (let i = at + 1; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x20 || byte > 0x7e) throw new TzifError(`the footer has a byte 0x${byte.toString(16)} that is not printable ASCII`);
    text += String.fromCharCode(byte);
  }
  return text;
}

function need(view: DataView, at: number, length: number, what: string): void {
  if (at + length > view.byteLength) throw new TzifError(`truncated: the ${what} needs ${length} bytes at ${at}, the file has ${view.byteLength}`);
}

/** POSIX counts offsets west of Greenwich as positive; `0 -` keeps UTC at +0, not −0. */
const eastOf = (westS: number): number => 0 - westS;

/** Parses a POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3` or `<+0330>-3:30` (RFC 8536 §3.3). */
export function parsePosixTz(text: string): PosixTz {
  const reader = new PosixReader(text);
  const stdName = reader.name();
  const stdOffsetS = eastOf(reader.duration(MAX_OFFSET_HOURS));
  if (reader.done()) return { stdName, stdOffsetS, dst: null };
  const dstName = reader.name();
  const dstOffsetS = reader.done() || reader.peek() === ',' ? stdOffsetS + 3_600 : eastOf(reader.duration(MAX_OFFSET_HOURS));
  // POSIX leaves the switch dates of a string without rules to the implementation: no safe answer.
  if (reader.done()) throw new TzifError(`TZ string '${text}' has a DST zone but no rules`);
  reader.expect(',');
  const start = reader.date();
  reader.expect(',');
  const end = reader.date();
  if (!reader.done()) reader.fail('text after the end rule');
  return { stdName, stdOffsetS, dst: { name: dstName, offsetS: dstOffsetS, start, end } };
}

class PosixReader {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text[this.at] ?? '';
  }

  fail(why: string): never {
    throw new TzifError(`TZ string '${this.text}': ${why} at ${this.at}`);
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`'${char}' expected`);
    this.at++;
  }

  /** `CET` (three or more letters) or the quoted form `<+0330>`. */
  name(): string {
    const quoted = this.peek() === '<';
    const match = (quoted ? /<([A-Za-z0-9+-]{3,})>/y : /[A-Za-z]{3,}/y).exec(this.text.slice(this.at));
    if (!match) this.fail('a zone name expected');
    this.at += match[0].length;
    return quoted ? (match[1] as string) : match[0];
  }

  /** `[+-]h[h][:mm[:ss]]` in seconds, hours up to `maxHours`. */
  duration(maxHours: number): number {
    const match = /([+-]?)(\d{1,3})(?::(\d{2})(?::(\d{2}))?)?/y.exec(this.text.slice(this.at));
    if (!match) this.fail('an offset or time expected');
    const [hours, minutes, seconds] = [match[2], match[3], match[4]].map((part) => Number(part ?? 0)) as [number, number, number];
    if (hours > maxHours || minutes > 59 || seconds > 59) this.fail(`'${match[0]}' is out of range`);
    this.at += match[0].length;
    return (match[1] === '-' ? -1 : 1) * (hours * 3_600 + minutes * 60 + seconds);
  }

  /** `Jn`, `n` or `Mm.w.d`, each with an optional `/time` (02:00 when absent). */
  date(): PosixDate {
    const rest = this.text.slice(this.at);
    const monthWeekDay = /M(\d{1,2})\.(\d)\.(\d)/y.exec(rest);
    const dayOfYear = /(J?)(\d{1,3})/y.exec(rest);
    let date: PosixDate;
    if (monthWeekDay) {
      const [month, week, weekday] = monthWeekDay.slice(1).map(Number) as [number, number, number];
      if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) this.fail(`'${monthWeekDay[0]}' is out of range`);
      date = { kind: 'monthWeekDay', month, week, weekday, timeS: DEFAULT_RULE_TIME_S };
      this.at += monthWeekDay[0].length;
    } else if (dayOfYear) {
      const julian = dayOfYear[1] === 'J';
      const day = Number(dayOfYear[2]);
      if (day > 365 || (julian && day < 1)) this.fail(`day '${dayOfYear[0]}' is out of range`);
      date = { kind: julian ? 'julian' : 'dayOfYear', day, timeS: DEFAULT_RULE_TIME_S };
      this.at += dayOfYear[0].length;
    } else {
      return this.fail('a rule date (Jn, n or Mm.w.d) expected');
    }
    if (this.peek() === '/') {
      this.at++;
      date.timeS = this.duration(MAX_RULE_HOURS);
    }
    return date;
  }
}

/** UTC offset (ms) a POSIX TZ rule gives at `tsMs`. */
export function posixOffsetAtMs(tz: PosixTz, tsMs: number): number {
  if (!tz.dst) return tz.stdOffsetS * 1000;
  const year = new Date(tsMs).getUTCFullYear();
  // Rule times reach up to a week past their day, so the changes of the two years before are enough to
  // know the state at the start of this one.
  let offsetS = tz.stdOffsetS;
  for (const change of posixTransitions(tz, year - 2, year + 1)) {
    if (change.tsMs > tsMs) break;
    offsetS = change.offsetS;
  }
  return offsetS * 1000;
}

/**
 * The offset changes a POSIX TZ rule makes in the years `fromYear`..`toYear`, in time order. When the end
 * of DST and the next start fall on one instant (DST all year, `0/0,J365/25`) the start comes last, so
 * it wins.
 */
export function posixTransitions(tz: PosixTz, fromYear: number, toYear: number): { tsMs: number; offsetS: number }[] {
  const { dst } = tz;
  if (!dst) return [];
  const changes: { tsMs: number; offsetS: number; order: number }[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    // A rule's time is wall-clock time in the offset in effect before the change.
    changes.push({ tsMs: ruleDayMs(dst.start, year) + (dst.start.timeS - tz.stdOffsetS) * 1000, offsetS: dst.offsetS, order: 1 });
    changes.push({ tsMs: ruleDayMs(dst.end, year) + (dst.end.timeS - dst.offsetS) * 1000, offsetS: tz.stdOffsetS, order: 0 });
  }
  changes.sort((a, b) => a.tsMs - b.tsMs || a.order - b.order);
  return changes.map(({ tsMs, offsetS }) => ({ tsMs, offsetS }));
}

/** Local midnight starting the rule's day in `year`, as if local time were UTC. */
function ruleDayMs(date: PosixDate, year: number): number {
  const january1 = Date.UTC(year, 0, 1);
  if (date.kind === 'dayOfYear') return january1 + date.day * DAY_MS;
  if (date.kind === 'julian') return january1 + (date.day - 1 + (isLeapYear(year) && date.day >= 60 ? 1 : 0)) * DAY_MS;
  const first = Date.UTC(year, date.month - 1, 1);
  const daysInMonth = (Date.UTC(year, date.month, 1) - first) / DAY_MS;
  const firstWeekday = (((Math.floor(first / DAY_MS) + 4) % 7) + 7) % 7;
  let day = 1 + ((date.weekday - firstWeekday + 7) % 7) + (date.week - 1) * 7;
  if (day > daysInMonth) day -= 7;
  return first + (day - 1) * DAY_MS;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
