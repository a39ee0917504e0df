import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { runDesktopApp, type DesktopDeps, type RunningEngine } from './desktop-app.js';
import { parseLaunchOptions, type LaunchOptions } from './launch-options.js';

function launch(argv: string[]): LaunchOptions {
  const parsed = parseLaunchOptions(argv);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.options;
}

function fakeElectron(engine: RunningEngine | null) {
  const seen = {
    windowOptions: null as BrowserWindowConstructorOptions | null,
    loaded: [] as string[],
    external: [] as string[],
    navigationHandlers: [] as Array<(event: { preventDefault(): void }, url: string) => void>,
    openHandler: null as null | ((details: { url: string }) => { action: string }),
    beforeQuit: null as null | ((event: { preventDefault(): void }) => void),
    quits: 0,
    enginesStarted: 0,
  };
  const deps: DesktopDeps = {
    whenReady: async () => undefined,
    createWindow: (options) => {
      seen.windowOptions = options;
      return {
        loadURL: async (url: string) => {
          seen.loaded.push(url);
        },
        once: () => undefined as never,
        show: () => undefined,
        webContents: {
          setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
            seen.openHandler = handler;
          },
          on: (_name: string, handler: (event: { preventDefault(): void }, url: string) => void) => {
            seen.navigationHandlers.push(handler);
            return undefined as never;
          },
        } as unknown as ReturnType<DesktopDeps['createWindow']>['webContents'],
      } as unknown as ReturnType<DesktopDeps['createWindow']>;
    },
    openExternal: async (url) => {
      seen.external.push(url);
    },
    onBeforeQuit: (listener) => {
      seen.beforeQuit = listener;
    },
    quit: () => {
      seen.quits++;
    },
    startEngine: async () => {
      seen.enginesStarted++;
      if (!engine) throw new Error('no engine in this test');
      return engine;
    },
    log: () => undefined,
  };
  return { deps, seen };
}

describe('desktop app life cycle', () => {
  it('starts the engine in-process and opens its UI with the operator token', async () => {
    let stopped = false;
    const engine: RunningEngine = { url: 'http://127.0.0.1:48211/', token: 'tok123', stop: async () => void (stopped = true) };
    const { deps, seen } = fakeElectron(engine);
    await runDesktopApp(launch(['--simulate']), deps);
    expect(seen.enginesStarted).toBe(1);
    expect(seen.loaded).toEqual(['http://127.0.0.1:48211/#token=tok123']);
    expect(seen.windowOptions?.webPreferences?.nodeIntegration).toBe(false);
    expect(seen.windowOptions?.webPreferences?.contextIsolation).toBe(true);

    // Quitting waits for the engine to stop (relay safe, last batch flushed) before the app really quits.
    let prevented = false;
    seen.beforeQuit?.({ preventDefault: () => void (prevented = true) });
    expect(prevented).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(true);
    expect(seen.quits).toBe(1);
  });

  it('connects to a remote instance without starting an engine, in kiosk mode', async () => {
    const { deps, seen } = fakeElectron(null);
    await runDesktopApp(launch(['--kiosk', '--connect', 'http://logger.local:48211/#token=abc']), deps);
    expect(seen.enginesStarted).toBe(0);
    expect(seen.loaded).toEqual(['http://logger.local:48211/?kiosk=1#token=abc']);
    expect(seen.windowOptions?.kiosk).toBe(true);
    expect(seen.windowOptions?.fullscreen).toBe(true);
  });

  it('keeps navigation on the instance and never opens new windows inside the app', async () => {
    const { deps, seen } = fakeElectron({ url: 'http://127.0.0.1:48211/', token: null, stop: async () => undefined });
    await runDesktopApp(launch([]), deps);
    const navigate = (url: string) => {
      let blocked = false;
      for (const handler of seen.navigationHandlers) handler({ preventDefault: () => void (blocked = true) }, url);
      return blocked;
    };
    expect(navigate('http://127.0.0.1:48211/#/battery')).toBe(false);
    expect(navigate('http://evil.example/')).toBe(true);
    expect(seen.openHandler?.({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(seen.external).toEqual(['https://docs.example/']);
  });

  it('refuses contradictory or malformed launch options with a clear message', () => {
    const both = parseLaunchOptions(['--simulate', '--connect', 'http://x:1/']);
    expect(both.ok).toBe(false);
    const bad = parseLaunchOptions(['--connect', 'ftp://x/']);
    expect(bad.ok === false && bad.message).toContain('--connect');
  });
});
