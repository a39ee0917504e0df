/** QMOD, QFLAG and QMCHGCR/QMUCHGCR replies (protocols.md §1.5). */
import { fail, ok, type Result } from '../../../shared/result.js';
import { MODE_NAMES } from './enums.js';
import { splitFields } from './fields.js';
import { describeBytes } from './text.js';

export interface QmodReading {
  mode: string;
  /** `unknown` for a letter outside the documented set. */
  modeName: string;
}

export function decodeQmod(payload: string): Result<QmodReading> {
  if (!/^[A-Z]$/.test(payload)) return fail('unexpectedField', `QMOD reply ${describeBytes(payload)} is not one mode letter`);
  return ok({ mode: payload, modeName: MODE_NAMES[payload] ?? 'unknown' });
}

const FLAG_NAMES: Readonly<Record<string, string>> = {
  a: 'buzzer',
  b: 'overloadBypass',
  d: 'solarFeedToGrid',
  j: 'powerSaving',
  k: 'lcdEscapeToDefault',
  l: 'dataLogPopup',
  u: 'overloadRestart',
  v: 'overTemperatureRestart',
  x: 'backlight',
  y: 'primarySourceInterruptAlarm',
  z: 'faultCodeRecord',
};

/** QFLAG letter -> flag name; undocumented letters are `flag_<letter>`. */
export const qflagName = (letter: string): string => FLAG_NAMES[letter] ?? `flag_${letter}`;

/** The PE/PD letter of a named flag. */
export const QFLAG_LETTERS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(FLAG_NAMES).map(([letter, name]) => [name, letter]));

export interface QflagReading {
  enabledLetters: string;
  disabledLetters: string;
  /** Only the letters the unit reported. */
  flags: Record<string, boolean>;
}

export function decodeQflag(payload: string): Result<QflagReading> {
  const match = /^E([a-z]*)D([a-z]*)$/.exec(payload);
  if (!match) return fail('unexpectedField', `QFLAG reply ${describeBytes(payload)} is not E<letters>D<letters>`);
  const enabledLetters = match[1] as string;
  const disabledLetters = match[2] as string;
  const flags: Record<string, boolean> = {};
  for (const letter of disabledLetters) flags[qflagName(letter)] = false;
  for (const letter of enabledLetters) flags[qflagName(letter)] = true;
  return ok({ enabledLetters, disabledLetters, flags });
}

/** QMCHGCR / QMUCHGCR: the charging currents MCHGC / MUCHGC accept. */
export function decodeCurrentOptions(command: string, payload: string): Result<{ optionsA: number[] }> {
  const fields = splitFields(payload);
  const bad = fields.find((f) => !/^\d{1,4}$/.test(f));
  if (fields.length === 0 || bad !== undefined) {
    return fail('unexpectedField', `${command} reply ${describeBytes(payload)} is not a list of amps`);
  }
  return ok({ optionsA: fields.map(Number) });
}
