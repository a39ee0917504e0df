import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTokenStore, TOKEN_FILE, TokenNameTakenError, type TokenStore } from './token-store.js';

const open: TokenStore[] = [];
const fresh = (dir = mkdtempSync(join(tmpdir(), 'voltmon-tokens-')), now?: () => number) => {
  const store = openTokenStore(dir, now);
  open.push(store);
  return { store, dir };
};
afterEach(() => {
  while (open.length) open.pop()?.close();
});

describe('token store', () => {
  it('accepts the token it issued with its role, and nothing else', () => {
    const { store } = fresh();
    const { token, info } = store.add('viewer', 'phone');
    expect(store.verify(token)).toMatchObject({ name: 'phone', role: 'viewer', id: info.id });
    expect(store.verify(token.slice(0, -1))).toBeNull();
    expect(store.verify('')).toBeNull();
  });

  it('issues different tokens every time, with 32 random bytes each', () => {
    const { store } = fresh();
    const a = store.add('viewer').token;
    const b = store.add('viewer').token;
    expect(a).not.toBe(b);
    expect(Buffer.from(a.replace(/^vmt_/, ''), 'base64url')).toHaveLength(32);
  });

  it('keeps no clear-text token on disk and the file owner-only', () => {
    const { store, dir } = fresh();
    store.add('operator', 'ops');
    expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(store.list()[0]).not.toHaveProperty('token');
    expect(store.list()[0]).not.toHaveProperty('hash');
  });

  it('sees a token another process added after it started (the daemon and `voltmon token add`)', () => {
    const { store: daemon, dir } = fresh();
    expect(daemon.verify('vmt_nothing-yet')).toBeNull();
    const { store: cli } = fresh(dir);
    const { token } = cli.add('operator', 'added-later');
    expect(daemon.verify(token)?.name).toBe('added-later');
    cli.revoke('added-later');
    expect(daemon.verify(token)).toBeNull();
  });

  it('refuses a second token with the same name', () => {
    const { store } = fresh();
    store.add('viewer', 'kiosk');
    expect(() => store.add('operator', 'kiosk')).toThrow(TokenNameTakenError);
  });

  it('revokes by name or by id and says when there is nothing to revoke', () => {
    const { store } = fresh();
    const a = store.add('viewer', 'a');
    const b = store.add('viewer', 'b');
    expect(store.revoke('a')?.id).toBe(a.info.id);
    expect(store.revoke(b.info.id)?.name).toBe('b');
    expect(store.revoke('a')).toBeNull();
    expect(store.verify(a.token)).toBeNull();
  });

  it('records when a token was last used', () => {
    let t = 1_700_000_000_000;
    const { store } = fresh(undefined, () => t);
    const { token } = store.add('viewer', 'v');
    expect(store.list()[0]?.lastUsedTsMs).toBeNull();
    t += 5000;
    store.verify(token);
    expect(store.list()[0]?.lastUsedTsMs).toBe(t);
  });
});
