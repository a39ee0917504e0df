/**
 * Positional field decoding shared by the PI30 replies (protocols.md §1.4): split on single spaces,
 * check every field's shape, decode the documented prefix, keep unknown trailing fields raw.
 */
import { fail, ok, type Result } from '../../../shared/result.js';
import { describeBytes } from './text.js';

export type FieldValue = number | string | boolean | null;

/** Sentinel for "this token does not have the field's shape"; cheaper than a Result per field. */
export const INVALID: unique symbol = Symbol('invalid');
export type Parse = (token: string) => FieldValue | typeof INVALID;

export interface FieldSpec {
  name: string;
  parse: Parse;
  /** What the field should look like, for the error message. */
  shape: string;
}

// Bounded digit counts keep every value finite; real fields are at most 6 digits wide.
const UNSIGNED = /^\d{1,9}(\.\d{1,9})?$/;
const SIGNED = /^-?\d{1,9}(\.\d{1,9})?$/;
const DIGITS = /^\d{1,9}$/;
// Digit text (serial numbers, codes) never becomes a number, so its length is only loosely bounded.
const DIGIT_TEXT = /^\d{1,32}$/;
// `-` or `---.-`: the unit does not have this field.
const ABSENT = /^-+(\.-+)?$/;

const unsigned: Parse = (t) => (UNSIGNED.test(t) ? Number(t) : ABSENT.test(t) ? null : INVALID);
const signed: Parse = (t) => (SIGNED.test(t) ? Number(t) : ABSENT.test(t) ? null : INVALID);
const integer: Parse = (t) => (DIGITS.test(t) ? Number(t) : ABSENT.test(t) ? null : INVALID);
const digitText: Parse = (t) => (DIGIT_TEXT.test(t) ? t : INVALID);
const text: Parse = (t) => (/^[\x21-\x7e]+$/.test(t) ? t : INVALID);
const flag: Parse = (t) => (t === '1' ? true : t === '0' ? false : INVALID);
const bits =
  (count: number): Parse =>
  (t) =>
    t.length === count && /^[01]+$/.test(t) ? t : INVALID;
const scaled =
  (factor: number): Parse =>
  (t) => {
    const value = unsigned(t);
    return typeof value === 'number' ? Math.round(value * factor * 1e6) / 1e6 : value;
  };

/** Field constructors: `num('batteryVoltageV')` etc. */
export const num = (name: string): FieldSpec => ({ name, parse: unsigned, shape: 'a number (digits, optional decimals) or -' });
export const signedNum = (name: string): FieldSpec => ({ name, parse: signed, shape: 'a signed number or -' });
export const int = (name: string): FieldSpec => ({ name, parse: integer, shape: 'an integer or -' });
export const digits = (name: string): FieldSpec => ({ name, parse: digitText, shape: 'digits (kept as text)' });
export const textField = (name: string): FieldSpec => ({ name, parse: text, shape: 'printable text' });
export const flag01 = (name: string): FieldSpec => ({ name, parse: flag, shape: '0 or 1' });
export const bitString = (name: string, count: number): FieldSpec => ({ name, parse: bits(count), shape: `${count} characters 0/1` });
/** A number sent in other units than its name's, e.g. 10 mV steps for a field in V. */
export const scaledNum = (name: string, factor: number): FieldSpec => ({ name, parse: scaled(factor), shape: 'a number or -' });
export const letter = (name: string): FieldSpec => ({ name, parse: (t) => (/^[A-Z]$/.test(t) ? t : INVALID), shape: 'one capital letter' });

/** Split a payload into fields. A single trailing space (QPIGS2 sends one before its CRC) is not a field. */
export function splitFields(payload: string): string[] {
  if (payload.length === 0) return [];
  const body = payload.endsWith(' ') ? payload.slice(0, -1) : payload;
  return body.split(' ');
}

export interface Decoded {
  values: Record<string, FieldValue>;
  /** Fields beyond the specs, raw. Empty when there are none. */
  extraFields: string[];
}

/**
 * Decode fields[i] with specs[i]. Fewer than `minFields` fields, or any field of the wrong shape, is
 * `unexpectedField`. Fields past the specs are returned raw.
 */
export function decodePositional(command: string, fields: readonly string[], specs: readonly FieldSpec[], minFields: number): Result<Decoded> {
  if (fields.length < minFields) {
    return fail('unexpectedField', `${command} reply has ${fields.length} fields; at least ${minFields} expected`);
  }
  const values: Record<string, FieldValue> = {};
  const known = Math.min(fields.length, specs.length);
  for (let i = 0; i < known; i++) {
    const spec = specs[i] as FieldSpec;
    const token = fields[i] as string;
    const value = spec.parse(token);
    if (value === INVALID) return fieldError(command, i, spec, token);
    values[spec.name] = value;
  }
  return ok({ values, extraFields: fields.slice(known) });
}

export function fieldError(command: string, index: number, spec: FieldSpec, token: string): Result<never> {
  return fail('unexpectedField', `${command} field ${index} (${spec.name}) is ${describeBytes(token)}; expected ${spec.shape}`);
}

/** Name an enumeration code; codes outside the table are kept as numbers and named `unknown` (§1.4). */
export function enumName(names: readonly string[], code: FieldValue | undefined): string | null {
  if (code === null || code === undefined) return null;
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < names.length ? (names[code] as string) : 'unknown';
}

/** One boolean per character of a bit string, `names[0]` for the first character. */
export function namedBits(bitText: string, names: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  names.forEach((name, i) => {
    out[name] = bitText[i] === '1';
  });
  return out;
}
