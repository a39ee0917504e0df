/**
 * Electron entry: the only module that loads Electron at run time. Everything it does is in
 * desktop-app.ts (tested with Electron injected); this file only hands Electron's functions over.
 */
import { app, BrowserWindow, shell } from 'electron';
import { runDesktopApp } from './desktop-app.js';
import { startDesktopEngine } from './engine-launcher.js';
import { parseLaunchOptions } from './launch-options.js';
import { installSystemZoneRules } from '../zone/system-zones.js';

// The engine's local time from the system's zone files where there are any (Linux), else from Intl.
installSystemZoneRules();

const parsed = parseLaunchOptions(process.argv.slice(app.isPackaged ? 1 : 2));
if (!parsed.ok) {
  process.stderr.write(`voltmon: ${parsed.message}\n`);
  app.exit(2);
} else {
  const launch = parsed.options;
  runDesktopApp(launch, {
    whenReady: () => app.whenReady(),
    createWindow: (options) => new BrowserWindow(options),
    openExternal: (url) => shell.openExternal(url),
    onBeforeQuit: (listener) => app.on('before-quit', listener),
    quit: () => app.quit(),
    startEngine: (options) => startDesktopEngine(options, app.getPath('userData')),
    log: (message) => process.stderr.write(`voltmon: ${message}\n`),
  }).catch((err: unknown) => {
    process.stderr.write(`voltmon: ${err instanceof Error ? err.message : String(err)}\n`);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}
