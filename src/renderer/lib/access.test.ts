import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../api/client';
import { accessFromSession, isPinRefused, PIN_NEEDED, PIN_WRONG } from './access';

describe('access from GET /session', () => {
  it('disables the controls for a viewer token, naming it', () => {
    const access = accessFromSession({ name: 'hall-display', role: 'viewer', pinRequired: false }, null);
    expect(access.kind).toBe('viewer');
    expect(access.kind === 'viewer' && access.message).toContain('hall-display');
  });

  it('enables them for an operator when no PIN is set', () => {
    expect(accessFromSession({ name: 'phone', role: 'operator', pinRequired: false }, null)).toEqual({ kind: 'operator' });
  });

  it('asks an operator for the kiosk PIN until one is entered', () => {
    expect(accessFromSession({ name: 'kiosk', role: 'operator', pinRequired: true }, null)).toEqual({ kind: 'needsPin', message: PIN_NEEDED });
    expect(accessFromSession({ name: 'kiosk', role: 'operator', pinRequired: true }, '')).toMatchObject({ kind: 'needsPin' });
    expect(accessFromSession({ name: 'kiosk', role: 'operator', pinRequired: true }, '4711')).toEqual({ kind: 'operator' });
  });

  it('asks again, saying why, after the server refused the PIN', () => {
    expect(accessFromSession({ name: 'kiosk', role: 'operator', pinRequired: true }, null, true)).toEqual({ kind: 'needsPin', message: PIN_WRONG });
  });

  it('does not let a PIN make a viewer token an operator', () => {
    expect(accessFromSession({ name: 'hall', role: 'viewer', pinRequired: true }, '4711').kind).toBe('viewer');
  });

  it('recognises a refused PIN, and only that, among failed actions', () => {
    const failure = (code: string | null): ApiFailure => ({ kind: 'forbidden', status: 403, code, message: 'x' });
    expect(isPinRefused(failure('badPin'))).toBe(true);
    expect(isPinRefused(failure('forbidden'))).toBe(false);
    expect(isPinRefused(failure(null))).toBe(false);
  });
});
