/**
 * How the desktop app was started. The same build serves three uses: a desktop window with the engine
 * in-process (local devices or the simulator), a window that only connects to remote instances, and a
 * Raspberry Pi kiosk (full screen, no window chrome).
 */
import { parseArgs } from 'node:util';

export interface LaunchOptions {
  kiosk: boolean;
  /** Run the plant simulator in-process instead of real devices. */
  simulate: boolean;
  configPath: string | null;
  dataDir: string | null;
  /** Remote instance to show instead of starting an engine here, e.g. `http://logger.local:48211/#token=…`. */
  connectUrl: string | null;
}

export type LaunchParse = { ok: true; options: LaunchOptions } | { ok: false; message: string };

export function parseLaunchOptions(argv: readonly string[]): LaunchParse {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        kiosk: { type: 'boolean', default: false },
        simulate: { type: 'boolean', default: false },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        connect: { type: 'string' },
      },
      // Chromium and Electron add switches of their own; they are not ours to refuse.
      strict: false,
      allowPositionals: true,
    });
    const connect = typeof values.connect === 'string' ? values.connect : null;
    if (connect !== null && !isHttpUrl(connect)) {
      return { ok: false, message: `--connect: got "${connect}", expected an http:// or https:// address` };
    }
    if (connect !== null && values.simulate === true) {
      return { ok: false, message: '--connect and --simulate exclude each other: a remote instance brings its own devices' };
    }
    return {
      ok: true,
      options: {
        kiosk: values.kiosk === true,
        simulate: values.simulate === true,
        configPath: typeof values.config === 'string' ? values.config : null,
        dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : null,
        connectUrl: connect,
      },
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
