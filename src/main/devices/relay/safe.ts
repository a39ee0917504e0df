/**
 * `voltmon relay safe`: drive the grid-connected level once and read it back, with nothing else running.
 * systemd runs it after the daemon stopped for any reason (ExecStopPost=), which covers SIGKILL and
 * crashes that run no exit hooks.
 */
import type { OpenLine } from './gpio.js';
import { connectedLevel, type RelayPolarity } from './relay-driver.js';

export type SafeResult = { ok: true; level: 0 | 1 } | { ok: false; reason: string };

export async function driveSafe(openLine: OpenLine, polarity: RelayPolarity): Promise<SafeResult> {
  const level = connectedLevel(polarity);
  try {
    const line = await openLine(level);
    line.writeSync(level);
    const read = line.readSync();
    return read === level ? { ok: true, level } : { ok: false, reason: `the line reads ${read} after writing ${level}` };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
