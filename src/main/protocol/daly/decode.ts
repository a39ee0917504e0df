/** One Daly reply (all its frames) -> named fields, for the data id that was requested. */
import { fail, ok, type Result } from '../../../shared/result.js';
import {
  decodeBalancing,
  decodeCellVoltageExtremes,
  decodeFailureStatus,
  decodeMosEcho,
  decodeMosStatus,
  decodePackStatus,
  decodeSetSocReply,
  decodeStatusInfo,
  decodeTemperatureExtremes,
} from './fields.js';
import { DALY_BMS_ADDRESS, DALY_FRAME_LENGTH, readDalyFrameAt, toHex } from './frame.js';
import { dalyLegacyColumns } from './legacy.js';
import { checkIdentity, decodeCellVoltages, decodeTemperatures, type FrameChecks } from './multi-frame.js';

export interface DalyDecodeOptions {
  /** From 0x94; needed to read a complete 0x95 reply. */
  cellCount?: number;
  /** From 0x94; selects the real sensors of a 0x96 reply. */
  temperatureSensorCount?: number;
  /** Flip the sign of currentA for firmware that reports it the other way round. */
  invertCurrent?: boolean;
  /** Address the BMS answers with, default 0x01; null accepts any (a request echoed back has 0x40/0x80). */
  bmsAddress?: number | null;
  /** Add `legacy`, the columns of the original installation's table (default true; the daemon stores its own tables). */
  legacy?: boolean;
}

type SingleFrameDecoder = (data: Uint8Array, options: DalyDecodeOptions) => Result<object>;

const SINGLE_FRAME: Record<number, SingleFrameDecoder> = {
  0x90: (d, o) => decodePackStatus(d, o.invertCurrent === true),
  0x91: (d) => decodeCellVoltageExtremes(d),
  0x92: (d) => decodeTemperatureExtremes(d),
  0x93: (d) => decodeMosStatus(d),
  0x94: (d) => decodeStatusInfo(d),
  0x97: (d) => decodeBalancing(d),
  0x98: (d) => decodeFailureStatus(d),
  0xd9: (d) => decodeMosEcho(d),
  0xda: (d) => decodeMosEcho(d),
  0x21: (d) => decodeSetSocReply(d),
};

function decodeSingleFrame(dataId: number, bytes: Uint8Array, checks: FrameChecks, options: DalyDecodeOptions): Result<Record<string, unknown>> {
  const read = readDalyFrameAt(bytes, 0);
  if (!read.ok) return read;
  if (bytes.length > DALY_FRAME_LENGTH) {
    return fail('trailingBytes', `${bytes.length - DALY_FRAME_LENGTH} bytes after the 13-byte frame`);
  }
  const checked = checkIdentity(read.value, checks, 0);
  if (!checked.ok) return checked;
  const decoder = SINGLE_FRAME[dataId];
  // Ids outside the documented set (0x50, 0x53, 0x57, ...) are passed on raw.
  const fields = decoder ? decoder(read.value.data, options) : ok({ dataHex: toHex(read.value.data) });
  if (!fields.ok) return fields;
  return ok({ address: read.value.address, ...fields.value });
}

/**
 * Decodes the reply to a request for `dataId`. For 0x95/0x96 `bytes` is every frame of the reply in
 * order. Never throws; bytes before the start flag are refused, not skipped (that is the assembler's job).
 */
export function decodeDalyResponse(dataId: number, bytes: Uint8Array, options: DalyDecodeOptions = {}): Result<Record<string, unknown>> {
  if (!Number.isInteger(dataId) || dataId < 0 || dataId > 0xff) return fail('badArgument', `data id ${dataId} is not a byte`);
  const checks: FrameChecks = { dataId, bmsAddress: options.bmsAddress === undefined ? DALY_BMS_ADDRESS : options.bmsAddress };
  let decoded: Result<Record<string, unknown>>;
  if (dataId === 0x95) decoded = decodeCellVoltages(bytes, checks, options.cellCount);
  else if (dataId === 0x96) decoded = decodeTemperatures(bytes, checks, options.temperatureSensorCount);
  else decoded = decodeSingleFrame(dataId, bytes, checks, options);
  if (!decoded.ok) return decoded;
  const { address, ...fields } = decoded.value;
  const out: Record<string, unknown> = { address, dataId, ...fields };
  // A lone 0x95 frame without the cell count is a fragment: it fills no row of the legacy table.
  const fragment = dataId === 0x95 && options.cellCount === undefined;
  const legacy = fragment || options.legacy === false ? {} : dalyLegacyColumns(dataId, out);
  if (Object.keys(legacy).length > 0) out.legacy = legacy;
  return ok(out);
}
