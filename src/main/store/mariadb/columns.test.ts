import { describe, expect, it } from 'vitest';
import { columnName, isWireField, splitField } from './columns.js';

describe('field to column names', () => {
  it('turns protocols.md field names into snake_case columns, units and indices included', () => {
    expect(columnName('batteryVoltageV')).toBe('battery_voltage_v');
    expect(columnName('acOutputApparentPowerVA')).toBe('ac_output_apparent_power_va');
    expect(columnName('pv2InputVoltageV')).toBe('pv2_input_voltage_v');
    expect(columnName('importActiveEnergyKwh')).toBe('import_active_energy_kwh');
    expect(columnName('cellVoltagesV[15]')).toBe('cell_voltages_v_15');
    expect(columnName('deviceStatus.loadOn')).toBe('device_status__load_on');
    expect(columnName('deviceStatus2Bits')).toBe('device_status2_bits');
  });

  it('splits list items and recognises wire bookkeeping', () => {
    expect(splitField('activeAlarms[2]')).toEqual({ base: 'activeAlarms', index: 2 });
    expect(splitField('socPct')).toEqual({ base: 'socPct', index: null });
    expect(isWireField('frameNumbers[3]')).toBe(true);
    expect(isWireField('crcRawHex')).toBe(true);
    expect(isWireField('socPct')).toBe(false);
  });
});
