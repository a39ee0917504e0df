/** Every SDM230 fixture case: replies decode to exact float32 values, bad frames get their error, requests re-encode byte for byte. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeModbusException,
  decodeReadInputRegistersResponse,
  encodeReadInputRegisters,
  parseReadInputRegistersRequest,
  sdm230FieldsInRange,
} from '../src/main/protocol/modbus/index.js';

interface SdmCase {
  id: string;
  direction: 'request' | 'response';
  frameHex: string;
  valid: boolean;
  expectedError?: string;
  context?: { startRegister?: number; slaveId?: number };
  expected?: Record<string, unknown>;
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/sdm230.json', import.meta.url), 'utf8')) as SdmCase[];
const bytes = (hexText: string): Uint8Array => Uint8Array.from(Buffer.from(hexText, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const optionsOf = (c: SdmCase) => ({ start: c.context?.startRegister ?? 0, slaveId: c.context?.slaveId });

describe('SDM230 fixtures', () => {
  it('holds every case of the shared fixture file', () => {
    expect(cases).toHaveLength(41);
  });

  const responses = cases.filter((c) => c.direction === 'response');
  const exceptions = responses.filter((c) => c.expected?.exception === true);
  const replies = responses.filter((c) => c.valid && !exceptions.includes(c));

  it.each(replies.map((c) => [c.id, c] as const))('decodes %s to the exact float32 values', (_id, c) => {
    const result = decodeReadInputRegistersResponse(bytes(c.frameHex), optionsOf(c));
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    // Floats are exact float32 values widened to double: compare exactly.
    expect(result.value).toEqual(c.expected);
  });

  it.each(exceptions.map((c) => [c.id, c] as const))('reports exception reply %s', (_id, c) => {
    const structured = decodeModbusException(bytes(c.frameHex));
    expect(structured).toMatchObject({ ok: true, value: c.expected });
    const result = decodeReadInputRegistersResponse(bytes(c.frameHex), optionsOf(c));
    if (result.ok) throw new Error('an exception reply was accepted as data');
    expect(result.error.code).toBe('exception');
    expect(result.error.message).toMatch(/exception/i);
    expect(result.error.message).toContain(String(c.expected?.exceptionCode));
    expect(result.error.message).toContain('illegal data address');
  });

  it.each(responses.filter((c) => !c.valid).map((c) => [c.id, c] as const))('refuses %s', (_id, c) => {
    const result = decodeReadInputRegistersResponse(bytes(c.frameHex), optionsOf(c));
    expect(result.ok ? 'accepted' : result.error.code).toBe(c.expectedError);
  });

  it.each(cases.filter((c) => c.direction === 'request').map((c) => [c.id, c] as const))('encodes request %s', (_id, c) => {
    const e = c.expected as { slaveId: number; startRegister: number; registerCount: number; fields: string[] };
    expect(toHex(encodeReadInputRegisters(e.slaveId, e.startRegister, e.registerCount))).toBe(c.frameHex);
    expect(parseReadInputRegistersRequest(bytes(c.frameHex))).toEqual({
      ok: true,
      value: { slaveId: e.slaveId, start: e.startRegister, count: e.registerCount },
    });
    expect(sdm230FieldsInRange(e.startRegister, e.registerCount)).toEqual(e.fields);
  });
});
