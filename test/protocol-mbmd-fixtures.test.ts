/** Every mbmd fixture case: bodies decode to the meter's values and legacy row, bad bodies get their error. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbmdBody, sdm230LegacyColumns } from '../src/main/protocol/mbmd/index.js';

interface MbmdCase {
  id: string;
  frameHex: string;
  frameAscii: string;
  valid: boolean;
  expectedError?: string;
  context: { deviceId: string };
  expected?: {
    deviceId: string;
    timestamp: string;
    timestampUnix: number;
    values: Record<string, number>;
    legacy: Record<string, number> | null;
  };
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/mbmd.json', import.meta.url), 'utf8')) as MbmdCase[];
const bodyOf = (c: MbmdCase): string => Buffer.from(c.frameHex, 'hex').toString('utf8');

describe('mbmd fixtures', () => {
  it('holds every case of the shared fixture file, with text and bytes agreeing', () => {
    expect(cases).toHaveLength(8);
    for (const c of cases) expect(bodyOf(c)).toBe(c.frameAscii);
  });

  it.each(cases.filter((c) => c.valid).map((c) => [c.id, c] as const))('decodes %s', (_id, c) => {
    const result = decodeMbmdBody(bodyOf(c), c.context.deviceId);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    const e = c.expected!;
    const { deviceId, timestamp, tsMs, ...values } = result.value;
    expect({ deviceId, timestamp }).toEqual({ deviceId: e.deviceId, timestamp: e.timestamp });
    expect(Math.floor((tsMs as number) / 1000)).toBe(e.timestampUnix);
    expect(values).toEqual(e.values);
    expect(sdm230LegacyColumns(result.value)).toEqual(e.legacy);
  });

  it.each(cases.filter((c) => !c.valid).map((c) => [c.id, c] as const))('refuses %s', (_id, c) => {
    const result = decodeMbmdBody(bodyOf(c), c.context.deviceId);
    expect(result.ok ? 'accepted' : result.error.code).toBe(c.expectedError);
  });
});
