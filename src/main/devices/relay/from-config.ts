/** The grid relay as the config's `relay: {type: gpio, …}` section describes it. */
import type { EngineEvent } from '../../../shared/events.js';
import { sysfsLine, type OpenLine } from './gpio.js';
import { createRelayDriver, type RelayDriver, type RelayPolarity } from './relay-driver.js';

export interface GpioRelayConfig {
  bcmLine: number;
  polarity: RelayPolarity;
  watchdog?: { timeoutS: number };
}

export interface GpioRelayOptions {
  onEvent?: (event: EngineEvent) => void;
  /** Another line than the real sysfs one (the simulator's file line). */
  openLine?: OpenLine;
  now?: () => number;
}

export function createGpioRelay(config: GpioRelayConfig, options: GpioRelayOptions = {}): RelayDriver {
  return createRelayDriver({
    openLine: options.openLine ?? sysfsLine(config.bcmLine),
    polarity: config.polarity,
    description: `grid relay on GPIO ${config.bcmLine} (${config.polarity})`,
    watchdogTimeoutMs: config.watchdog ? config.watchdog.timeoutS * 1000 : undefined,
    onEvent: options.onEvent,
    now: options.now,
  });
}
