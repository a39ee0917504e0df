import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDalyResponse } from './decode.js';
import { encodeDalyFrame } from './frame.js';

/** A BMS reply (address 0x01) with the given data bytes. */
const reply = (dataId: number, data: number[]): Uint8Array => encodeDalyFrame(0x01, dataId, Uint8Array.from(data));
const concat = (...frames: Uint8Array[]): Uint8Array => Uint8Array.from(frames.flatMap((f) => [...f]));
const errorCode = (r: { ok: boolean; error?: { code: string } }): string | undefined => (r.ok ? undefined : r.error?.code);
const value = (r: ReturnType<typeof decodeDalyResponse>): Record<string, unknown> => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** 0x95 frame n with three millivolt values. */
const cells = (n: number, mv: [number, number, number]): Uint8Array =>
  reply(0x95, [n, mv[0] >> 8, mv[0] & 0xff, mv[1] >> 8, mv[1] & 0xff, mv[2] >> 8, mv[2] & 0xff, 0]);

describe('decodeDalyResponse', () => {
  // 53.0 V, raw current 29900 (10 A into the battery), SOC 61.2 %.
  const charging = reply(0x90, [0x02, 0x12, 0, 0, 0x74, 0xcc, 0x02, 0x64]);

  it('reads current below the 30000 offset as charging (positive), and flips it on request', () => {
    expect(value(decodeDalyResponse(0x90, charging))).toMatchObject({ totalVoltageV: 53, currentA: 10, socPct: 61.2 });
    expect(value(decodeDalyResponse(0x90, charging, { invertCurrent: true })).currentA).toBe(-10);
  });

  it('flags the all-zero reply of a sleeping BMS as implausible', () => {
    expect(errorCode(decodeDalyResponse(0x90, reply(0x90, [0, 0, 0, 0, 0, 0, 0, 0])))).toBe('implausible');
    expect(errorCode(decodeDalyResponse(0x91, reply(0x91, [0, 0, 0, 0, 0, 0, 0, 0])))).toBe('implausible');
    expect(errorCode(decodeDalyResponse(0x94, reply(0x94, [0, 0, 0, 0, 0, 0, 0, 0])))).toBe('implausible');
    const zeros = concat(...[1, 2, 3].map((n) => cells(n, [0, 0, 0])));
    expect(errorCode(decodeDalyResponse(0x95, zeros, { cellCount: 8 }))).toBe('implausible');
  });

  it('accepts an idle pack with both MOSFETs off: zeros are meaningful in 0x93', () => {
    expect(value(decodeDalyResponse(0x93, reply(0x93, [0, 0, 0, 0, 0, 0, 0, 0])))).toMatchObject({
      stateName: 'idle',
      chargeMosOn: false,
      dischargeMosOn: false,
      remainingCapacityAh: 0,
    });
  });

  it('refuses the host request echoed back on a half-duplex line', () => {
    const echo = encodeDalyFrame(0x40, 0x90, new Uint8Array(8));
    expect(errorCode(decodeDalyResponse(0x90, echo))).toBe('unexpectedAddress');
    expect(errorCode(decodeDalyResponse(0x90, charging, { bmsAddress: 0x02 }))).toBe('unexpectedAddress');
  });

  it('refuses bytes after a single-frame reply', () => {
    expect(errorCode(decodeDalyResponse(0x90, concat(charging, Uint8Array.of(0))))).toBe('trailingBytes');
  });

  it('reads only the frames a pack needs and never shifts voltages past a lost frame', () => {
    const f = [cells(1, [3301, 3302, 3303]), cells(2, [3304, 3305, 3306]), cells(3, [3307, 3308, 0])];
    expect(value(decodeDalyResponse(0x95, concat(...f), { cellCount: 8 })).cellVoltagesV).toEqual([
      3.301, 3.302, 3.303, 3.304, 3.305, 3.306, 3.307, 3.308,
    ]);
    expect(errorCode(decodeDalyResponse(0x95, concat(f[0]!, f[2]!), { cellCount: 8 }))).toBe('missingFrame');
    expect(errorCode(decodeDalyResponse(0x95, concat(f[0]!, f[1]!), { cellCount: 8 }))).toBe('truncated');
    expect(errorCode(decodeDalyResponse(0x95, concat(f[1]!, f[2]!), { cellCount: 8 }))).toBe('missingFrame');
  });

  it('accepts frames numbered from 0 as the document describes them', () => {
    const f = [cells(0, [3301, 3302, 3303]), cells(1, [3304, 0, 0])];
    expect(value(decodeDalyResponse(0x95, concat(...f), { cellCount: 4 })).cellVoltagesV).toEqual([3.301, 3.302, 3.303, 3.304]);
  });

  it('refuses a frame the BMS marks invalid (number 0xFF) and a nonsense cell count', () => {
    expect(errorCode(decodeDalyResponse(0x95, cells(0xff, [1, 2, 3]), { cellCount: 3 }))).toBe('implausible');
    expect(errorCode(decodeDalyResponse(0x95, cells(1, [1, 2, 3]), { cellCount: 0 }))).toBe('badArgument');
    expect(errorCode(decodeDalyResponse(0x95, cells(1, [1, 2, 3]), { cellCount: 2.5 }))).toBe('badArgument');
  });

  it('uses the first temperatureSensorCount slots of 0x96, across frames', () => {
    const f1 = reply(0x96, [1, 60, 61, 62, 63, 64, 65, 66]);
    const f2 = reply(0x96, [2, 67, 0, 0, 0, 0, 0, 0]);
    expect(value(decodeDalyResponse(0x96, concat(f1, f2), { temperatureSensorCount: 8 }))).toMatchObject({
      temperaturesC: [20, 21, 22, 23, 24, 25, 26, 27],
      frameCount: 2,
      legacy: { var40: 20 },
    });
    const withoutLegacy = value(decodeDalyResponse(0x96, concat(f1, f2), { temperatureSensorCount: 8, legacy: false }));
    expect(withoutLegacy.temperaturesC).toEqual([20, 21, 22, 23, 24, 25, 26, 27]);
    expect(withoutLegacy).not.toHaveProperty('legacy');
  });

  it('numbers balancing cells from byte 0 bit 0 = cell 1, byte 1 bit 0 = cell 9', () => {
    expect(value(decodeDalyResponse(0x97, reply(0x97, [0x01, 0x01, 0, 0, 0, 0x80, 0xff, 0xff]))).balancingCells).toEqual([1, 9, 48]);
  });

  it('names reserved alarm bits instead of dropping them, and reports the fault code', () => {
    expect(value(decodeDalyResponse(0x98, reply(0x98, [0x01, 0, 0, 0x10, 0, 0, 0x84, 7])))).toMatchObject({
      activeAlarms: ['cellVoltHighL1', 'reservedByte3Bit4', 'shortCircuitProtect', 'reservedByte6Bit7'],
      faultCode: 7,
    });
  });

  it('passes replies to ids outside the documented set on as raw data', () => {
    expect(value(decodeDalyResponse(0x50, reply(0x50, [0, 0, 0x6d, 0x60, 0, 0, 0, 0])))).toMatchObject({
      dataId: 0x50,
      dataHex: '00006d6000000000',
    });
  });

  const allFinite = (v: unknown): boolean => {
    if (typeof v === 'number') return Number.isFinite(v);
    if (v !== null && typeof v === 'object') return Object.values(v).every(allFinite);
    return true;
  };

  it('never throws and never yields a non-finite number, whatever the bytes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0xd9, 0xda, 0x21, 0x50),
        fc.uint8Array({ maxLength: 60 }),
        fc.record({ cellCount: fc.option(fc.integer({ min: -1, max: 50 }), { nil: undefined }) }),
        (dataId, data, options) => {
          const r = decodeDalyResponse(dataId, data, options);
          if (r.ok) expect(allFinite(r.value)).toBe(true);
          else expect(r.error.message.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('decodes any well-formed frame to finite numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98), fc.uint8Array({ minLength: 8, maxLength: 8 }), (dataId, data) => {
        const r = decodeDalyResponse(dataId, encodeDalyFrame(1, dataId, data));
        if (r.ok) expect(allFinite(r.value)).toBe(true);
        else expect(['implausible']).toContain(r.error.code);
      }),
    );
  });

  it('decodes any run of well-formed 0x95/0x96 frames to finite numbers or a typed error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x95, 0x96),
        fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 7 }),
        fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        (dataId, datas, count) => {
          const r = decodeDalyResponse(dataId, concat(...datas.map((d) => encodeDalyFrame(1, dataId, d))), {
            cellCount: count,
            temperatureSensorCount: count,
          });
          if (r.ok) expect(allFinite(r.value)).toBe(true);
          else expect(['missingFrame', 'truncated', 'implausible']).toContain(r.error.code);
        },
      ),
    );
  });

  it('refuses every single-byte corruption of a valid frame', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const frame = charging.slice();
        frame[index] = (frame[index]! + delta) & 0xff;
        expect(decodeDalyResponse(0x90, frame).ok).toBe(false);
      }),
    );
  });
});
