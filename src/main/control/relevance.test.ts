import { describe, expect, it } from 'vitest';
import type { Sample } from '../../shared/samples.js';
import { sampleRelevance } from './relevance.js';
import { DEFAULT_RULES, type Rule } from './rules.js';

const sample = (device: Sample['device'], values: Sample['values']): Sample => ({ device, tsMs: 0, source: 'test', values });

describe('sampleRelevance', () => {
  const relevance = sampleRelevance(DEFAULT_RULES);

  it('runs the default rules on what they compare: battery voltage, SOC, cell voltages', () => {
    expect(relevance.matters(sample('inverter', { batteryVoltageV: 52.1, acOutputPowerW: 300 }))).toBe(true);
    expect(relevance.matters(sample('bms', { socPct: 40 }))).toBe(true);
    expect(relevance.matters(sample('bms', { 'cellVoltagesV[7]': 3.31 }))).toBe(true);
  });

  it('and on the settings their actions change, so a rule knows when nothing is left to do', () => {
    expect(relevance.matters(sample('inverter', { outputSourcePriority: 'sbu' }))).toBe(true);
    expect(relevance.matters(sample('relay', { gridConnected: true }))).toBe(true);
  });

  it('not on series no rule reads', () => {
    expect(relevance.matters(sample('meter', { activePowerW: 1200, importEnergyKwh: 5 }))).toBe(false);
    expect(relevance.matters(sample('bms', { activeAlarms: '', faultCode: 0 }))).toBe(false);
    // A family compared as a whole does not make every indexed series relevant.
    expect(relevance.matters(sample('bms', { 'temperaturesC[0]': 21 }))).toBe(false);
  });

  it('follows the rules it is given', () => {
    const meterRule: Rule = {
      id: 'test',
      description: 'test',
      when: { any: [{ series: 'meter.activePowerW', op: '>', to: { value: 3000 } }] },
      sustainMinutes: 0,
      then: [{ action: 'setGridRelay', value: 'disconnected' }],
    };
    const custom = sampleRelevance([meterRule]);
    expect(custom.matters(sample('meter', { activePowerW: 1200 }))).toBe(true);
    expect(custom.matters(sample('inverter', { batteryVoltageV: 52.1 }))).toBe(false);
  });
});
