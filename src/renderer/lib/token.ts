/**
 * The access token arrives in the address fragment (`#token=…`, never sent to a server or logged in its
 * access log), is kept in localStorage and removed from the address bar at once so it does not end up
 * in a screenshot, a bookmark or the browser history.
 */

export const TOKEN_STORAGE_KEY = 'voltmon.token';

/** What the fragment carried: a token, and the route to show once the token is taken out. */
export interface FragmentToken {
  token: string | null;
  /** The fragment to put back: the route part (`#/battery`), or `#/` when only the token was there. */
  remainingHash: string;
}

/** Tokens are opaque; this only refuses what cannot be one (spaces, control characters, absurd length). */
export function isPlausibleToken(token: string): boolean {
  return token.length >= 8 && token.length <= 512 && /^[\x21-\x7e]+$/.test(token);
}

/**
 * Reads `#token=abc`, `#token=abc&/battery`, `#/battery?token=abc` or `#/battery&token=abc`.
 * Any other fragment is left alone.
 */
export function readFragmentToken(hash: string): FragmentToken {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const match = /(?:^|[?&])token=([^&]*)/.exec(fragment);
  if (!match) return { token: null, remainingHash: hash };
  let token: string | null;
  try {
    token = decodeURIComponent(match[1] ?? '').trim();
  } catch {
    token = null;
  }
  const rest = (fragment.slice(0, match.index) + fragment.slice(match.index + match[0].length)).replace(/^[?&]+|[?&]+$/g, '').replace(/[?&]{2,}/g, '&');
  const route = rest.startsWith('/') ? rest.replace(/[?&]$/, '') : '/';
  return { token: token && token.length > 0 ? token : null, remainingHash: `#${route}` };
}

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The fragment's token wins over a stored one (a new link means a new token); it is stored for next time. */
export function resolveToken(hash: string, storage: TokenStorage | null): { token: string | null; remainingHash: string; fromFragment: boolean } {
  const fromHash = readFragmentToken(hash);
  if (fromHash.token) {
    safeSet(storage, fromHash.token);
    return { token: fromHash.token, remainingHash: fromHash.remainingHash, fromFragment: true };
  }
  return { token: safeGet(storage), remainingHash: fromHash.remainingHash, fromFragment: false };
}

export function storeToken(storage: TokenStorage | null, token: string): void {
  safeSet(storage, token);
}

export function forgetToken(storage: TokenStorage | null): void {
  try {
    storage?.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Storage disabled (private mode, kiosk policy): the token then lives for this page only.
  }
}

function safeGet(storage: TokenStorage | null): string | null {
  try {
    const token = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
    return token && token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

function safeSet(storage: TokenStorage | null, token: string): void {
  try {
    storage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // See forgetToken.
  }
}
