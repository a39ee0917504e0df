/**
 * The kiosk PIN: when the config sets `api.kioskPin`, a control action needs it too (header
 * `X-Voltmon-Pin`). Compared in constant time over digests so neither content nor length leaks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type PinCheck = { ok: true } | { ok: false; reason: 'pinRequired' | 'pinWrong'; message: string };

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function checkControlPin(requiredPin: string | undefined, supplied: string | string[] | undefined): PinCheck {
  if (requiredPin === undefined || requiredPin === '') return { ok: true };
  const given = Array.isArray(supplied) ? supplied[0] : supplied;
  if (given === undefined || given === '') return { ok: false, reason: 'pinRequired', message: 'this screen needs a PIN for control actions' };
  return timingSafeEqual(digest(requiredPin), digest(given))
    ? { ok: true }
    : { ok: false, reason: 'pinWrong', message: 'wrong PIN' };
}
