/**
 * The inverter's behaviour: which source feeds the output (QMOD L/B/S/F) given the output source
 * priority and the battery thresholds, the CC/CV charge stages (bulk, absorb, float), the low-battery
 * cut-off and the overload fault. Settings change only through setting commands.
 */
import { applySettingCommand, FACTORY_SETTINGS, type InverterSettings } from './inverter-settings.js';
import type { FlowMode, FlowResult } from './power-flow.js';

export type ChargeStage = 'bulk' | 'absorb' | 'float';

/** What the inverter measures at the end of a step; the readings are built from it. */
export interface InverterSnapshot {
  gridAtInput: boolean;
  gridVoltageV: number;
  gridFrequencyHz: number;
  pvAvailableW: number;
  batteryVoltageV: number;
  batteryCurrentA: number;
  flow: FlowResult;
}

const OVERLOAD_TRIP_MS = 10_000;
const FAULT_RESTART_MS = 60_000;
const ABSORB_AUTOMATIC_MAX_MS = 2 * 3_600_000;
/** Float drops back to bulk when the pack's rest voltage falls this far below the float voltage. */
const REBULK_BELOW_FLOAT_V = 1.2;
/** After a low-battery shutdown the output restarts once the battery is this far above the back-to-utility voltage. */
const RESTART_ABOVE_RECHARGE_V = 1.0;

export class InverterModel {
  settings: InverterSettings;
  mode: FlowMode = 'B';
  stage: ChargeStage = 'bulk';
  absorbElapsedMs = 0;
  /** SBU: running on utility until the battery is back at the re-discharge voltage. */
  onUtilityForLowBattery = false;
  /** Output shut down because the battery hit the cut-off (or the BMS disconnected it). */
  lowBatteryShutdown = false;
  overloadSinceMs: number | null = null;
  faultUntilMs: number | null = null;
  configurationChanged = false;
  heatSinkTemperatureC: number;
  last: InverterSnapshot | null = null;
  private overloaded = false;

  constructor(settings: Partial<InverterSettings>, ambientC: number) {
    this.settings = { ...FACTORY_SETTINGS, ...settings };
    this.heatSinkTemperatureC = ambientC + 5;
  }

  applySetting(commandText: string): 'ack' | 'nak' {
    const outcome = applySettingCommand(this.settings, commandText);
    if (!outcome.accepted) return 'nak';
    this.settings = outcome.settings;
    this.configurationChanged = true;
    return 'ack';
  }

  /** Pick the mode for the next step from the state at the end of the previous one. */
  decideMode(nowMs: number, gridAtInput: boolean, batteryVoltageV: number, restVoltageV: number, loadDemandW: number): FlowMode {
    const s = this.settings;
    if (this.faultUntilMs !== null) {
      if (nowMs < this.faultUntilMs) return (this.mode = 'F');
      this.faultUntilMs = null;
      this.overloadSinceMs = null;
    }
    if (this.mode === 'B' && batteryVoltageV < s.batteryUnderVoltageV) this.lowBatteryShutdown = true;
    if (this.lowBatteryShutdown && restVoltageV >= s.batteryRechargeVoltageV + RESTART_ABOVE_RECHARGE_V) this.lowBatteryShutdown = false;

    if (s.outputSourcePriority === 2) {
      if (batteryVoltageV < s.batteryRechargeVoltageV) this.onUtilityForLowBattery = true;
      const backToBattery = s.batteryRedischargeVoltageV === 0 ? this.stage === 'float' : batteryVoltageV >= s.batteryRedischargeVoltageV;
      if (this.onUtilityForLowBattery && backToBattery) this.onUtilityForLowBattery = false;
    } else {
      this.onUtilityForLowBattery = false;
    }

    let mode: FlowMode;
    if (this.lowBatteryShutdown) mode = gridAtInput ? 'L' : 'S';
    else if (!gridAtInput) mode = 'B';
    else if (s.outputSourcePriority === 2) mode = this.onUtilityForLowBattery ? 'L' : 'B';
    else mode = 'L';

    this.overloaded = loadDemandW > s.acOutputRatingActivePowerW;
    if (mode === 'B' && this.overloaded) {
      this.overloadSinceMs ??= nowMs;
      if (nowMs - this.overloadSinceMs >= OVERLOAD_TRIP_MS) {
        this.faultUntilMs = nowMs + FAULT_RESTART_MS;
        mode = 'F';
      }
    } else {
      this.overloadSinceMs = null;
    }
    return (this.mode = mode);
  }

  /** The battery was needed but the BMS had it switched off: the output goes dark like at the cut-off. */
  batteryLost(): void {
    this.lowBatteryShutdown = true;
    if (this.mode === 'B') this.mode = 'S';
  }

  /** Constant-voltage target of the current stage. */
  chargeTargetV(): number {
    return this.stage === 'float' ? this.settings.batteryFloatVoltageV : this.settings.batteryBulkVoltageV;
  }

  /** Advance the charge stage after a step. `capA` is the current the CV stage would still accept. */
  updateChargeStage(dtMs: number, batteryVoltageV: number, restVoltageV: number, chargeCurrentA: number, capA: number, ratedAh: number): void {
    const s = this.settings;
    switch (this.stage) {
      case 'bulk':
        if (chargeCurrentA > 0 && batteryVoltageV >= s.batteryBulkVoltageV - 0.05) {
          this.stage = 'absorb';
          this.absorbElapsedMs = 0;
        }
        break;
      case 'absorb': {
        if (chargeCurrentA > 0) this.absorbElapsedMs += dtMs;
        const limitMs = s.maxChargingTimeAtCvMin > 0 ? s.maxChargingTimeAtCvMin * 60_000 : ABSORB_AUTOMATIC_MAX_MS;
        const tapered = capA < 0.02 * ratedAh;
        if (tapered || this.absorbElapsedMs >= limitMs) this.stage = 'float';
        else if (restVoltageV < s.batteryFloatVoltageV - REBULK_BELOW_FLOAT_V) this.stage = 'bulk';
        break;
      }
      case 'float':
        if (restVoltageV < s.batteryFloatVoltageV - REBULK_BELOW_FLOAT_V) this.stage = 'bulk';
        break;
    }
  }

  /** Heat sink follows the power converted, with a time constant of about ten minutes. */
  updateTemperature(dtS: number, ambientC: number, convertedW: number): void {
    const targetC = ambientC + 6 + 0.006 * convertedW;
    this.heatSinkTemperatureC += (targetC - this.heatSinkTemperatureC) * Math.min(1, dtS / 600);
  }

  isOverloaded(): boolean {
    return this.overloaded;
  }
}
