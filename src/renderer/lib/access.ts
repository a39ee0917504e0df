/**
 * Whether this screen may change settings, from GET /session: a viewer token may not; an operator token
 * may, once the kiosk PIN is entered where one is set. The server checks the PIN only when acting, so a
 * wrong one shows up on the first action (403 badPin) and sends the screen back to asking for it.
 */
import type { SessionResponse } from '../../shared/api';
import type { ApiFailure } from '../api/client';

export type Access =
  | { kind: 'checking' }
  | { kind: 'operator' }
  | { kind: 'viewer'; message: string }
  | { kind: 'needsPin'; message: string }
  | { kind: 'unknown'; message: string };

export const PIN_NEEDED = 'This screen needs the kiosk PIN to change settings.';
export const PIN_WRONG = 'The kiosk PIN was wrong: enter it again.';

/** `pinRefused`: the last PIN entered was refused by the server. */
export function accessFromSession(session: SessionResponse, pin: string | null, pinRefused = false): Access {
  if (session.role !== 'operator') return { kind: 'viewer', message: `token '${session.name}' is a viewer token` };
  if (session.pinRequired && !pin) return { kind: 'needsPin', message: pinRefused ? PIN_WRONG : PIN_NEEDED };
  return { kind: 'operator' };
}

/** A failed action that means the PIN in use was refused: forget it and ask again. */
export const isPinRefused = (error: ApiFailure): boolean => error.code === 'badPin';
