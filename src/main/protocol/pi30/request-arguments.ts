/**
 * The shape of setting-command arguments as the firmware parses them (protocols.md §1.6). Only the
 * shape: whether 58.4 V is allowed is the setting builders' and the command queue's business.
 */
import { fail, ok, type Result } from '../../../shared/result.js';

interface ArgumentShape {
  prefix: string;
  shape: RegExp;
  expected: string;
}

const VOLTAGE = { shape: /^\d\d\.\d$/, expected: 'nn.n (two digits, a point, one digit)' };
const TWO_DIGITS = { shape: /^\d\d$/, expected: 'two digits' };
const UNIT_AND_AMPS = { shape: /^\d{3}$/, expected: 'three digits (parallel unit + two-digit amps)' };

// Longest prefix first, so PCVV is not mistaken for PCP and MNCHGC not for MCHGC.
const SHAPES: readonly ArgumentShape[] = [
  { prefix: 'MNCHGC', shape: /^\d{4}$/, expected: 'four digits (parallel unit + three-digit amps)' },
  { prefix: 'MUCHGC', ...UNIT_AND_AMPS },
  { prefix: 'MCHGC', ...UNIT_AND_AMPS },
  { prefix: 'PPCP', shape: /^\d{3}$/, expected: 'three digits (parallel unit + two-digit priority)' },
  { prefix: 'PCVV', ...VOLTAGE },
  { prefix: 'PBFT', ...VOLTAGE },
  { prefix: 'PBCV', ...VOLTAGE },
  { prefix: 'PBDV', ...VOLTAGE },
  { prefix: 'PSDV', ...VOLTAGE },
  { prefix: 'POP', ...TWO_DIGITS },
  { prefix: 'PCP', ...TWO_DIGITS },
  { prefix: 'PBT', ...TWO_DIGITS },
  { prefix: 'PGR', ...TWO_DIGITS },
  { prefix: 'PE', shape: /^[a-z]+$/, expected: 'flag letters a-z' },
  { prefix: 'PD', shape: /^[a-z]+$/, expected: 'flag letters a-z' },
  { prefix: 'PF', shape: /^$/, expected: 'no argument' },
  { prefix: 'F', shape: /^(50|60)$/, expected: '50 or 60' },
];

/** Is `commandText` a known setting command with a well-formed argument? Queries and unknown commands pass. */
export function checkCommandArguments(commandText: string): Result<void> {
  const known = SHAPES.find((s) => commandText.startsWith(s.prefix));
  if (!known) return ok(undefined);
  const argument = commandText.slice(known.prefix.length);
  if (known.shape.test(argument)) return ok(undefined);
  return fail('badArgument', `${known.prefix} argument "${argument}" is malformed: expected ${known.expected}`);
}

/** Setting commands answer only ACK or NAK. */
export const isSettingCommand = (commandText: string): boolean => SHAPES.some((s) => commandText.startsWith(s.prefix));
