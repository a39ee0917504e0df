/** Identity replies: QPI, QID, QSID, QVFW/QVFW2/QVFW3, QMN, QGMN, QT (protocols.md §1.5). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { describeBytes } from './text.js';

type Decoder = (payload: string) => Result<Record<string, unknown>>;

const mismatch = (command: string, payload: string, expected: string): Result<never> =>
  fail('unexpectedField', `${command} reply ${describeBytes(payload)} is not ${expected}`);

const decodeQpi: Decoder = (p) => (/^PI\d\d$/.test(p) ? ok({ protocolId: p }) : mismatch('QPI', p, 'PI + two digits'));

const decodeQid: Decoder = (p) => (/^[0-9A-Za-z]{1,32}$/.test(p) ? ok({ serialNumber: p }) : mismatch('QID', p, 'a serial number'));

/** Two-digit length, the serial number of that length, then padding. */
const decodeQsid: Decoder = (p) => {
  const match = /^(\d\d)([0-9A-Za-z]*)$/.exec(p);
  const length = match ? Number(match[1]) : 0;
  const rest = match?.[2] ?? '';
  if (length === 0 || rest.length < length) return mismatch('QSID', p, 'a two-digit length followed by a serial number that long');
  return ok({ serialNumber: rest.slice(0, length), raw: p });
};

const VERSION = '([0-9A-Fa-f]{1,8}\\.[0-9A-Fa-f]{1,4})';

function versionDecoder(command: string, prefix: string, field: string, zeroIsAbsent: boolean): Decoder {
  const shape = new RegExp(`^${prefix}:${VERSION}$`);
  return (p) => {
    const version = shape.exec(p)?.[1];
    if (version === undefined) return mismatch(command, p, `${prefix}:nnnnn.nn`);
    return ok({ [field]: zeroIsAbsent && /^[0.]+$/.test(version) ? null : version });
  };
}

const decodeQmn: Decoder = (p) => (/^[\x21-\x7e][\x20-\x7e]{0,39}$/.test(p) ? ok({ modelName: p.trimEnd() }) : mismatch('QMN', p, 'a model name'));

const decodeQgmn: Decoder = (p) => (/^\d{1,6}$/.test(p) ? ok({ generalModelNumber: p }) : mismatch('QGMN', p, 'digits'));

/** YYYYMMDDhhmmss, the unit's local time without a zone: kept as local ISO text, not converted. */
const decodeQt: Decoder = (p) => {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(p);
  if (!m) return mismatch('QT', p, 'YYYYMMDDhhmmss');
  const [, year, month, day, hour, minute, second] = m as unknown as string[];
  if (!inRange(month, 1, 12) || !inRange(day, 1, 31) || !inRange(hour, 0, 23) || !inRange(minute, 0, 59) || !inRange(second, 0, 59)) {
    return mismatch('QT', p, 'a valid date and time');
  }
  return ok({ deviceTime: `${year}-${month}-${day}T${hour}:${minute}:${second}` });
};

const inRange = (text: string | undefined, min: number, max: number): boolean => Number(text) >= min && Number(text) <= max;

export const IDENTITY_DECODERS: Readonly<Record<string, Decoder>> = {
  QPI: decodeQpi,
  QID: decodeQid,
  QSID: decodeQsid,
  QVFW: versionDecoder('QVFW', 'VERFW', 'firmwareVersion', false),
  // 00000.00 = the charge controller did not report a version.
  QVFW2: versionDecoder('QVFW2', 'VERFW2', 'sccFirmwareVersion', true),
  // Remote panel (MAX) or second charge controller (2015 document): the name stays neutral.
  QVFW3: versionDecoder('QVFW3', 'VERFW3', 'firmwareVersion3', true),
  QMN: decodeQmn,
  QGMN: decodeQgmn,
  QT: decodeQt,
};
