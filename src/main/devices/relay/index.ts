/** The grid relay: a GPIO line that fails safe to grid-connected. */
export { fileLine, GpioUnavailableError, sysfsLine, type GpioLine, type Level, type OpenLine } from './gpio.js';
export { createBatteryGuard, createWatchdog, type BatteryGuard, type BatteryGuardOptions, type Watchdog } from './guards.js';
export {
  connectedLevel,
  connectGridOnExit,
  createRelayDriver,
  type RelayDriver,
  type RelayDriverOptions,
  type RelayPolarity,
  type Scheduler,
} from './relay-driver.js';
export { createGpioRelay, type GpioRelayConfig, type GpioRelayOptions } from './from-config.js';
export { driveSafe, type SafeResult } from './safe.js';
export { listChips, resolveSysfsLine, type SysfsLine, type SysfsOptions } from './sysfs.js';
