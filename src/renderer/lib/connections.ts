/**
 * Other voltmon instances this screen shows besides its own (the logger and the gridbox, say): address
 * and token, kept in localStorage of this browser. The page's own instance is always there as `local`.
 */
import { readFragmentToken } from './token';

export interface Instance {
  id: string;
  name: string;
  /** Base address without a trailing slash, e.g. `http://gridbox.local:48211`. */
  url: string;
  token: string;
}

export const LOCAL_INSTANCE_ID = 'local';
export const CONNECTIONS_STORAGE_KEY = 'voltmon.connections';
const MAX_INSTANCES = 16;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * `gridbox.local:48211`, `http://10.0.0.3:48211/`, or a whole link with `#token=…` (the token is taken
 * from it). Only http and https; no user:password in the address.
 */
export function parseInstanceAddress(text: string): Parsed<{ url: string; token: string | null }> {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'Enter the address of a voltmon instance, e.g. http://gridbox.local:48211' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, message: `"${trimmed}" is not an address` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: 'Only http:// and https:// addresses can be used' };
  if (url.username || url.password) return { ok: false, message: 'Put the token in the token field, not in the address' };
  const token = readFragmentToken(url.hash).token;
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, value: { url: `${url.protocol}//${url.host}${path}`, token } };
}

function isInstance(value: unknown): value is Instance {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.name === 'string' && typeof v.url === 'string' && typeof v.token === 'string';
}

/** What localStorage holds; anything damaged is dropped rather than breaking the page. */
export function parseStoredInstances(json: string | null): Instance[] {
  if (!json) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isInstance).filter((i) => i.id !== LOCAL_INSTANCE_ID && parseInstanceAddress(i.url).ok).slice(0, MAX_INSTANCES);
}

export function addInstance(
  list: readonly Instance[],
  input: { name: string; address: string; token: string },
  newId: () => string,
): Parsed<Instance[]> {
  const address = parseInstanceAddress(input.address);
  if (!address.ok) return address;
  const token = input.token.trim() || address.value.token || '';
  if (token.length === 0) return { ok: false, message: 'Enter a token for that instance (create one there with `voltmon token add`)' };
  if (list.some((i) => i.url === address.value.url)) return { ok: false, message: `${address.value.url} is already in the list` };
  if (list.length >= MAX_INSTANCES) return { ok: false, message: `At most ${MAX_INSTANCES} instances` };
  const name = input.name.trim() || new URL(address.value.url).hostname;
  return { ok: true, value: [...list, { id: newId(), name, url: address.value.url, token }] };
}

export const removeInstance = (list: readonly Instance[], id: string): Instance[] => list.filter((i) => i.id !== id);
