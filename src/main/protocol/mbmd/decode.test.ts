import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMbmdBody } from './decode.js';
import { sdm230LegacyColumns } from './legacy.js';

const code = (r: { ok: boolean; error?: { code: string } }): string | undefined => (r.ok ? undefined : r.error?.code);

describe('decodeMbmdBody', () => {
  it('reads the single-meter body of /api/last/<id>, which is the meter object itself', () => {
    const body = '{"Timestamp":"2024-06-01T12:00:00.250Z","Unix":1717243200,"Power":-812.5,"ReactiveSum":3.25}';
    expect(decodeMbmdBody(body, 'SDM2301.1')).toEqual({
      ok: true,
      value: { deviceId: 'SDM2301.1', timestamp: '2024-06-01T12:00:00.250Z', tsMs: 1717243200250, activePowerW: -812.5, totalReactiveEnergyKvarh: 3.25 },
    });
  });

  it('takes the time from Unix when the text time stamp is missing', () => {
    const r = decodeMbmdBody('{"SDM2301.1":{"Unix":1717243200,"Voltage":231.5}}', 'SDM2301.1');
    expect(r).toMatchObject({ ok: true, value: { tsMs: 1717243200000, voltageV: 231.5 } });
  });

  it('leaves the time out rather than report an infinite one', () => {
    expect(decodeMbmdBody('{"Unix":1e306,"Power":5}', 'x')).toEqual({ ok: true, value: { deviceId: 'x', activePowerW: 5 } });
  });

  it('ignores keys it has no field for and refuses readings that are not numbers', () => {
    expect(decodeMbmdBody('{"Power":1,"THD":2}', 'x')).toMatchObject({ ok: true, value: { activePowerW: 1 } });
    expect(code(decodeMbmdBody('{"Power":"1"}', 'x'))).toBe('unexpectedField');
    expect(code(decodeMbmdBody('{"Power":1e999}', 'x'))).toBe('unexpectedField');
  });

  it('reports a meter that has no readings yet as no data, not as zeros', () => {
    expect(code(decodeMbmdBody('{"SDM2301.1":{"Timestamp":"2024-06-01T12:00:00Z","Unix":1717243200}}', 'SDM2301.1'))).toBe('noData');
  });

  it('says why JSON was refused, naming a bare NaN', () => {
    const r = decodeMbmdBody('{"Power":NaN}', 'x');
    expect(r.ok ? '' : r.error.message).toContain('NaN');
    expect(code(decodeMbmdBody('[1,2]', 'x'))).toBe('badJson');
  });

  it('does not take inherited object properties for a meter id', () => {
    expect(code(decodeMbmdBody('{"SDM1.1":{"Power":1}}', 'constructor'))).toBe('missingDevice');
  });

  it('writes no legacy row unless all 13 original columns are present', () => {
    expect(sdm230LegacyColumns({ activePowerW: 1 })).toBeNull();
  });

  const allFinite = (v: unknown): boolean =>
    typeof v === 'number' ? Number.isFinite(v) : typeof v === 'object' && v !== null ? Object.values(v).every(allFinite) : true;

  it('never throws and never yields a non-finite number for any text or JSON value', () => {
    const meter = fc.dictionary(fc.constantFrom('Power', 'Voltage', 'Import', 'Timestamp', 'Unix', 'Other'), fc.jsonValue());
    const bodies = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), meter.map((m) => JSON.stringify({ 'SDM2301.1': m })));
    fc.assert(
      fc.property(bodies, (body) => {
        const r = decodeMbmdBody(body, 'SDM2301.1');
        if (r.ok) expect(allFinite(r.value)).toBe(true);
        else expect(r.error.message.length).toBeGreaterThan(0);
      }),
    );
  });
});
