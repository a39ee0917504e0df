/**
 * The GPIO line behind the grid relay. `GpioLine` has the shape of onoff's `Gpio` (writeSync, readSync,
 * unexport) so tests inject a fake; the real line loads onoff only when a relay is actually opened, so a
 * machine without GPIO never touches it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolveSysfsLine, type SysfsOptions } from './sysfs.js';

export type Level = 0 | 1;

export interface GpioLine {
  writeSync(value: Level): void;
  readSync(): Level;
  unexport(): void;
}

/** Opens a line as an output already at `initial`, so it never passes through the unsafe level. */
export type OpenLine = (initial: Level) => Promise<GpioLine>;

export class GpioUnavailableError extends Error {
  override readonly name = 'GpioUnavailableError';
}

interface OnoffModule {
  Gpio: { new (gpio: number, direction: 'high' | 'low'): GpioLine; accessible: boolean };
}

/** The real line: BCM number -> sysfs number (offset on kernels >= 6.6), then onoff. */
export function sysfsLine(bcmLine: number, sysfs: SysfsOptions = {}): OpenLine {
  return async (initial) => {
    const resolved = resolveSysfsLine(bcmLine, sysfs);
    if (!resolved.ok) throw new GpioUnavailableError(resolved.error);
    let onoff: OnoffModule;
    try {
      onoff = (await import('onoff')) as unknown as OnoffModule;
    } catch (err) {
      throw new GpioUnavailableError(`the onoff module could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!onoff.Gpio.accessible) throw new GpioUnavailableError('sysfs GPIO is not accessible to this user (add it to the gpio group)');
    try {
      return new onoff.Gpio(resolved.value.sysfsNumber, initial === 1 ? 'high' : 'low');
    } catch (err) {
      throw new GpioUnavailableError(
        `GPIO ${bcmLine} (sysfs ${resolved.value.sysfsNumber} on ${resolved.value.chipLabel}) could not be opened: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
}

/**
 * A line simulated by a file holding `0` or `1`. Like a real line it keeps its level when the process
 * dies, which is what the simulator and the crash tests need.
 */
export function fileLine(path: string): OpenLine {
  return async (initial) => {
    const line: GpioLine = {
      writeSync(value) {
        writeFileSync(path, `${value}\n`);
      },
      readSync() {
        const text = readFileSync(path, 'utf8').trim();
        if (text !== '0' && text !== '1') throw new GpioUnavailableError(`${path} holds '${text.slice(0, 20)}', not 0 or 1`);
        return text === '1' ? 1 : 0;
      },
      unexport() {},
    };
    line.writeSync(initial);
    return line;
  };
}
