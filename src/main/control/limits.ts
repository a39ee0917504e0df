/**
 * Hard limits: what no command may ever set, whoever asks. They come from the battery description, are
 * clamped to what the chemistry tolerates (a misconfigured cellMaxV cannot lift a LiFePO4 pack to NMC
 * voltages), and are checked in two steps: alone, then against the inverter's current settings.
 */
import type { ControlAction } from '../../shared/control.js';
import type { FieldValue } from '../../shared/samples.js';

export type BatteryChemistry = 'lifepo4' | 'nmc' | 'leadAcid';

export interface BatteryDescription {
  chemistry: BatteryChemistry;
  cellsInSeries: number;
  capacityAh: number;
  cellMinV: number;
  cellMaxV: number;
  /** Highest charge current as a fraction of capacity per hour (default 0.5 C). */
  maxChargeRateC?: number;
}

/** The installation's pack: 16S LiFePO4, 280 Ah, charged at most to 3.60 V per cell (3.65 V is the cell's absolute limit). */
export const DEFAULT_BATTERY: Readonly<BatteryDescription> = Object.freeze({
  chemistry: 'lifepo4',
  cellsInSeries: 16,
  capacityAh: 280,
  cellMinV: 2.8,
  cellMaxV: 3.6,
  maxChargeRateC: 0.5,
});

/** Per-cell voltages a chemistry survives; the configured window is intersected with these. */
const CHEMISTRY_CELL_WINDOW_V: Record<BatteryChemistry, { min: number; max: number }> = {
  lifepo4: { min: 2.5, max: 3.65 },
  nmc: { min: 3.0, max: 4.2 },
  leadAcid: { min: 1.75, max: 2.45 },
};

export interface BatteryLimits {
  /** Lowest voltage any setting may name (cut-off floor), V. */
  packMinV: number;
  /** Highest voltage any setting may name (bulk and float ceiling), V. */
  packMaxV: number;
  maxChargeCurrentA: number;
  description: BatteryDescription;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

export function batteryLimits(battery: BatteryDescription): BatteryLimits {
  const window = CHEMISTRY_CELL_WINDOW_V[battery.chemistry];
  const cellMin = Math.max(battery.cellMinV, window.min);
  const cellMax = Math.min(battery.cellMaxV, window.max);
  return {
    packMinV: round2(battery.cellsInSeries * cellMin),
    packMaxV: round2(battery.cellsInSeries * cellMax),
    maxChargeCurrentA: Math.floor(battery.capacityAh * (battery.maxChargeRateC ?? 0.5)),
    description: battery,
  };
}

/** Which QPIRI field each inverter setting shows up in (protocols.md §1.5). */
export const SETTING_FIELDS = {
  setOutputSourcePriority: 'outputSourcePriority',
  setChargerSourcePriority: 'chargerSourcePriority',
  setMaxChargingCurrent: 'maxChargingCurrentA',
  setMaxAcChargingCurrent: 'maxAcChargingCurrentA',
  setBulkVoltage: 'batteryBulkVoltageV',
  setFloatVoltage: 'batteryFloatVoltageV',
  setRechargeVoltage: 'batteryRechargeVoltageV',
  setRedischargeVoltage: 'batteryRedischargeVoltageV',
  setCutoffVoltage: 'batteryUnderVoltageV',
} as const;

export type InverterSettingAction = Extract<ControlAction, { action: keyof typeof SETTING_FIELDS }>;

export const isInverterSetting = (action: ControlAction): action is InverterSettingAction => action.action in SETTING_FIELDS;

const fmt = (v: number): string => `${v.toFixed(1)} V`;

/** Checks that need nothing but the action and the battery: null when allowed, else the reason. */
export function checkAlone(action: InverterSettingAction, limits: BatteryLimits): string | null {
  const { packMinV, packMaxV } = limits;
  const within = (what: string, v: number, min: number, max: number) =>
    v < min || v > max ? `${what} ${fmt(v)} is outside the battery's safe window ${fmt(min)} to ${fmt(max)}` : null;
  switch (action.action) {
    case 'setBulkVoltage':
      return within('bulk voltage', action.value, packMinV, packMaxV);
    case 'setFloatVoltage':
      return within('float voltage', action.value, packMinV, packMaxV);
    case 'setCutoffVoltage':
      return within('cut-off voltage', action.value, packMinV, packMaxV);
    case 'setRechargeVoltage':
      return within('re-charge voltage', action.value, packMinV, packMaxV);
    case 'setRedischargeVoltage':
      // 0 means "back to battery when full", which the inverter decides itself.
      return action.value === 0 ? null : within('re-discharge voltage', action.value, packMinV, packMaxV);
    case 'setMaxChargingCurrent':
    case 'setMaxAcChargingCurrent':
      return action.value > limits.maxChargeCurrentA
        ? `charge current ${action.value} A is above the battery's limit of ${limits.maxChargeCurrentA} A`
        : null;
    default:
      return null;
  }
}

const numberOf = (settings: Record<string, FieldValue>, field: string): number | null => {
  const v = settings[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * Checks against the inverter's settings as just read (QPIRI) and its allowed currents (QMCHGCR /
 * QMUCHGCR): the voltages must stay ordered (cut-off < re-charge < re-discharge < bulk, float <= bulk).
 */
export function checkAgainstSettings(
  action: InverterSettingAction,
  settings: Record<string, FieldValue>,
  currentOptionsA: number[] | null,
): string | null {
  const bulk = numberOf(settings, 'batteryBulkVoltageV');
  const float = numberOf(settings, 'batteryFloatVoltageV');
  const cutoff = numberOf(settings, 'batteryUnderVoltageV');
  const recharge = numberOf(settings, 'batteryRechargeVoltageV');
  const redischarge = numberOf(settings, 'batteryRedischargeVoltageV');
  switch (action.action) {
    case 'setMaxChargingCurrent':
    case 'setMaxAcChargingCurrent': {
      const command = action.action === 'setMaxChargingCurrent' ? 'QMCHGCR' : 'QMUCHGCR';
      if (!currentOptionsA) return `the allowed charge currents are unknown (${command} did not answer); nothing sent`;
      return currentOptionsA.includes(action.value)
        ? null
        : `${action.value} A is not one of the inverter's charge currents (${currentOptionsA.join(', ')} A)`;
    }
    case 'setFloatVoltage':
      return bulk !== null && action.value > bulk ? `float ${fmt(action.value)} would be above bulk ${fmt(bulk)}` : null;
    case 'setBulkVoltage':
      if (float !== null && action.value < float) return `bulk ${fmt(action.value)} would be below float ${fmt(float)}`;
      if (redischarge !== null && redischarge > 0 && action.value <= redischarge) {
        return `bulk ${fmt(action.value)} would not be above re-discharge ${fmt(redischarge)}`;
      }
      return null;
    case 'setRedischargeVoltage':
      if (action.value === 0) return null;
      if (bulk !== null && action.value >= bulk) return `re-discharge ${fmt(action.value)} must be below bulk ${fmt(bulk)}`;
      if (recharge !== null && action.value <= recharge) return `re-discharge ${fmt(action.value)} must be above re-charge ${fmt(recharge)}`;
      return null;
    case 'setRechargeVoltage':
      if (cutoff !== null && action.value <= cutoff) return `re-charge ${fmt(action.value)} must be above cut-off ${fmt(cutoff)}`;
      if (redischarge !== null && redischarge > 0 && action.value >= redischarge) {
        return `re-charge ${fmt(action.value)} must be below re-discharge ${fmt(redischarge)}`;
      }
      return null;
    case 'setCutoffVoltage':
      return recharge !== null && action.value >= recharge ? `cut-off ${fmt(action.value)} must be below re-charge ${fmt(recharge)}` : null;
    default:
      return null;
  }
}

/** Does the read-back show the requested value? Voltages are compared at the 0.1 V the inverter stores. */
export function settingMatches(action: InverterSettingAction, shown: FieldValue | undefined): boolean {
  if (typeof action.value === 'number') return typeof shown === 'number' && Math.abs(shown - action.value) < 0.05;
  return shown === action.value;
}
