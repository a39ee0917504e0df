/**
 * The original installation's rules, as data: a condition that must hold for a while, optional
 * hysteresis (once acted, a rule waits for `rearmWhen` before it may act again), a cooldown, and the
 * actions, whose values may name thresholds. The engine in controller.ts interprets them.
 */
import type { ControlAction } from '../../shared/control.js';
import type { ChargerSourcePriority, OutputSourcePriority } from '../../shared/series.js';
import type { Condition, ThresholdName } from './conditions.js';
import type { ControllerThresholds } from './thresholds.js';

/**
 * One action of a rule. `direction` makes it one-way: `lower` acts only when the known setting is above
 * the target, `raise` only when below (unknown settings are acted on: the queue reads them back anyway).
 */
export type ActionTemplate =
  | { action: 'setOutputSourcePriority'; value: OutputSourcePriority }
  | { action: 'setChargerSourcePriority'; value: ChargerSourcePriority }
  | { action: 'setGridRelay'; value: 'connected' | 'disconnected' }
  | {
      action: 'setMaxChargingCurrent' | 'setBulkVoltage' | 'setFloatVoltage';
      threshold: ThresholdName;
      direction?: 'lower' | 'raise';
    };

export interface Rule {
  id: string;
  /** One line a person understands: what the rule does and why. */
  description: string;
  when: Condition;
  /** How long `when` must hold, in minutes: a number or the name of a threshold. */
  sustainMinutes: number | ThresholdName;
  rearmWhen?: Condition;
  /** Default: the `cooldownMinutes` threshold. */
  cooldownMinutes?: number | ThresholdName;
  then: ActionTemplate[];
}

const battery = 'inverter.batteryVoltageV';
const v = (op: '<=' | '>=' | '<' | '>', threshold: ThresholdName, plus?: number): Condition => ({
  series: battery,
  op,
  to: plus === undefined ? { threshold } : { threshold, plus },
});
const is = (series: string, value: string | boolean): Condition => ({ series, op: '==', to: { value } });

/**
 * Evaluated in this order on every sample. Protection comes first, so a full battery gets its safe
 * current before the nearly-full rule would spend a write on the reduced one.
 */
export const DEFAULT_RULES: readonly Rule[] = [
  {
    id: 'batteryFullProtect',
    description: 'battery full, BMS charge MOS off or a cell at its maximum: safe bulk and float, charge current capped',
    when: {
      any: [
        v('>=', 'batteryFullV'),
        is('bms.chargeMosOn', false),
        { series: 'bms.cellVoltagesV', of: 'max', op: '>=', to: { threshold: 'cellMaxV' } },
        { series: 'bms.maxCellVoltageV', op: '>=', to: { threshold: 'cellMaxV' } },
      ],
    },
    sustainMinutes: 'fullMinutes',
    // Float first when lowering, so float never sits above bulk in between.
    then: [
      { action: 'setFloatVoltage', threshold: 'floatLowV', direction: 'lower' },
      { action: 'setBulkVoltage', threshold: 'cvLowV', direction: 'lower' },
      { action: 'setMaxChargingCurrent', threshold: 'chargeCurrentSafeA', direction: 'lower' },
    ],
  },
  {
    id: 'lowSocAllowUtilityCharging',
    description: 'SOC low while charging from solar only: allow solar and utility charging',
    when: { all: [{ series: 'bms.socPct', op: '<=', to: { threshold: 'socLowPct' } }, is('inverter.chargerSourcePriority', 'solarOnly')] },
    sustainMinutes: 'socMinutes',
    rearmWhen: { series: 'bms.socPct', op: '>=', to: { threshold: 'socHighPct' } },
    then: [{ action: 'setChargerSourcePriority', value: 'solarAndUtility' }],
  },
  {
    id: 'socRecoveredSolarOnly',
    description: 'SOC back above the high mark: charge from solar only again',
    when: { all: [{ series: 'bms.socPct', op: '>=', to: { threshold: 'socHighPct' } }, is('inverter.chargerSourcePriority', 'solarAndUtility')] },
    sustainMinutes: 'socMinutes',
    rearmWhen: { series: 'bms.socPct', op: '<=', to: { threshold: 'socLowPct' } },
    then: [{ action: 'setChargerSourcePriority', value: 'solarOnly' }],
  },
  {
    id: 'batteryLowConnectGrid',
    description: 'battery low with the grid disconnected: connect the grid',
    when: { all: [v('<=', 'gridRelayOnV'), is('relay.gridConnected', false)] },
    sustainMinutes: 'lowVoltageMinutes',
    rearmWhen: v('>=', 'gridRelayOffV'),
    then: [{ action: 'setGridRelay', value: 'connected' }],
  },
  {
    id: 'batteryLowToUtility',
    description: 'battery low in SBU: switch the output to utility first and connect the grid',
    when: { all: [v('<=', 'switchToUsbV'), is('inverter.outputSourcePriority', 'sbu')] },
    sustainMinutes: 'lowVoltageMinutes',
    rearmWhen: v('>=', 'gridRelayOffV'),
    then: [
      { action: 'setGridRelay', value: 'connected' },
      { action: 'setOutputSourcePriority', value: 'utilityFirst' },
    ],
  },
  {
    id: 'batteryRecoveredToSbu',
    description: 'battery recovered to the re-discharge voltage: back to SBU and disconnect the grid',
    when: {
      all: [
        v('>=', 'gridRelayOffV'),
        // A battery resting on the grid bounces back above the re-discharge voltage long before it holds
        // charge again; with a BMS the SOC must confirm it, or the relay would switch every hour all night.
        { series: 'bms.socPct', op: '>=', to: { threshold: 'socHighPct' }, ifUnknown: true },
        { any: [is('inverter.outputSourcePriority', 'utilityFirst'), is('relay.gridConnected', true)] },
      ],
    },
    sustainMinutes: 'recoveredMinutes',
    rearmWhen: v('<=', 'gridRelayOnV'),
    then: [
      { action: 'setOutputSourcePriority', value: 'sbu' },
      { action: 'setGridRelay', value: 'disconnected' },
    ],
  },
  {
    id: 'nearlyFullReduceCurrent',
    description: 'battery nearly full: lower the charge current and run the output from the battery (SBU)',
    when: v('>=', 'nearlyFullV'),
    sustainMinutes: 'fullMinutes',
    rearmWhen: v('<', 'nearlyFullV', -1),
    then: [
      { action: 'setMaxChargingCurrent', threshold: 'chargeCurrentReducedA', direction: 'lower' },
      { action: 'setOutputSourcePriority', value: 'sbu' },
    ],
  },
  {
    id: 'nightlyRestoreOptimal',
    description: 'restore the optimal bulk, float and charge current for the next day',
    when: {
      all: [
        { localHourIs: 'restoreHour' },
        { series: 'bms.cellVoltagesV', of: 'max', op: '<', to: { threshold: 'cellMaxV' }, ifUnknown: true },
        { series: 'bms.maxCellVoltageV', op: '<', to: { threshold: 'cellMaxV' }, ifUnknown: true },
        {
          any: [
            { series: 'inverter.batteryBulkVoltageV', op: '<', to: { threshold: 'cvHighV', plus: -0.05 } },
            { series: 'inverter.batteryFloatVoltageV', op: '<', to: { threshold: 'floatHighV', plus: -0.05 } },
            { series: 'inverter.maxChargingCurrentA', op: '<', to: { threshold: 'chargeCurrentOptimalA' } },
          ],
        },
      ],
    },
    sustainMinutes: 0,
    cooldownMinutes: 12 * 60,
    // Bulk first when raising, so float never sits above bulk in between.
    then: [
      { action: 'setBulkVoltage', threshold: 'cvHighV', direction: 'raise' },
      { action: 'setFloatVoltage', threshold: 'floatHighV', direction: 'raise' },
      { action: 'setMaxChargingCurrent', threshold: 'chargeCurrentOptimalA', direction: 'raise' },
    ],
  },
];

/** The series that shows an action's current state. */
export function stateSeries(action: ActionTemplate['action']): string {
  switch (action) {
    case 'setGridRelay':
      return 'relay.gridConnected';
    case 'setOutputSourcePriority':
      return 'inverter.outputSourcePriority';
    case 'setChargerSourcePriority':
      return 'inverter.chargerSourcePriority';
    case 'setMaxChargingCurrent':
      return 'inverter.maxChargingCurrentA';
    case 'setBulkVoltage':
      return 'inverter.batteryBulkVoltageV';
    case 'setFloatVoltage':
      return 'inverter.batteryFloatVoltageV';
  }
}

/** The concrete action, or null when the known state already satisfies it. */
export function resolveAction(
  template: ActionTemplate,
  thresholds: ControllerThresholds,
  current: string | number | boolean | undefined,
): ControlAction | null {
  if ('threshold' in template) {
    const value = thresholds[template.threshold];
    if (typeof current === 'number') {
      if (Math.abs(current - value) < 0.05) return null;
      if (template.direction === 'lower' && current < value) return null;
      if (template.direction === 'raise' && current > value) return null;
    }
    return { action: template.action, value } as ControlAction;
  }
  if (template.action === 'setGridRelay') {
    return current === (template.value === 'connected') ? null : { action: 'setGridRelay', value: template.value };
  }
  return current === template.value ? null : (template as ControlAction);
}

export const minutesOf = (m: number | ThresholdName, thresholds: ControllerThresholds): number =>
  typeof m === 'number' ? m : thresholds[m];
