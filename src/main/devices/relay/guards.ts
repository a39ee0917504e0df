/**
 * The two reasons the relay connects the grid by itself: the logger fell silent (watchdog), or the
 * battery is being drained below the grid-on voltage (the original installation's battery rule). Both
 * are pure state over injected times; the relay driver asks them on every tick and sample.
 */
import type { Sample } from '../../../shared/samples.js';
import { createLiveValues } from '../../control/live-values.js';

export interface Watchdog {
  /** The logger answered (or sent data) at `nowMs`. */
  beat(nowMs: number): void;
  /** Milliseconds of silence when over the timeout, else null. */
  lostFor(nowMs: number): number | null;
}

export function createWatchdog(timeoutMs: number, startMs: number): Watchdog {
  let lastBeatMs = startMs;
  return {
    beat(nowMs) {
      lastBeatMs = Math.max(lastBeatMs, nowMs);
    },
    lostFor(nowMs) {
      const silentMs = nowMs - lastBeatMs;
      return silentMs >= timeoutMs ? silentMs : null;
    },
  };
}

export interface BatteryGuardOptions {
  /** Default 51.2 V. */
  belowV?: number;
  /** Default 4 minutes. */
  sustainMs?: number;
  /** Older readings are unknown (default 5 minutes). */
  staleAfterMs?: number;
}

export interface BatteryGuard {
  observe(sample: Sample): void;
  /** `holding`: the condition is true now; `trip`: it has held for the whole window. */
  check(nowMs: number): { holding: boolean; trip: boolean; reason: string };
}

export function createBatteryGuard(options: BatteryGuardOptions = {}): BatteryGuard {
  const belowV = options.belowV ?? 51.2;
  const sustainMs = options.sustainMs ?? 240_000;
  const live = createLiveValues(options.staleAfterMs ?? 300_000);
  let sinceMs: number | null = null;

  const voltage = (nowMs: number): number | null => {
    for (const series of ['inverter.batteryVoltageV', 'bms.totalVoltageV']) {
      const v = live.get(series, nowMs);
      if (typeof v === 'number') return v;
    }
    return null;
  };
  /** Charging is the only thing that clears it: with no current known, a low battery counts as draining. */
  const charging = (nowMs: number): boolean => {
    const current = live.get('bms.currentA', nowMs);
    if (typeof current === 'number') return current > 0;
    const state = live.get('bms.state', nowMs);
    if (typeof state === 'string') return state === 'charging';
    const discharge = live.get('inverter.batteryDischargeCurrentA', nowMs);
    const charge = live.get('inverter.batteryChargingCurrentA', nowMs);
    return typeof discharge === 'number' && typeof charge === 'number' && discharge === 0 && charge > 0;
  };

  return {
    observe(sample) {
      live.update(sample);
    },
    check(nowMs) {
      const v = voltage(nowMs);
      const holding = v !== null && v < belowV && !charging(nowMs);
      if (!holding) {
        sinceMs = null;
        return { holding: false, trip: false, reason: '' };
      }
      sinceMs ??= nowMs;
      const heldMs = nowMs - sinceMs;
      return {
        holding: true,
        trip: heldMs >= sustainMs,
        reason: `battery ${v} V below ${belowV} V and not charging for ${Math.round(heldMs / 1000)} s`,
      };
    },
  };
}
