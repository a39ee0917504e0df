import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../types.js';
import { buildCatalog, type ColumnRow } from './catalog.js';
import { mapValues, planUpserts } from './upsert.js';

const col = (table: string, column: string, dataType: string, columnType = dataType, maxChars: number | null = null): ColumnRow => ({
  table,
  column,
  dataType,
  columnType,
  maxChars,
  generated: false,
});

const keyColumns = (table: string): ColumnRow[] => [
  col(table, 'site', 'varchar', 'varchar(64)', 64),
  col(table, 'ts_ms', 'bigint'),
  col(table, 'source', 'varchar', 'varchar(32)', 32),
  col(table, 'extra', 'longtext'),
];

const built = buildCatalog([
  ...['inverter', 'bms', 'meter', 'relay'].flatMap((d) => keyColumns(`${d}_samples`)),
  col('inverter_samples', 'battery_voltage_v', 'double'),
  col('inverter_samples', 'mode', 'varchar', 'varchar(16)', 16),
  col('inverter_samples', 'device_status__load_on', 'tinyint', 'tinyint(1)'),
  col('inverter_samples', 'faults', 'text', 'text', 65535),
  col('inverter_samples', 'created', 'datetime'),
  { ...col('inverter_samples', 'created_hour', 'datetime'), generated: true },
  col('bms_samples', 'cell_voltages_v_0', 'double'),
  col('bms_samples', 'cell_voltages_v_1', 'double'),
]);
if (!built.ok) throw new Error(built.error);
const catalog = built.catalog;
const inverterColumns = catalog.get('inverter_samples') ?? new Map();

describe('outbox rows to upserts', () => {
  it('puts each value in its column and keeps what has no column, or does not fit, in extra', () => {
    const mapped = mapValues(
      {
        batteryVoltageV: 52.1,
        mode: 'B',
        'deviceStatus.loadOn': true,
        modelName: 'MKS2-5000',
        crcRawHex: 'b7a9',
        'faults[1]': 'busUnder',
        'faults[0]': 'inverterFault',
      },
      inverterColumns,
    );
    expect(Object.fromEntries(mapped)).toEqual({
      battery_voltage_v: 52.1,
      mode: 'B',
      device_status__load_on: 1,
      faults: 'inverterFault,busUnder',
      extra: JSON.stringify({ modelName: 'MKS2-5000' }),
    });
  });

  it('never lets a value of the wrong kind reach a typed column', () => {
    const mapped = mapValues({ batteryVoltageV: 'high', mode: 'x'.repeat(17), 'deviceStatus.loadOn': 2, site: 'evil', source: 'QX' }, inverterColumns);
    expect(mapped.get('battery_voltage_v')).toBeUndefined();
    expect(mapped.get('mode')).toBeUndefined();
    expect(mapped.get('device_status__load_on')).toBeUndefined();
    expect(JSON.parse(String(mapped.get('extra')))).toEqual({
      batteryVoltageV: 'high',
      mode: 'x'.repeat(17),
      'deviceStatus.loadOn': 2,
      site: 'evil',
      source: 'QX',
    });
  });

  it('writes indexed fields to their own columns and skips generated ones', () => {
    const bms = catalog.get('bms_samples') ?? new Map();
    expect(Object.fromEntries(mapValues({ 'cellVoltagesV[0]': 3.31, 'cellVoltagesV[1]': 3.32, 'cellVoltagesV[2]': 3.33 }, bms))).toEqual({
      cell_voltages_v_0: 3.31,
      cell_voltages_v_1: 3.32,
      extra: JSON.stringify({ 'cellVoltagesV[2]': 3.33 }),
    });
    expect(inverterColumns.has('created_hour')).toBe(false);
  });

  it('groups rows per table and source into one multi-row upsert each, keyed by site, ts and source', () => {
    const rows: OutboxRow[] = [
      { id: 1, device: 'inverter', source: 'QPIGS', tsMs: 1000, values: { batteryVoltageV: 52 } },
      { id: 2, device: 'inverter', source: 'QMOD', tsMs: 1000, values: { mode: 'B' } },
      { id: 3, device: 'inverter', source: 'QPIGS', tsMs: 2000.4, values: { batteryVoltageV: 52.5 } },
    ];
    const plan = planUpserts(rows, 'logger', catalog);
    expect(plan.rejected).toEqual([]);
    expect(plan.statements.map((s) => s.rowIds)).toEqual([[1, 3], [2]]);
    const [qpigs] = plan.statements;
    expect(qpigs?.sql).toBe(
      'INSERT INTO `inverter_samples` (`site`, `ts_ms`, `source`, `battery_voltage_v`, `extra`) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE `battery_voltage_v` = VALUES(`battery_voltage_v`), `extra` = VALUES(`extra`)',
    );
    expect(qpigs?.params).toEqual(['logger', 1000, 'QPIGS', 52, null, 'logger', 2000, 'QPIGS', 52.5, null]);
  });

  it('rejects rows that cannot have a table or key, with the reason', () => {
    const rows = [
      { id: 7, device: 'toaster', source: 'X', tsMs: 1, values: {} },
      { id: 8, device: 'inverter', source: '', tsMs: 1, values: {} },
      { id: 9, device: 'bms', source: '0x90', tsMs: Number.NaN, values: {} },
    ] as unknown as OutboxRow[];
    const plan = planUpserts(rows, 'logger', catalog);
    expect(plan.statements).toEqual([]);
    expect(plan.rejected.map((r) => r.id)).toEqual([7, 8, 9]);
    expect(plan.rejected[0]?.reason).toMatch(/unknown device "toaster"/);
    expect(plan.rejected[2]?.reason).toMatch(/timestamp NaN/);
  });

  it('refuses a schema that lacks a device table or its key columns', () => {
    const result = buildCatalog(keyColumns('inverter_samples'));
    expect(result).toEqual({ ok: false, error: 'table bms_samples lacks column(s) site, ts_ms, source, extra' });
  });
});
