/** Every Daly fixture case: replies decode to `expected`, bad frames are refused with `expectedError`, requests re-encode byte for byte. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeDalyResponse,
  encodeDalyRequest,
  encodeSetChargeMos,
  encodeSetDischargeMos,
  encodeSetSoc,
  parseDalyRequest,
} from '../src/main/protocol/daly/index.js';

interface DalyCase {
  id: string;
  command: string;
  direction: 'request' | 'response';
  frameHex: string;
  valid: boolean;
  expectedError?: string;
  context?: { cellCount?: number; temperatureSensorCount?: number };
  expected?: Record<string, unknown>;
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/daly.json', import.meta.url), 'utf8')) as DalyCase[];
const bytes = (hexText: string): Uint8Array => Uint8Array.from(Buffer.from(hexText, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Expected values with every number compared to 5 decimals (fixtures print 6). */
function approx(value: unknown): unknown {
  if (typeof value === 'number') return expect.closeTo(value, 5);
  if (Array.isArray(value)) return value.map(approx);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, approx(v)]));
  }
  return value;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('Daly fixtures', () => {
  it('holds every case of the shared fixture file', () => {
    expect(cases).toHaveLength(51);
  });

  const responses = cases.filter((c) => c.direction === 'response');
  const requests = cases.filter((c) => c.direction === 'request');

  it.each(responses.filter((c) => c.valid).map((c) => [c.id, c] as const))('decodes %s', (_id, c) => {
    const result = decodeDalyResponse(Number(c.command), bytes(c.frameHex), c.context ?? {});
    expect(unwrap(result)).toMatchObject(approx(c.expected) as object);
  });

  it.each(responses.filter((c) => !c.valid).map((c) => [c.id, c] as const))('refuses %s', (_id, c) => {
    const result = decodeDalyResponse(Number(c.command), bytes(c.frameHex), c.context ?? {});
    expect(result.ok ? 'accepted' : result.error.code).toBe(c.expectedError);
  });

  it.each(requests.map((c) => [c.id, c] as const))('encodes request %s', (_id, c) => {
    const expected = c.expected ?? {};
    const dataId = Number(c.command);
    const options = { address: expected.address as number };
    let frame: Uint8Array;
    if (dataId === 0xda) frame = unwrap(encodeSetChargeMos(expected.mosOn as boolean, options));
    else if (dataId === 0xd9) frame = unwrap(encodeSetDischargeMos(expected.mosOn as boolean, options));
    else if (dataId === 0x21) {
      // The fixture's dateTime has no zone: it is the BMS clock's wall time, which the builder takes from local time.
      frame = unwrap(encodeSetSoc(expected.socPct as number, new Date(expected.dateTime as string), options));
    } else {
      const filler = bytes(c.frameHex)[4];
      frame = encodeDalyRequest(dataId, { ...options, filler });
    }
    expect(toHex(frame)).toBe(c.frameHex);
    expect(unwrap(parseDalyRequest(frame))).toMatchObject({ address: expected.address, dataId: expected.dataId });
  });
});
