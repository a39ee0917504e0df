/** mbmd `/api/last` and `/api/avg` bodies (protocols.md §4) -> SDM230 fields named as in the register map. */
import { fail, ok, type Result } from '../../../shared/result.js';
import { SDM230_REGISTERS } from '../modbus/sdm230.js';

const FIELD_BY_KEY = new Map(SDM230_REGISTERS.map((r) => [r.mbmdKey, r.field]));

/** What mbmd answers (HTTP 400, plain text) when no meter responds. */
const INACTIVE = /^all meters are inactive$/i;

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A single-meter body is the meter's own object: it has readings or a time stamp at the top level. */
const isMeterObject = (o: JsonObject): boolean =>
  'Timestamp' in o || 'Unix' in o || Object.keys(o).some((k) => FIELD_BY_KEY.has(k) && !isObject(o[k]));

/**
 * Decodes one meter's readings from a body for all meters (keyed by meter id such as `SDM2301.1`) or
 * for one meter. Keys mbmd has not read yet are simply absent. Result: `deviceId`, `timestamp` (the
 * RFC 3339 text), `tsMs` (UTC ms) and one number per known measurement.
 */
export function decodeMbmdBody(text: string, deviceId: string): Result<Record<string, number | string>> {
  const trimmed = text.trim();
  if (INACTIVE.test(trimmed)) return fail('noData', 'mbmd: all meters are inactive');
  if (trimmed.length === 0) return fail('badJson', 'empty body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (err) {
    // mbmd prints a NaN reading as a bare NaN, which spoils the whole document.
    const hint = /\bNaN\b/.test(trimmed) ? ' (a reading was printed as NaN)' : '';
    return fail('badJson', `body is not JSON${hint}: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) return fail('badJson', 'body is JSON but not an object');
  let meter: unknown = Object.hasOwn(parsed, deviceId) ? parsed[deviceId] : undefined;
  if (meter === undefined && isMeterObject(parsed)) meter = parsed;
  if (meter === undefined) {
    const ids = Object.keys(parsed);
    return fail('missingDevice', `meter ${deviceId} is not in the body (it has ${ids.length > 0 ? ids.join(', ') : 'no meters'})`);
  }
  if (!isObject(meter)) return fail('unexpectedField', `meter ${deviceId} is not an object`);
  return decodeMeter(meter, deviceId);
}

function decodeMeter(meter: JsonObject, deviceId: string): Result<Record<string, number | string>> {
  const out: Record<string, number | string> = { deviceId };
  const timestamp = meter.Timestamp;
  if (timestamp !== undefined && typeof timestamp !== 'string') return fail('unexpectedField', 'Timestamp is not text');
  const unix = meter.Unix;
  if (unix !== undefined && (typeof unix !== 'number' || !Number.isFinite(unix))) return fail('unexpectedField', 'Unix is not a number');
  if (timestamp !== undefined) out.timestamp = timestamp;
  // The RFC 3339 text carries the sub-second part; Unix only whole seconds.
  const parsedMs = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  if (Number.isFinite(parsedMs)) out.tsMs = parsedMs;
  else if (unix !== undefined && Number.isFinite(unix * 1000)) out.tsMs = unix * 1000;
  let readings = 0;
  for (const [key, value] of Object.entries(meter)) {
    const field = FIELD_BY_KEY.get(key);
    if (field === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail('unexpectedField', `${key} is not a finite number`);
    out[field] = value;
    readings++;
  }
  if (readings === 0) return fail('noData', `meter ${deviceId} has no readings yet`);
  return ok(out);
}
