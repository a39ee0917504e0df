/**
 * Window settings and navigation rules. The renderer is a web page served by an engine (local or remote);
 * it gets no Node access, and it may only show pages of the instance it was opened on.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { LaunchOptions } from './launch-options.js';

export function windowOptions(launch: Pick<LaunchOptions, 'kiosk'>): BrowserWindowConstructorOptions {
  const common: BrowserWindowConstructorOptions = {
    backgroundColor: '#10151c',
    title: 'voltmon',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  };
  if (launch.kiosk) {
    // A 7-inch Pi touch screen: the whole screen, no chrome a finger could hit by accident.
    return { ...common, kiosk: true, fullscreen: true, frame: false, autoHideMenuBar: true };
  }
  return { ...common, width: 1280, height: 800, minWidth: 800, minHeight: 480, autoHideMenuBar: true };
}

/** Navigation stays on the instance the window was opened on; anything else opens outside (or nowhere). */
export function isSameInstance(target: string, startUrl: string): boolean {
  try {
    return new URL(target).origin === new URL(startUrl).origin;
  } catch {
    return false;
  }
}

/** The address the window loads: the instance's UI with the token in the fragment, kiosk marked in the query. */
export function windowUrl(instanceUrl: string, token: string | null, kiosk: boolean): string {
  const url = new URL(instanceUrl);
  const fragmentToken = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
  url.hash = '';
  if (kiosk) url.searchParams.set('kiosk', '1');
  const effective = token ?? fragmentToken;
  return effective ? `${url.toString()}#token=${encodeURIComponent(effective)}` : url.toString();
}
