/**
 * The desktop app's life cycle with Electron injected, so it is tested without an Electron binary:
 * start the engine (unless connecting to a remote instance), open one window on its UI, keep navigation
 * on that instance, and stop the engine (relay to its safe state, last batch flushed) before quitting.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { LaunchOptions } from './launch-options.js';
import { isSameInstance, windowOptions, windowUrl } from './window-policy.js';

export interface RunningEngine {
  /** Base address of the engine's API and UI, e.g. http://127.0.0.1:48211/ */
  url: string;
  /** Operator token for this window (in-process engines mint one). */
  token: string | null;
  stop(): Promise<void>;
}

export interface DesktopDeps {
  whenReady(): Promise<void>;
  createWindow(options: BrowserWindowConstructorOptions): Pick<BrowserWindow, 'loadURL' | 'once' | 'show'> & {
    webContents: Pick<BrowserWindow['webContents'], 'setWindowOpenHandler' | 'on'>;
  };
  openExternal(url: string): Promise<void>;
  onBeforeQuit(listener: (event: { preventDefault(): void }) => void): void;
  quit(): void;
  startEngine(launch: LaunchOptions): Promise<RunningEngine>;
  log(message: string): void;
}

export async function runDesktopApp(launch: LaunchOptions, deps: DesktopDeps): Promise<void> {
  await deps.whenReady();
  const engine: RunningEngine | null = launch.connectUrl ? null : await deps.startEngine(launch);
  const startUrl = engine ? windowUrl(engine.url, engine.token, launch.kiosk) : windowUrl(launch.connectUrl ?? '', null, launch.kiosk);

  const window = deps.createWindow(windowOptions(launch));
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (!launch.kiosk && /^https?:/.test(url)) void deps.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isSameInstance(url, startUrl)) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(startUrl);

  let stopping = false;
  deps.onBeforeQuit((event) => {
    if (!engine || stopping) return;
    stopping = true;
    event.preventDefault();
    engine.stop().then(
      () => deps.quit(),
      (err: unknown) => {
        deps.log(`engine did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`);
        deps.quit();
      },
    );
  });
}
