import { describe, expect, it } from 'vitest';
import { decodeResponse } from './decode.js';
import { encodeResponse } from './reply-frame.js';

const QPIGS_21 = '227.2 50.0 230.3 50.0 0829 0751 010 447 54.50 020 083 0054 02.7 323.6 00.00 00000 00010110 00 00 00879 010';
const QPIRI_25 = '230.0 21.7 230.0 50.0 21.7 5000 4000 48.0 46.0 42.0 56.4 54.0 0 10 010 1 0 0 6 01 0 0 54.0 0 1';

const decode = (command: string, payload: string, options = {}) => decodeResponse(command, encodeResponse(payload), options);
const value = (command: string, payload: string, options = {}): Record<string, unknown> => {
  const result = decode(command, payload, options);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
};
const errorOf = (command: string, payload: string): string => {
  const result = decode(command, payload);
  return result.ok ? 'decoded' : `${result.error.code}: ${result.error.message}`;
};
const replaceField = (payload: string, index: number, token: string): string =>
  payload
    .split(' ')
    .map((f, i) => (i === index ? token : f))
    .join(' ');

describe('field shapes', () => {
  it('refuses a non-numeric value in a numeric field and names the field', () => {
    expect(errorOf('QPIGS', replaceField(QPIGS_21, 8, '5x.50'))).toMatch(/^unexpectedField: .*batteryVoltageV/);
    expect(errorOf('QPIGS', replaceField(QPIGS_21, 8, '54,50'))).toMatch(/^unexpectedField/);
    expect(errorOf('QPIGS', replaceField(QPIGS_21, 16, '0001011'))).toMatch(/^unexpectedField: .*deviceStatusBits/);
    expect(errorOf('QPIRI', replaceField(QPIRI_25, 19, 'x1'))).toMatch(/^unexpectedField: .*machineType/);
  });

  it('refuses an empty field from a doubled space', () => {
    expect(errorOf('QPIGS', QPIGS_21.replace(' 50.0 ', '  50.0 '))).toMatch(/^unexpectedField/);
  });

  it('refuses too few fields', () => {
    const sixteen = QPIGS_21.split(' ').slice(0, 16).join(' ');
    expect(errorOf('QPIGS', sixteen)).toMatch(/^unexpectedField: .*16 fields/);
    expect(errorOf('QPIRI', QPIRI_25.split(' ').slice(0, 24).join(' '))).toMatch(/^unexpectedField/);
  });

  it('decodes the 17-field HS/MS layout, which ends with the status bits', () => {
    const v = value('QPIGS', QPIGS_21.split(' ').slice(0, 17).join(' '));
    expect(v.fieldCount).toBe(17);
    expect(v.batteryVoltageV).toBe(54.5);
    expect(v).not.toHaveProperty('pvChargingPowerW');
    expect(v).not.toHaveProperty('deviceStatus2');
  });

  it('keeps unknown trailing fields raw', () => {
    const v = value('QPIGS', `${QPIGS_21} 0 00 0000 12 ABC`);
    expect(v.fieldCount).toBe(26);
    expect(v.solarFeedToGridPowerW).toBe(0);
    expect(v.extraFields).toEqual(['12', 'ABC']);
  });

  it('decodes - and ---.- as null, never dropping or shifting the field', () => {
    const v = value('QPIGS', replaceField(QPIGS_21, 0, '---.-'));
    expect(v.gridVoltageV).toBeNull();
    expect(v.gridFrequencyHz).toBe(50);
    const q = value('QPIRI', replaceField(QPIRI_25, 18, '-'));
    expect(q.parallelMaxNumber).toBeNull();
    expect(q.machineType).toBe('01');
  });

  it('reads a negative temperature', () => {
    expect(value('QPIGS', replaceField(QPIGS_21, 11, '-005')).heatSinkTemperatureC).toBe(-5);
  });

  it('scales the fan offset from 10 mV units to V', () => {
    expect(value('QPIGS', replaceField(QPIGS_21, 17, '05')).fanOffsetVoltageV).toBeCloseTo(0.05, 9);
  });
});

describe('enumerations', () => {
  it('keeps a code outside the documented set as the number, named unknown', () => {
    const v = value('QPIRI', replaceField(replaceField(QPIRI_25, 17, '4'), 12, '12'));
    expect([v.chargerSourcePriority, v.chargerSourcePriorityName]).toEqual([4, 'unknown']);
    expect([v.batteryType, v.batteryTypeName]).toEqual([12, 'unknown']);
    expect(value('QMOD', 'Z')).toMatchObject({ mode: 'Z', modeName: 'unknown' });
    expect(value('Q1', '00000 00000 01 01 00 059 045 053 068 00 00 000 0040 0580 0000 50.00 17').inverterChargeStatusName).toBe('unknown');
  });

  it('names charger priority by PCP numbering by default, by LCD menu order on request', () => {
    const payload = replaceField(QPIRI_25, 17, '1');
    expect(value('QPIRI', payload).chargerSourcePriorityName).toBe('solarFirst');
    expect(value('QPIRI', payload, { chargerPriorityTable: 'lcdMenu' }).chargerSourcePriorityName).toBe('solarAndUtility');
    expect(value('QPIRI', replaceField(QPIRI_25, 17, '3'), { chargerPriorityTable: 'lcdMenu' }).chargerSourcePriorityName).toBe('unknown');
    const misconfigured = decode('QPIRI', QPIRI_25, { chargerPriorityTable: 'menu' });
    expect(misconfigured.ok ? 'decoded' : misconfigured.error.code).toBe('badArgument');
  });

  it('names the MK/MAX extensions only when they fit, otherwise keeps them raw', () => {
    expect(value('QPIRI', `${QPIRI_25} 480 0 070`)).toMatchObject({ maxChargingTimeAtCvMin: 480, operationLogic: 0, maxDischargingCurrentA: 70 });
    const v = value('QPIRI', `${QPIRI_25} 23.5 12 22.0`);
    expect(v.extraFields).toEqual(['23.5', '12', '22.0']);
    expect(v).not.toHaveProperty('maxChargingTimeAtCvMin');
  });
});

describe('QPIWS', () => {
  const bits = (...set: number[]): string => Array.from({ length: 36 }, (_, i) => (set.includes(i) ? '1' : '0')).join('');

  it('counts over-temperature as a fault only together with the inverter-fault bit', () => {
    expect(value('QPIWS', bits(9))).toMatchObject({ faults: [], warnings: ['overTemperature'], severity: 'warning', legacyStatus: 'WARNING!' });
    expect(value('QPIWS', bits(1, 9))).toMatchObject({ faults: ['inverterFault', 'overTemperature'], severity: 'fault', legacyStatus: 'FAULT!!!' });
  });

  it('names every bit, including the information-only ones past 29', () => {
    const v = value('QPIWS', `${bits(13, 30, 33, 35)}11`);
    expect(v.activeFlags).toEqual(['reserved13', 'bit30', 'lowPvEnergy', 'batteryEqualization', 'bit36', 'bit37']);
    expect(v).toMatchObject({ severity: 'ok', legacyStatus: 'OK', bitCount: 38 });
  });

  it('refuses a bit string of the wrong shape', () => {
    expect(errorOf('QPIWS', '0'.repeat(31))).toMatch(/^unexpectedField/);
    expect(errorOf('QPIWS', `${'0'.repeat(35)}2`)).toMatch(/^unexpectedField/);
  });
});

describe('other replies', () => {
  it('decodes QPIGS2 under both spellings, and leaves the uncaptured 13-field layout raw', () => {
    expect(value('QPIGS 2', '03.1 327.3 01026 ')).toMatchObject({ pv2InputCurrentA: 3.1, pv2InputVoltageV: 327.3, pv2ChargingPowerW: 1026 });
    const wide = value('QPIGS2', Array.from({ length: 13 }, () => '00').join(' '));
    expect(wide).toMatchObject({ fieldCount: 13 });
    expect(wide).not.toHaveProperty('pv2InputCurrentA');
  });

  it('decodes QPGSn for any n, and only n = 0..9', () => {
    const payload = '1 92931701100510 B 00 000.0 00.00 230.6 50.00 0275 0141 005 51.4 001 100 083.3 002 00574 00312 003 10110110 1 2 060 120 10 04 000';
    expect(value('QPGS7', payload)).toMatchObject({ parallelUnitExists: true, inverterStatus: { batteryStatus: 'open' } });
    expect(value('QPGS10', payload)).toHaveProperty('rawFields');
  });

  it('answers a setting command with ack, and refuses anything else as its reply', () => {
    expect(value('PBFT53.7', 'ACK')).toEqual({ ack: true, crcRawHex: '3920', crcOnWireHex: '3920' });
    expect(errorOf('POP02', 'B')).toMatch(/^unexpectedField/);
    expect(errorOf('POP02', 'NAK')).toMatch(/^nak/);
  });

  it('returns the fields of an unknown command raw', () => {
    expect(value('QBEQI', '1 060 030 100 030 58.40 000 120 0 0000').rawFields).toHaveLength(10);
    expect(value('QXYZ', '')).toMatchObject({ rawFields: [] });
  });

  it('refuses identity replies of the wrong shape', () => {
    expect(errorOf('QT', '20211326122606')).toMatch(/^unexpectedField/);
    expect(errorOf('QSID', '20123')).toMatch(/^unexpectedField/);
    expect(errorOf('QPI', 'PX30')).toMatch(/^unexpectedField/);
    expect(errorOf('QMOD', 'BL')).toMatch(/^unexpectedField/);
    expect(errorOf('QFLAG', 'EabcXd')).toMatch(/^unexpectedField/);
    expect(errorOf('QMCHGCR', '010 02O')).toMatch(/^unexpectedField/);
  });

  it('reports an unreported SCC firmware as null and keeps undocumented QFLAG letters', () => {
    expect(value('QVFW2', 'VERFW2:00000.00').sccFirmwareVersion).toBeNull();
    expect(value('QVFW2', 'VERFW2:00041.17').sccFirmwareVersion).toBe('00041.17');
    expect(value('QFLAG', 'EgDa').flags).toEqual({ flag_g: true, buzzer: false });
  });
});

describe('legacy columns', () => {
  it('come with a reply unless asked not to, and the fields stay the same', () => {
    const withLegacy = value('QPIGS', QPIGS_21);
    expect(withLegacy.legacy).toMatchObject({ var9: 54.5 });
    const without = value('QPIGS', QPIGS_21, { legacy: false });
    expect(without).not.toHaveProperty('legacy');
    const { legacy: _dropped, ...fields } = withLegacy;
    expect(without).toEqual(fields);
  });
});
