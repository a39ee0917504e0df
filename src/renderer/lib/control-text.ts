/** What a control action and its outcome say to the person who pressed the button. */
import type { ControlResponse } from '../../shared/api';
import type { ControlAction } from '../../shared/control';
import type { FieldValue } from '../../shared/samples';
import { formatSeriesValue } from './format';
import { CHARGER_PRIORITY_LABEL, OUTPUT_PRIORITY_LONG, OUTPUT_PRIORITY_SHORT } from './labels';

/** The series each action changes, for reading its value back in words. */
export const ACTION_SERIES: Record<ControlAction['action'], string> = {
  setOutputSourcePriority: 'inverter.outputSourcePriority',
  setChargerSourcePriority: 'inverter.chargerSourcePriority',
  setMaxChargingCurrent: 'inverter.maxChargingCurrentA',
  setMaxAcChargingCurrent: 'inverter.maxAcChargingCurrentA',
  setBulkVoltage: 'inverter.batteryBulkVoltageV',
  setFloatVoltage: 'inverter.batteryFloatVoltageV',
  setRechargeVoltage: 'inverter.batteryRechargeVoltageV',
  setRedischargeVoltage: 'inverter.batteryRedischargeVoltageV',
  setCutoffVoltage: 'inverter.batteryUnderVoltageV',
  setGridRelay: 'relay.gridConnected',
  setController: 'controller.mode',
};

const CONTROLLER_MODE_LABEL: Record<string, string> = { off: 'Off', on: 'On', dryRun: 'Dry run' };

/** A value read back (before/after) in the words of its setting. */
export function settingText(action: ControlAction['action'], value: unknown, locale?: string): string {
  if (value === null || value === undefined) return 'unknown';
  if (action === 'setController') return CONTROLLER_MODE_LABEL[String(value)] ?? String(value);
  if (action === 'setGridRelay' && typeof value === 'string') return value === 'connected' ? 'Connected' : 'Disconnected';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return formatSeriesValue(ACTION_SERIES[action], value as FieldValue, locale);
  return String(value);
}

/** The question the confirmation dialog asks. */
export function describeAction(action: ControlAction, locale?: string): string {
  switch (action.action) {
    case 'setOutputSourcePriority':
      return `Set the output source priority to ${OUTPUT_PRIORITY_SHORT[action.value]} (${OUTPUT_PRIORITY_LONG[action.value].toLowerCase()})?`;
    case 'setChargerSourcePriority':
      return `Set the charger source priority to ${CHARGER_PRIORITY_LABEL[action.value].toLowerCase()}?`;
    case 'setGridRelay':
      return action.value === 'connected' ? 'Connect the grid (close the grid relay)?' : 'Disconnect the grid (open the grid relay)? The house then runs on solar and battery only.';
    case 'setController':
      return `Switch the controller ${action.value === 'dryRun' ? 'to dry run (it decides and logs, but sends nothing)' : action.value}?`;
    default:
      return `Set ${SETTING_NAME[action.action]} to ${settingText(action.action, action.value, locale)}?`;
  }
}

const SETTING_NAME: Record<ControlAction['action'], string> = {
  setOutputSourcePriority: 'the output source priority',
  setChargerSourcePriority: 'the charger source priority',
  setMaxChargingCurrent: 'the max charging current',
  setMaxAcChargingCurrent: 'the max utility charging current',
  setBulkVoltage: 'the bulk (C.V.) voltage',
  setFloatVoltage: 'the float voltage',
  setRechargeVoltage: 'the re-charge voltage',
  setRedischargeVoltage: 'the re-discharge voltage',
  setCutoffVoltage: 'the cut-off voltage',
  setGridRelay: 'the grid relay',
  setController: 'the controller',
};

export type OutcomeTone = 'ok' | 'neutral' | 'error';

export interface OutcomeText {
  tone: OutcomeTone;
  title: string;
  detail: string;
}

/** The answer in words: what the device reads now, or why nothing was done. */
export function describeOutcome(response: ControlResponse, locale?: string): OutcomeText {
  const name = response.action.action;
  const o = response.outcome;
  switch (o.status) {
    case 'applied':
      return { tone: 'ok', title: `Applied: the device reads ${settingText(name, o.after, locale)}`, detail: `Before: ${settingText(name, o.before, locale)}. ${o.message}` };
    case 'unchanged':
      return { tone: 'neutral', title: 'Nothing to change', detail: o.reason };
    case 'dryRun':
      return { tone: 'neutral', title: 'Dry run: nothing was sent', detail: o.message };
    case 'refused':
      return { tone: 'error', title: 'Refused', detail: o.reason };
    case 'failed':
      return { tone: 'error', title: `Failed: the device reads ${settingText(name, o.after, locale)}`, detail: o.reason };
  }
}
