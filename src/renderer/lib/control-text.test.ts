import { describe, expect, it } from 'vitest';
import type { ControlResponse } from '../../shared/api';
import type { ControlAction } from '../../shared/control';
import { describeAction, describeOutcome } from './control-text';

const response = (action: ControlAction, outcome: ControlResponse['outcome']): ControlResponse => ({ id: 1, action, outcome });

describe('confirmation questions', () => {
  it('name the setting with the inverter display abbreviation', () => {
    expect(describeAction({ action: 'setOutputSourcePriority', value: 'sbu' })).toContain('SBU');
    expect(describeAction({ action: 'setChargerSourcePriority', value: 'solarOnly' })).toContain('only solar');
  });

  it('show voltages with their unit', () => {
    expect(describeAction({ action: 'setFloatVoltage', value: 54 }, 'en-US')).toBe('Set the float voltage to 54.00\u00a0V?');
  });

  it('warn what disconnecting the grid means', () => {
    expect(describeAction({ action: 'setGridRelay', value: 'disconnected' })).toMatch(/solar and battery only/);
  });
});

describe('outcomes', () => {
  it('applied: says what the device reads back', () => {
    const text = describeOutcome(response({ action: 'setOutputSourcePriority', value: 'sbu' }, { status: 'applied', before: 'utilityFirst', after: 'sbu', message: 'POP02' }));
    expect(text.tone).toBe('ok');
    expect(text.title).toBe('Applied: the device reads SBU');
    expect(text.detail).toContain('USB');
  });

  it('refused: gives the reason', () => {
    const text = describeOutcome(response({ action: 'setBulkVoltage', value: 70 }, { status: 'refused', reason: 'bulk voltage 70 V is outside the battery window 48.0-58.4 V' }));
    expect(text).toEqual({ tone: 'error', title: 'Refused', detail: 'bulk voltage 70 V is outside the battery window 48.0-58.4 V' });
  });

  it('failed: says what the device reads instead', () => {
    const text = describeOutcome(response({ action: 'setMaxChargingCurrent', value: 60 }, { status: 'failed', reason: 'read back 40', before: 40, after: 40 }), 'en-US');
    expect(text.tone).toBe('error');
    expect(text.title).toBe('Failed: the device reads 40.0\u00a0A');
  });

  it('grid relay read-back is in words', () => {
    const text = describeOutcome(response({ action: 'setGridRelay', value: 'connected' }, { status: 'applied', before: false, after: true, message: 'grid connected' }));
    expect(text.title).toBe('Applied: the device reads Connected');
  });

  it('dry run and unchanged are not errors', () => {
    expect(describeOutcome(response({ action: 'setController', value: 'on' }, { status: 'dryRun', message: 'would send' })).tone).toBe('neutral');
    expect(describeOutcome(response({ action: 'setController', value: 'on' }, { status: 'unchanged', reason: 'already on' })).tone).toBe('neutral');
  });
});
