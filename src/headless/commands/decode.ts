/**
 * `voltmon decode <pi30|daly|sdm230> <COMMAND> <frame>`: one device frame to JSON (DESIGN.md §3).
 * Exit 0 with the fields on stdout; 1 with a one-line reason on stderr for a bad frame; 2 for a bad command line.
 */
import { parseArgs } from 'node:util';
import { decodeDalyResponse } from '../../main/protocol/daly/index.js';
import { decodeReadInputRegistersResponse } from '../../main/protocol/modbus/index.js';
import { decodeResponse as decodePi30, readReplyFrame } from '../../main/protocol/pi30/index.js';
import type { Result } from '../../shared/result.js';
import { parseFrameText } from '../frame-text.js';
import { usageReporter, parseWholeNumber } from '../cli-args.js';

const USAGE =
  'usage: voltmon decode <pi30|daly|sdm230> <COMMAND> <frame> [--cells N] [--sensors N] [--start REG]\n' +
  '  frame: hex (any case, spaces allowed); pi30 also ASCII with \\r and \\xNN escapes\n' +
  '  daly COMMAND is the data id (0x90..0x98, 0xD9, 0xDA); sdm230 COMMAND is "read" with --start REG\n';

const usageError = usageReporter('decode', USAGE);

/** A NAK is a well-formed reply that says "refused": shown as such, not as a broken frame. */
function decodePi30Reply(command: string, bytes: Uint8Array): Result<unknown> {
  const result = decodePi30(command, bytes);
  if (result.ok || result.error.code !== 'nak') return result;
  const frame = readReplyFrame(bytes);
  if (!frame.ok) return frame;
  return { ok: true, value: { nak: true, crcRawHex: frame.value.crcRawHex, crcOnWireHex: frame.value.crcOnWireHex } };
}

/** Without --start the registers cannot be named: give the raw registers and floats only. */
function decodeSdm230(bytes: Uint8Array, start: number | undefined): Result<unknown> {
  const result = decodeReadInputRegistersResponse(bytes, { start: start ?? 0 });
  if (!result.ok || start !== undefined) return result;
  const { fields: _unnamed, ...rest } = result.value;
  return { ok: true, value: rest };
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { cells: { type: 'string' }, sensors: { type: 'string' }, start: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [protocol, command, ...frameParts] = parsed.positionals;
  if (!protocol || !command || frameParts.length === 0) return usageError('expected a protocol, a command and a frame');
  const options: Record<'cells' | 'sensors' | 'start', number | undefined> = { cells: undefined, sensors: undefined, start: undefined };
  for (const key of ['cells', 'sensors', 'start'] as const) {
    const text = parsed.values[key];
    if (text === undefined) continue;
    const value = parseWholeNumber(text);
    if (value === null) return usageError(`--${key}: got "${text}", expected a whole number (decimal or 0x hex)`);
    options[key] = value;
  }

  const frame = parseFrameText(frameParts.join(' '), { allowAscii: protocol === 'pi30' });
  if (!frame.ok) return usageError(frame.message);

  let result: Result<unknown>;
  switch (protocol) {
    case 'pi30':
      result = decodePi30Reply(command, frame.bytes);
      break;
    case 'daly': {
      const dataId = parseWholeNumber(command);
      if (dataId === null || dataId > 0xff) return usageError(`daly COMMAND: got "${command}", expected a data id such as 0x90`);
      result = decodeDalyResponse(dataId, frame.bytes, { cellCount: options.cells, temperatureSensorCount: options.sensors });
      break;
    }
    case 'sdm230':
      if (command !== 'read') return usageError(`sdm230 COMMAND: got "${command}", expected "read"`);
      result = decodeSdm230(frame.bytes, options.start);
      break;
    default:
      return usageError(`unknown protocol "${protocol}"`);
  }
  if (!result.ok) {
    process.stderr.write(`${protocol} ${command}: ${result.error.code}: ${result.error.message.replace(/\s+/g, ' ')}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify(result.value)}\n`);
  return 0;
}
