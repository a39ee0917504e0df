/**
 * The configuration `voltmon run --simulate` uses when no file is given: every device of DESIGN.md §1
 * (their transports are replaced by the simulation's memory links), the installation's battery, and the
 * relay on BCM 26 (a file-backed line in the data directory).
 */
import { parseConfig, type VoltmonConfig } from '../../shared/config.js';
import { systemTimeZone } from '../zone/system-zones.js';

export function simulatedConfig(timeZone: string): VoltmonConfig {
  const parsed = parseConfig({
    site: { name: 'simulated', timeZone },
    devices: {
      inverter: { transport: { type: 'serial', path: '/dev/axpert', baud: 2400 } },
      bms: { transport: { type: 'serial', path: '/dev/bms', baud: 9600 } },
      meter: { transport: { type: 'serial', path: '/dev/ttyUSB0', baud: 9600 } },
    },
    battery: { chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.6 },
    relay: { type: 'gpio', bcmLine: 26, polarity: 'activeHigh' },
  });
  if (!parsed.ok) throw new Error(`the built-in simulation config is invalid: ${parsed.error.join('; ')}`);
  return parsed.value;
}

/** The machine's zone when it names a real one, else UTC; from the zone files when possible (Intl loads ICU). */
export function localTimeZone(): string {
  return systemTimeZone() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}
