import { describe, expect, it } from 'vitest';
import type { FieldValue, Sample } from '../../shared/samples.js';
import { checkSample, type CheckedSample } from './sample-input.js';

const sample = (values: Record<string, FieldValue>, source = 'QPIRI', device: Sample['device'] = 'inverter'): Sample => ({ device, tsMs: 1000, source, values });

/** table -> column -> value, as the writer reads a checked sample. */
function columns(checked: CheckedSample): Record<string, Record<string, FieldValue>> {
  const out: Record<string, Record<string, FieldValue>> = {};
  for (const { columns: set, start } of checked.parts) {
    out[set.table.name] = Object.fromEntries(set.locations.map((l, i) => [l.column.column, checked.values[start + i] as FieldValue]));
  }
  return out;
}

describe('checkSample', () => {
  it('splits values into their tables, tables in the order of their first field name, and sorts the extras', () => {
    const checked = checkSample(sample({ warningBits: '0', batteryFloatVoltageV: 54, zRated: 1, mode: 'line', aRated: 'x', outputSourcePriority: 'sbu' }));
    expect(checked.parts.map((p) => p.columns.table.name)).toEqual(['inverter_settings', 'inverter_state']);
    expect(columns(checked)).toEqual({
      inverter_settings: { battery_float_voltage_v: 54, output_source_priority: 'sbu' },
      inverter_state: { mode: 'line', warning_bits: '0' },
    });
    expect(JSON.stringify(checked.extra)).toBe('{"aRated":"x","zRated":1}');
  });

  it('follows a source whose fields change from one sample to the next', () => {
    const first = checkSample(sample({ voltageV: 230, activePowerW: 5 }, 'read', 'meter'));
    const reordered = checkSample(sample({ activePowerW: 6, voltageV: 231 }, 'read', 'meter'));
    const fewer = checkSample(sample({ activePowerW: 7, extraField: true }, 'read', 'meter'));
    const same = checkSample(sample({ activePowerW: 8, extraField: false }, 'read', 'meter'));
    expect(columns(first)).toEqual({ meter: { active_power_w: 5, voltage_v: 230 } });
    expect(columns(reordered)).toEqual({ meter: { active_power_w: 6, voltage_v: 231 } });
    expect(columns(fewer)).toEqual({ meter: { active_power_w: 7 } });
    expect(same.extra).toEqual({ extraField: false });
    // One column set per table and set of columns, whatever the key order: the writer prepares one insert for it.
    expect(reordered.parts[0]?.columns).toBe(first.parts[0]?.columns);
    expect(same.parts[0]?.columns).toBe(fewer.parts[0]?.columns);
    expect(fewer.parts[0]?.columns).not.toBe(first.parts[0]?.columns);
  });

  it('checks every sample, not only the first of its layout, and names the first bad field by name order', () => {
    checkSample(sample({ batteryFloatVoltageV: 54, outputSourcePriority: 'sbu' }));
    expect(() => checkSample(sample({ batteryFloatVoltageV: '54', outputSourcePriority: 'sbu' }))).toThrow(/batteryFloatVoltageV must be a finite number/);
    expect(() => checkSample(sample({ zRated: Number.POSITIVE_INFINITY, outputSourcePriority: 3, batteryFloatVoltageV: 54 }))).toThrow(/outputSourcePriority must be text/);
    expect(() => checkSample(sample({ zRated: Number.NaN, batteryFloatVoltageV: 54 }))).toThrow(/zRated is not a finite number/);
  });

  it('keeps working when a caller invents a new source for every sample', () => {
    for (let i = 0; i < 200; i++) expect(columns(checkSample(sample({ socPct: i }, `0x${i}`, 'bms')))).toEqual({ bms: { soc_pct: i } });
  });
});
