/** Control actions -> PI30 setting text, through the codec's own builder (firmware ranges, `nn.n`). */
import { buildSettingCommand, type Pi30Setting } from '../protocol/pi30/settings.js';
import type { SettingFormatter } from './command-queue.js';
import type { InverterSettingAction } from './limits.js';

function toPi30(action: InverterSettingAction): Pi30Setting {
  switch (action.action) {
    case 'setOutputSourcePriority':
      return { kind: 'outputSourcePriority', value: action.value };
    case 'setChargerSourcePriority':
      return { kind: 'chargerSourcePriority', value: action.value };
    case 'setMaxChargingCurrent':
      return { kind: 'maxChargingCurrent', valueA: action.value };
    case 'setMaxAcChargingCurrent':
      return { kind: 'maxAcChargingCurrent', valueA: action.value };
    case 'setBulkVoltage':
      return { kind: 'bulkVoltage', valueV: action.value };
    case 'setFloatVoltage':
      return { kind: 'floatVoltage', valueV: action.value };
    case 'setRechargeVoltage':
      return { kind: 'rechargeVoltage', valueV: action.value };
    case 'setRedischargeVoltage':
      return { kind: 'redischargeVoltage', valueV: action.value };
    case 'setCutoffVoltage':
      return { kind: 'cutoffVoltage', valueV: action.value };
  }
}

/**
 * The formatter the command queue uses by default: the firmware's ranges for the battery voltage class
 * the inverter reports (QPIRI batteryRatingVoltageV), 48 V when it reports none.
 */
export const formatPi30Setting: SettingFormatter = (action, settings) => {
  const rating = settings.batteryRatingVoltageV;
  const batteryNominalV = rating === 12 || rating === 24 ? rating : 48;
  const built = buildSettingCommand(toPi30(action), { batteryNominalV });
  return built.ok ? { ok: true, value: built.value } : { ok: false, reason: built.error.message };
};
