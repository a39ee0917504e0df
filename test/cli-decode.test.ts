/**
 * `voltmon decode` as users' scripts call it: every response case of the fixtures, through the command's
 * own entry point, with the exit codes of DESIGN.md §3 (0 decoded, 1 bad frame, 2 bad command line).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main as decode } from '../src/headless/commands/decode.js';

interface FixtureCase {
  id: string;
  command: string;
  direction: string;
  frameHex: string;
  valid: boolean;
  expectedError?: string;
  context?: { cellCount?: number; temperatureSensorCount?: number; startRegister?: number };
  expected?: Record<string, unknown>;
}

const load = (name: string): FixtureCase[] =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as FixtureCase[];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await decode(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

function optionsFor(c: FixtureCase): string[] {
  const ctx = c.context ?? {};
  const out: string[] = [];
  if (ctx.cellCount !== undefined) out.push('--cells', String(ctx.cellCount));
  if (ctx.temperatureSensorCount !== undefined) out.push('--sensors', String(ctx.temperatureSensorCount));
  if (ctx.startRegister !== undefined) out.push('--start', String(ctx.startRegister));
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe.each(['pi30', 'daly', 'sdm230'])('voltmon decode %s on every captured reply', (protocol) => {
  const cases = load(protocol).filter((c) => c.direction === 'response');
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const result = await run([protocol, c.command, c.frameHex, ...optionsFor(c)]);
    const isException = c.expected !== undefined && 'exception' in c.expected;
    if (!c.valid || isException) {
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      if (c.expectedError) expect(result.stderr).toContain(c.expectedError);
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    const decoded = JSON.parse(result.stdout) as Record<string, unknown>;
    const expected = protocol === 'sdm230' ? (c.expected?.fields as Record<string, unknown>) : c.expected;
    const fields = protocol === 'sdm230' ? (decoded.fields as Record<string, unknown>) : decoded;
    for (const [key, value] of Object.entries(expected ?? {})) {
      if (key === 'legacy') continue;
      if (typeof value === 'number') expect(fields[key] as number, key).toBeCloseTo(value, 3);
      else expect(fields[key], key).toEqual(value);
    }
  });
});

describe('voltmon decode command line', () => {
  it('accepts a PI30 reply typed as ASCII with escapes', async () => {
    const result = await run(['pi30', 'QPI', '(PI30\\x9a\\x0b\\r']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ protocolId: 'PI30' });
  });
  it('reports a NAK as a decoded refusal, not as a broken frame', async () => {
    const result = await run(['pi30', 'POP02', '28 4E 41 4B 73 73 0D']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ nak: true });
  });
  it('gives SDM230 registers without names when the first register is not given', async () => {
    const result = await run(['sdm230', 'read', '01 04 04 43 66 33 34 1B 38']);
    expect(result.code).toBe(0);
    const decoded = JSON.parse(result.stdout) as { floats: number[]; fields?: unknown };
    expect(decoded.floats[0]).toBeCloseTo(230.2, 3);
    expect(decoded.fields).toBeUndefined();
  });
  it.each([
    [['pi30', 'QPIGS']],
    [['modbus', 'read', '0104']],
    [['daly', 'ninety', 'a5']],
    [['sdm230', 'write', '0104']],
    [['daly', '0x95', 'a5', '--cells', 'sixteen']],
    [['daly', '0x90', 'not hex']],
  ])('exits 2 with a usage line for %j', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: voltmon decode');
  });
});
