/** One Daly request/reply as an exchange: a read (one frame, or several for 0x95/0x96) or a MOS write echo. */
import type { Result } from '../../../shared/result.js';
import { DALY_BMS_ADDRESS, decodeDalyResponse, type DalyDecodeOptions } from '../../protocol/daly/index.js';
import type { Exchange, ExchangeStep } from '../core/request-queue.js';

const ADDRESS_OFFSET = 1;
const DATA_ID_OFFSET = 2;
const FRAME_NUMBER_OFFSET = 4;

export const dalyLabel = (dataId: number): string => `0x${dataId.toString(16).padStart(2, '0').toUpperCase()}`;

export interface DalyExchangeOptions {
  request: Uint8Array;
  dataId: number;
  decode: DalyDecodeOptions;
  timeoutMs: number;
  retries: number;
  priority?: 'high' | 'normal';
}

/** Frames of a multi-frame reply; null for single-frame ids. */
function framesNeeded(dataId: number, decode: DalyDecodeOptions): number | null {
  if (dataId === 0x95) return decode.cellCount ? Math.ceil(decode.cellCount / 3) : null;
  if (dataId === 0x96) return decode.temperatureSensorCount ? Math.ceil(decode.temperatureSensorCount / 7) : null;
  return null;
}

/**
 * Frames with another data id are the tail of an earlier reply, frames with the host's address are our
 * own request echoed by an RS-485 adapter: both are skipped. A multi-frame reply is
 * collected from its first frame until enough frames arrived; the codec then checks their numbering.
 */
export function dalyExchange(options: DalyExchangeOptions): Exchange<Record<string, unknown>> {
  const { dataId, decode } = options;
  const needed = framesNeeded(dataId, decode);
  let collected: Uint8Array[] = [];
  const decodeAll = (): Result<Record<string, unknown>> => {
    const bytes = new Uint8Array(collected.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const frame of collected) {
      bytes.set(frame, offset);
      offset += frame.length;
    }
    return decodeDalyResponse(dataId, bytes, decode);
  };
  return {
    label: dalyLabel(dataId),
    request: options.request,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    priority: options.priority ?? 'normal',
    // A 16-frame BMS keeps sending after the frames a 16S pack needs; let it finish before the next request.
    settleMs: needed === null ? 0 : 30,
    accept(frame): ExchangeStep<Record<string, unknown>> {
      if (frame[DATA_ID_OFFSET] !== dataId || frame[ADDRESS_OFFSET] !== DALY_BMS_ADDRESS) return { kind: 'more' };
      if (needed === null) return { kind: 'done', result: decodeDalyResponse(dataId, frame, decode) };
      const number = frame[FRAME_NUMBER_OFFSET];
      // A frame numbered first starts the reply over: what came before belonged to an earlier one.
      if (number === 0 || number === 1) collected = [];
      collected.push(frame);
      if (collected.length < needed) return { kind: 'more' };
      const result = decodeAll();
      collected = [];
      return { kind: 'done', result };
    },
  };
}
