/**
 * Control: the command queue every device command goes through, the automatic controller and its
 * rules, hard limits, audit, the kiosk PIN check, and the backtest. The plant-simulator run lives in
 * plant-run.ts (imported directly, so the engine does not load the simulator).
 */
export { auditEvent, auditToStore, type AuditRecord } from './audit.js';
export { backtestSamples, createBacktestController, createTally, type BacktestDecision, type BacktestOptions, type BacktestSummary } from './backtest.js';
export {
  createCommandQueue,
  type CommandQueue,
  type CommandQueueOptions,
  type ControllerMode,
  type ControllerModePort,
  type SettingFormatter,
  type SubmitOptions,
} from './command-queue.js';
export type { Comparator, Comparison, Condition, Operand, ThresholdName } from './conditions.js';
export { createControl, type ControlOptions, type ControlSetup } from './control.js';
export {
  createController,
  MODE_SETTING_KEY,
  THRESHOLDS_SETTING_KEY,
  type Controller,
  type ControllerOptions,
  type Decision,
  type DecisionData,
  type SettingsStore,
} from './controller.js';
export { csvSamples, CsvSampleError } from './csv-samples.js';
export {
  batteryLimits,
  DEFAULT_BATTERY,
  SETTING_FIELDS,
  type BatteryChemistry,
  type BatteryDescription,
  type BatteryLimits,
  type InverterSettingAction,
} from './limits.js';
export { formatPi30Setting } from './pi30-setting.js';
export { checkControlPin, type PinCheck } from './pin.js';
export type { CommandReply, InverterCommandPort, RelayPort } from './ports.js';
export { createRateLimiter, DEFAULT_RELAY_RATE_LIMIT, DEFAULT_SETTING_RATE_LIMIT, type RateLimit, type RateLimiter } from './rate-limit.js';
export { DEFAULT_RULES, type ActionTemplate, type Rule } from './rules.js';
export { createSimulatedInverter, createSimulatedRelay, type SimulatedFault, type SimulatedInverter, type SimulatedRelay } from './simulated-devices.js';
export { seriesUsedBy, storeSamples } from './store-samples.js';
export { ControllerThresholdsSchema, DEFAULT_THRESHOLDS, resolveThresholds, type ControllerThresholds } from './thresholds.js';
