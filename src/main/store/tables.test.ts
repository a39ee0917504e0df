import { describe, expect, it } from 'vitest';
import { SERIES } from '../../shared/series.js';
import { TABLES, columnName, locateSeries } from './tables.js';

describe('device tables', () => {
  it('store every catalogue series in exactly one table, under a unique column', () => {
    const placed = TABLES.flatMap((t) => t.columns.map((c) => c.series));
    expect(placed.sort()).toEqual(SERIES.map((s) => `${s.device}.${s.field}`).sort());
    for (const table of TABLES) expect(new Set(table.columns.map((c) => c.column)).size).toBe(table.columns.length);
  });

  it('name columns in snake case with units kept readable', () => {
    expect(columnName('cellVoltagesV[15]')).toBe('cell_voltages_v_15');
    expect(columnName('acOutputApparentPowerVA')).toBe('ac_output_apparent_power_va');
    expect(columnName('batteryVoltageFromSccV')).toBe('battery_voltage_from_scc_v');
    expect(columnName('deviceStatus.loadOn')).toBe('device_status_load_on');
  });

  it('keep settings and mode as changes and roll up only per-sample numbers and booleans', () => {
    expect(locateSeries('inverter.batteryFloatVoltageV')?.table.name).toBe('inverter_settings');
    expect(locateSeries('inverter.mode')?.table.name).toBe('inverter_state');
    expect(locateSeries('inverter.pvPowerW')?.table.name).toBe('inverter_status');
    const bms = TABLES.find((t) => t.name === 'bms');
    expect(bms?.rollupColumns.map((c) => c.field)).toEqual(expect.arrayContaining(['socPct', 'chargeMosOn', 'cellVoltagesV[0]']));
    expect(bms?.rollupColumns.map((c) => c.field)).not.toContain('state');
  });
});
