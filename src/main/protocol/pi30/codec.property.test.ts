/** Property tests: the codec is total (any bytes give a value or a typed error) and round-trips. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pi30FrameAssembler } from './assembler.js';
import { bumpCrc, crc16Xmodem } from './crc.js';
import { decodeResponse } from './decode.js';
import { legacyRow } from './legacy.js';
import { encodeResponse, parseReplyFrame } from './reply-frame.js';
import { encodeRequest, parseRequestFrame, validateRequestFrame } from './request-frame.js';

const COMMANDS = ['QPIGS', 'QPIGS2', 'QPIRI', 'QMOD', 'QPIWS', 'Q1', 'QFLAG', 'QDI', 'QMCHGCR', 'QPGS0', 'QPI', 'QID', 'QSID', 'QVFW', 'QVFW2', 'QMN', 'QGMN', 'QT', 'POP02', 'QET'];
const ERROR_CODES = new Set(['crc', 'truncated', 'missingTerminator', 'badStartByte', 'trailingBytes', 'unexpectedField', 'nak']);

interface Fixture {
  command: string;
  direction: string;
  frameHex: string;
}
const fixtures = (JSON.parse(readFileSync(new URL('../../../../test/fixtures/pi30.json', import.meta.url), 'utf8')) as Fixture[]).filter(
  (f) => f.direction === 'response',
);
const fixtureFrames = fixtures.map((f) => ({ command: f.command, frame: Uint8Array.from(Buffer.from(f.frameHex, 'hex')) }));

/** Every number anywhere in a decoded value is finite. */
function assertNoNaN(value: unknown, path = 'value'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertNoNaN(v, `${path}.${k}`);
}

function checkTotal(command: string, frame: Uint8Array): void {
  const result = decodeResponse(command, frame);
  if (result.ok) assertNoNaN(result.value);
  else expect(ERROR_CODES.has(result.error.code), result.error.code).toBe(true);
  assertNoNaN(legacyRow(command, frame));
}

/** Byte-level damage: replace, insert or delete bytes, or cut the frame. */
const mutated = fc
  .record({
    index: fc.nat({ max: fixtureFrames.length - 1 }),
    edits: fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('replace', 'insert', 'delete', 'cut'), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ index, edits }) => {
    const { command, frame } = fixtureFrames[index] as { command: string; frame: Uint8Array };
    const bytes = [...frame];
    for (const { at, op, byte } of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (op === 'replace') bytes[i] = byte;
      else if (op === 'insert') bytes.splice(i, 0, byte);
      else if (op === 'delete') bytes.splice(i, 1);
      else bytes.length = i;
    }
    return { command, frame: Uint8Array.from(bytes) };
  });

describe('decoding is total', () => {
  it('never throws and never yields NaN for random bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.uint8Array({ maxLength: 200 }), (command, frame) => checkTotal(command, frame)),
      { numRuns: 500 },
    );
  });

  it('never throws and never yields NaN for random payload bytes under a valid CRC', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.uint8Array({ maxLength: 150 }), (command, body) => {
        const head = Uint8Array.from([0x28, ...body.filter((b) => b !== 0x0d && b !== 0x0a)]);
        const crc = bumpCrc(crc16Xmodem(head));
        checkTotal(command, Uint8Array.from([...head, crc >>> 8, crc & 0xff, 0x0d]));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and never yields NaN for payloads made of field-like tokens', () => {
    const token = fc.constantFrom('0', '1', '-', '---.-', '00.0', '230.0', '99999999999', '1e5', 'NaN', 'Infinity', '0x10', '', 'ACK', 'NAK', 'B', '00010110', '010');
    fc.assert(
      fc.property(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 32 }), (command, tokens) => checkTotal(command, encodeResponse(tokens.join(' ')))),
      { numRuns: 800 },
    );
  });

  it('never throws and never yields NaN for damaged real frames', () => {
    fc.assert(
      fc.property(mutated, ({ command, frame }) => checkTotal(command, frame)),
      { numRuns: 800 },
    );
  });

  it('refuses a damaged frame unless its CRC still holds', () => {
    fc.assert(
      fc.property(mutated, ({ frame }) => {
        const result = parseReplyFrame(frame);
        if (result.ok) expect(parseReplyFrame(encodeResponse(result.value.payload, { terminator: result.value.terminator })).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws reading requests', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (frame) => {
        validateRequestFrame(frame);
        parseRequestFrame(frame);
      }),
      { numRuns: 300 },
    );
  });
});

describe('round trips', () => {
  const fixed = (digits: number, decimals: number) =>
    fc.integer({ min: 0, max: 10 ** (digits + decimals) - 1 }).map((n) => {
      const text = String(n).padStart(digits + decimals, '0');
      return decimals === 0 ? text : `${text.slice(0, digits)}.${text.slice(digits)}`;
    });
  const bits = (n: number) => fc.array(fc.constantFrom('0', '1'), { minLength: n, maxLength: n }).map((b) => b.join(''));
  const qpigsFields = fc.tuple(
    fixed(3, 1), fixed(2, 1), fixed(3, 1), fixed(2, 1), fixed(4, 0), fixed(4, 0), fixed(3, 0), fixed(3, 0),
    fixed(2, 2), fixed(3, 0), fixed(3, 0), fixed(4, 0), fixed(4, 0), fixed(3, 1), fixed(2, 2), fixed(5, 0),
    bits(8), fixed(2, 0), fixed(2, 0), fixed(5, 0), bits(3),
  );

  it('decodes every generated QPIGS payload to the values it was built from', () => {
    fc.assert(
      fc.property(qpigsFields, fc.constantFrom<'CR' | 'LF'>('CR', 'LF'), (fields, terminator) => {
        const result = decodeResponse('QPIGS', encodeResponse(fields.join(' '), { terminator }));
        if (!result.ok) throw new Error(result.error.message);
        const v = result.value;
        const numeric = ['gridVoltageV', 'gridFrequencyHz', 'acOutputVoltageV', 'acOutputFrequencyHz', 'acOutputApparentPowerVA', 'acOutputActivePowerW', 'outputLoadPct', 'busVoltageV', 'batteryVoltageV', 'batteryChargingCurrentA', 'batteryCapacityPct', 'heatSinkTemperatureC', 'pvInputCurrentA', 'pvInputVoltageV', 'batteryVoltageFromSccV', 'batteryDischargeCurrentA'];
        numeric.forEach((name, i) => expect(v[name], name).toBeCloseTo(Number.parseFloat(fields[i] as string), 9));
        expect(v.deviceStatusBits).toBe(fields[16]);
        expect((v.deviceStatus as Record<string, boolean>).acCharging).toBe(fields[16][7] === '1');
        expect((v.deviceStatus as Record<string, boolean>).sbuPriorityVersion).toBe(fields[16][0] === '1');
        expect(v.pvChargingPowerW).toBe(Number.parseInt(fields[19], 10));
        expect((v.deviceStatus2 as Record<string, boolean>).chargingToFloat).toBe(fields[20][0] === '1');
        expect(v.fieldCount).toBe(21);
        expect((v.legacy as Record<string, number>).var9).toBeCloseTo(Number.parseFloat(fields[8]), 9);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any printable command text through encodeRequest and parseRequestFrame', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), (text) => {
        const seen = parseRequestFrame(encodeRequest(text));
        expect(seen.ok && [seen.value.commandText, seen.value.reservedByteUnbumped]).toEqual([text, false]);
      }),
      { numRuns: 300 },
    );
  });

  it('assembles the same frames however the stream is cut into reads', () => {
    const stream = fixtureFrames.slice(0, 12).map((f) => f.frame);
    const whole = Uint8Array.from(stream.flatMap((f) => [0xff, ...f]));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: whole.length }), { maxLength: 20 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), whole.length];
        const assembler = new Pi30FrameAssembler();
        const frames = points.slice(1).flatMap((end, i) => assembler.push(whole.subarray(points[i], end)));
        expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(stream.map((f) => Buffer.from(f).toString('hex')));
        expect(assembler.discardedBytes).toBe(stream.length);
      }),
      { numRuns: 200 },
    );
  });
});
