import { describe, expect, it } from 'vitest';
import { forgetToken, isPlausibleToken, readFragmentToken, resolveToken, TOKEN_STORAGE_KEY, type TokenStorage } from './token';

class MemoryStorage implements TokenStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

class BrokenStorage implements TokenStorage {
  getItem(): string | null {
    throw new Error('SecurityError');
  }
  setItem(): void {
    throw new Error('QuotaExceededError');
  }
  removeItem(): void {
    throw new Error('SecurityError');
  }
}

describe('reading the token from the address fragment', () => {
  it('takes a bare token and leaves the overview route', () => {
    expect(readFragmentToken('#token=vm_abc123XYZ')).toEqual({ token: 'vm_abc123XYZ', remainingHash: '#/' });
  });

  it('keeps the route that came with it, in any order', () => {
    expect(readFragmentToken('#/battery?token=vm_abc123XYZ')).toEqual({ token: 'vm_abc123XYZ', remainingHash: '#/battery' });
    expect(readFragmentToken('#token=vm_abc123XYZ&/control')).toEqual({ token: 'vm_abc123XYZ', remainingHash: '#/control' });
  });

  it('decodes percent-escapes', () => {
    expect(readFragmentToken('#token=a%2Bb%3D%3Dcdef').token).toBe('a+b==cdef');
  });

  it('leaves other fragments untouched', () => {
    expect(readFragmentToken('#/events')).toEqual({ token: null, remainingHash: '#/events' });
    expect(readFragmentToken('')).toEqual({ token: null, remainingHash: '' });
  });

  it('treats an empty or undecodable token as none but still removes it from the address', () => {
    expect(readFragmentToken('#token=')).toEqual({ token: null, remainingHash: '#/' });
    expect(readFragmentToken('#token=%E0%A4%A')).toEqual({ token: null, remainingHash: '#/' });
  });
});

describe('keeping the token', () => {
  it('stores a token from the fragment for the next visit', () => {
    const storage = new MemoryStorage();
    const first = resolveToken('#token=vm_first_token', storage);
    expect(first).toMatchObject({ token: 'vm_first_token', fromFragment: true });
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('vm_first_token');
    expect(resolveToken('#/battery', storage)).toEqual({ token: 'vm_first_token', remainingHash: '#/battery', fromFragment: false });
  });

  it('lets a new link replace the stored token', () => {
    const storage = new MemoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, 'vm_old_token');
    expect(resolveToken('#token=vm_new_token', storage).token).toBe('vm_new_token');
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('vm_new_token');
  });

  it('forgets a refused token', () => {
    const storage = new MemoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, 'vm_refused_token');
    forgetToken(storage);
    expect(resolveToken('#/', storage).token).toBeNull();
  });

  it('still works for this page when storage is disabled', () => {
    expect(resolveToken('#token=vm_session_only', new BrokenStorage()).token).toBe('vm_session_only');
    expect(resolveToken('#/', new BrokenStorage()).token).toBeNull();
    expect(() => forgetToken(new BrokenStorage())).not.toThrow();
  });

  it('refuses input that cannot be a token', () => {
    expect(isPlausibleToken('vm_9f8e7d6c5b4a')).toBe(true);
    expect(isPlausibleToken('short')).toBe(false);
    expect(isPlausibleToken('has a space in it')).toBe(false);
    expect(isPlausibleToken('x'.repeat(600))).toBe(false);
  });
});
