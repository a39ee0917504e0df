/** decodeResponse: the one entry the CLI and the inverter driver call for a PI30 reply. */
import { fail, ok, type Result } from '../../../shared/result.js';
import type { ChargerPriorityTable } from './enums.js';
import { splitFields } from './fields.js';
import { IDENTITY_DECODERS } from './identity.js';
import { legacyRow } from './legacy.js';
import { decodeQ1 } from './q1.js';
import { decodeQdi } from './qdi.js';
import { decodeQpgs, isQpgsCommand } from './qpgs.js';
import { decodeQpigs, decodeQpigs2 } from './qpigs.js';
import { decodeQpiri } from './qpiri.js';
import { decodeQpiws } from './qpiws.js';
import { parseReplyFrame } from './reply-frame.js';
import { isSettingCommand } from './request-arguments.js';
import { decodeCurrentOptions, decodeQflag, decodeQmod } from './status.js';
import { describeBytes } from './text.js';

export interface Pi30DecodeOptions {
  /** How the unit numbers QPIRI chargerSourcePriority; default `pcp`. See CHARGER_PRIORITY_TABLES. */
  chargerPriorityTable?: ChargerPriorityTable;
  /** Add `legacy`, the row of the original installation's table (default true; the daemon stores its own tables). */
  legacy?: boolean;
}

type PayloadDecoder = (payload: string, options: Pi30DecodeOptions) => Result<object>;

const QUERY_DECODERS: Readonly<Record<string, PayloadDecoder>> = {
  QPIGS: (p) => decodeQpigs(splitFields(p)),
  QPIGS2: (p) => decodeQpigs2(splitFields(p)),
  'QPIGS 2': (p) => decodeQpigs2(splitFields(p)),
  QPIRI: (p, o) => decodeQpiri(splitFields(p), o.chargerPriorityTable),
  QMOD: (p) => decodeQmod(p),
  QPIWS: (p) => decodeQpiws(p),
  Q1: (p) => decodeQ1(splitFields(p)),
  QFLAG: (p) => decodeQflag(p),
  QDI: (p) => decodeQdi(splitFields(p)),
  QMCHGCR: (p) => decodeCurrentOptions('QMCHGCR', p),
  QMUCHGCR: (p) => decodeCurrentOptions('QMUCHGCR', p),
  ...IDENTITY_DECODERS,
};

function decoderFor(command: string): PayloadDecoder {
  const query = Object.hasOwn(QUERY_DECODERS, command) ? QUERY_DECODERS[command] : undefined;
  if (query) return query;
  if (isQpgsCommand(command)) return (p) => decodeQpgs(command, splitFields(p));
  if (isSettingCommand(command)) return decodeAck(command);
  // Unknown commands are still valid exchanges; a bare ACK is the answer to some setting we do not know.
  return (p) => ok(p === 'ACK' ? { ack: true } : { rawFields: splitFields(p) });
}

const decodeAck =
  (command: string): PayloadDecoder =>
  (payload) =>
    payload === 'ACK' ? ok({ ack: true }) : fail('unexpectedField', `${command} is a setting: its reply must be ACK or NAK, not ${describeBytes(payload)}`);

/**
 * Decode the reply to `command` (the command text as sent, e.g. `QPIGS`, `QPGS0`, `POP02`). Checks the
 * frame (start byte, terminator, CRC raw or bumped), refuses `(NAK` with `nak`, decodes the fields by
 * position with their shapes checked, and adds `crcRawHex`, `crcOnWireHex` and, for the tables of the
 * original installation, `legacy`. Total: any bytes give a value or a typed error.
 */
export function decodeResponse(command: string, frame: Uint8Array, options: Pi30DecodeOptions = {}): Result<Record<string, unknown>> {
  const reply = parseReplyFrame(frame);
  if (!reply.ok) return reply;
  const decoded = decoderFor(command)(reply.value.payload, options);
  if (!decoded.ok) return decoded;
  const result: Record<string, unknown> = { ...decoded.value, crcRawHex: reply.value.crcRawHex, crcOnWireHex: reply.value.crcOnWireHex };
  const legacy = options.legacy === false ? undefined : legacyRow(command, frame);
  if (legacy !== undefined) result.legacy = legacy;
  return ok(result);
}
