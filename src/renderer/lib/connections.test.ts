import { describe, expect, it } from 'vitest';
import { addInstance, parseInstanceAddress, parseStoredInstances, removeInstance, type Instance } from './connections';

let n = 0;
const newId = () => `i${++n}`;

describe('instance addresses', () => {
  it('accepts a host and port and assumes http', () => {
    expect(parseInstanceAddress('gridbox.local:48211')).toEqual({ ok: true, value: { url: 'http://gridbox.local:48211', token: null } });
  });

  it('takes the token out of a pasted link', () => {
    expect(parseInstanceAddress('https://10.0.0.3:48211/#token=vm_pasted_token')).toEqual({ ok: true, value: { url: 'https://10.0.0.3:48211', token: 'vm_pasted_token' } });
  });

  it('keeps a reverse-proxy path', () => {
    const r = parseInstanceAddress('https://home.example/voltmon/');
    expect(r.ok && r.value.url).toBe('https://home.example/voltmon');
  });

  it('refuses other schemes, credentials and garbage with a reason', () => {
    for (const bad of ['ftp://x', 'javascript:alert(1)', 'http://user:pw@x', '', 'http://']) {
      const r = parseInstanceAddress(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
    }
  });
});

describe('the list of instances', () => {
  it('adds, names by host when no name is given, and removes', () => {
    const r = addInstance([], { name: '', address: 'gridbox.local:48211', token: 'vm_gridbox_tok' }, newId);
    expect(r.ok).toBe(true);
    const list = r.ok ? r.value : [];
    expect(list[0]).toMatchObject({ name: 'gridbox.local', url: 'http://gridbox.local:48211', token: 'vm_gridbox_tok' });
    expect(removeInstance(list, list[0]!.id)).toEqual([]);
  });

  it('needs a token, from the field or the link', () => {
    expect(addInstance([], { name: 'x', address: 'gridbox.local:48211', token: ' ' }, newId).ok).toBe(false);
    expect(addInstance([], { name: 'x', address: 'http://gridbox.local:48211/#token=vm_linked_tok', token: '' }, newId).ok).toBe(true);
  });

  it('refuses the same address twice', () => {
    const list: Instance[] = [{ id: 'a', name: 'gb', url: 'http://gridbox.local:48211', token: 't' }];
    const r = addInstance(list, { name: '', address: 'http://gridbox.local:48211/', token: 'vm_other_tok' }, newId);
    expect(r.ok).toBe(false);
  });

  it('drops damaged stored entries instead of failing', () => {
    const stored = JSON.stringify([{ id: 'a', name: 'ok', url: 'http://a:1', token: 't' }, { id: 'b', name: 'no url' }, 42, { id: 'local', name: 'x', url: 'http://b', token: 't' }]);
    expect(parseStoredInstances(stored).map((i) => i.id)).toEqual(['a']);
    expect(parseStoredInstances('{not json')).toEqual([]);
    expect(parseStoredInstances(null)).toEqual([]);
  });
});
