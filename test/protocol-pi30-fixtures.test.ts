/**
 * Every PI30 fixture (test/fixtures/pi30.json, real frames with their sources): valid replies decode to
 * `expected`, invalid ones are refused with exactly `expectedError`, requests encode to their bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crc16Xmodem,
  crcHex,
  decodeResponse,
  encodeRequest,
  legacyRow,
  parseRequestFrame,
  validateRequestFrame,
} from '../src/main/protocol/pi30/index.js';

interface Fixture {
  id: string;
  command: string;
  direction: 'request' | 'response';
  frameHex: string;
  valid: boolean;
  expectedError?: string;
  expected?: Record<string, unknown>;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/pi30.json', import.meta.url), 'utf8')) as Fixture[];
const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');

/** Deep equality with the same keys on both sides; numbers within a relative 1e-9. */
function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - expected), `${path}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    expected.forEach((item, i) => expectClose((actual as unknown[])[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', path).toBe(true);
    expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

const responses = fixtures.filter((f) => f.direction === 'response');
const requests = fixtures.filter((f) => f.direction === 'request');

describe('PI30 fixture set', () => {
  it('holds all 85 cases, requests and responses, valid and invalid', () => {
    expect(fixtures).toHaveLength(85);
    expect([responses.length, requests.length]).toEqual([51, 34]);
    expect(fixtures.filter((f) => !f.valid).every((f) => typeof f.expectedError === 'string')).toBe(true);
  });
});

describe('PI30 replies', () => {
  for (const f of responses.filter((r) => r.valid && r.expected?.nak !== true)) {
    it(`${f.id}: ${f.command} decodes to the expected fields`, () => {
      const result = decodeResponse(f.command, bytes(f.frameHex));
      if (!result.ok) throw new Error(`${f.id} refused: ${result.error.code} ${result.error.message}`);
      expectClose(result.value, f.expected, f.id);
    });
  }

  for (const f of responses.filter((r) => r.valid && r.expected?.nak === true)) {
    it(`${f.id}: a NAK to ${f.command} is the typed error nak, with the CRC the fixture gives`, () => {
      const frame = bytes(f.frameHex);
      const result = decodeResponse(f.command, frame);
      expect(result.ok ? 'decoded' : result.error.code).toBe('nak');
      const n = frame.length;
      expect(crcHex(crc16Xmodem(frame, 0, n - 3))).toBe(f.expected?.crcRawHex);
      expect(hex(frame.subarray(n - 3, n - 1))).toBe(f.expected?.crcOnWireHex);
      if (f.expected?.legacy !== undefined) expect(legacyRow(f.command, frame)).toEqual(f.expected.legacy);
    });
  }

  for (const f of responses.filter((r) => !r.valid)) {
    it(`${f.id}: refused with ${f.expectedError}`, () => {
      const result = decodeResponse(f.command, bytes(f.frameHex));
      expect(result.ok ? 'decoded' : result.error.code).toBe(f.expectedError);
    });
  }

  it('accepts the QSID reply whose device bumped the CRC byte 0x0D to 0x0E', () => {
    const f = fixtures.find((c) => c.id === 'pi30-qsid-crc-bumped') as Fixture;
    const result = decodeResponse('QSID', bytes(f.frameHex));
    expect(result.ok && [result.value.crcRawHex, result.value.crcOnWireHex]).toEqual(['940d', '940e']);
  });
});

describe('PI30 requests', () => {
  for (const f of requests.filter((r) => r.valid)) {
    it(`${f.id}: ${f.command} encodes to ${f.frameHex} and validates`, () => {
      expect(hex(encodeRequest(f.command))).toBe(f.frameHex);
      const result = validateRequestFrame(bytes(f.frameHex));
      if (!result.ok) throw new Error(`${f.id} refused: ${result.error.code} ${result.error.message}`);
      expect(result.value).toEqual({ commandText: f.expected?.commandText, crcRawHex: f.expected?.crcRawHex, crcOnWireHex: f.expected?.crcSentHex });
    });
  }

  for (const f of requests.filter((r) => !r.valid)) {
    it(`${f.id}: refused with ${f.expectedError}`, () => {
      const result = validateRequestFrame(bytes(f.frameHex));
      expect(result.ok ? 'accepted' : result.error.code).toBe(f.expectedError);
      // The simulator still reads the command and its raw CRC, to answer like the firmware would.
      const seen = parseRequestFrame(bytes(f.frameHex));
      expect(seen.ok && [seen.value.commandText, seen.value.crcRawHex]).toEqual([f.expected?.commandText, f.expected?.crcRawHex]);
    });
  }

  it('sends POP02 (switch to SBU) as E2 0B, never the refused E2 0A', () => {
    expect(hex(encodeRequest('POP02'))).toBe('504f503032e20b0d');
    const unbumped = parseRequestFrame(bytes('504f503032e20a0d'));
    expect(unbumped.ok && unbumped.value.reservedByteUnbumped).toBe(true);
  });
});
