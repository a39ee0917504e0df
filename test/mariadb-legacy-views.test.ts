/**
 * The legacy views against the original installation's data and dashboards: every fixture that records
 * the original varN values must read back the same through the views, and every panel query of the
 * three original Grafana dashboards, with its macros expanded as Grafana expands them, must return rows.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { toSampleValues } from '../src/main/devices/core/sample-values.js';
import { createSync } from '../src/main/store/mariadb/sync.js';
import { flattenFields, type DeviceKind, type FieldValue } from '../src/shared/samples.js';
import { createTestDatabase, MARIADB, MemoryOutbox, sharedSetup, type TestDatabase } from './mariadb-helpers.js';

interface FixtureCase {
  id: string;
  command: string;
  direction: string;
  valid: boolean;
  expected?: Record<string, unknown> & { legacy?: Record<string, number | string> | null; values?: Record<string, unknown> };
}

const fixtures = (name: string): FixtureCase[] => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as FixtureCase[];

const LEGACY_TABLE: Record<string, string> = { QPIGS: 'QPIGS', QPIRI: 'QPIRI', QMOD: 'QMOD', QPIWS: 'QPIWS', Q1: 'Q1' };

interface LegacyCase {
  id: string;
  device: DeviceKind;
  source: string;
  table: string;
  values: Record<string, FieldValue>;
  legacy: Record<string, number | string>;
}

function legacyCases(): LegacyCase[] {
  const cases: LegacyCase[] = [];
  const add = (file: string, device: DeviceKind, table: (c: FixtureCase) => string | undefined, source: (c: FixtureCase) => string) => {
    for (const c of fixtures(file)) {
      const expected = c.expected;
      if (!c.valid || c.direction !== 'response' || !expected?.legacy || expected.nak) continue;
      const t = table(c);
      if (!t) continue;
      const { legacy, ...rest } = expected;
      const decoded = (device === 'meter' ? expected.values : rest) as Record<string, unknown>;
      // As the drivers send it (names, with the codes beside them), and as the codec decoded it.
      cases.push({ id: `${c.id} (driver sample)`, device, source: source(c), table: t, values: toSampleValues(decoded), legacy });
      cases.push({ id: `${c.id} (codec fields)`, device, source: source(c), table: t, values: flattenFields(decoded), legacy });
    }
  };
  add('pi30.json', 'inverter', (c) => LEGACY_TABLE[c.command], (c) => c.command);
  add('daly.json', 'bms', () => 'BMS', (c) => c.command);
  add('mbmd.json', 'meter', () => 'SDM230', () => 'mbmd');
  return cases;
}

/** QPIRI and QMOD readings with enumerations by name only, no codes beside them. */
function byNameCases(cases: LegacyCase[]): LegacyCase[] {
  const qpiri = cases.find((c) => c.id === 'pi30-qpiri-28f-max (codec fields)');
  const qmod = cases.find((c) => c.id === 'pi30-qmod-B (codec fields)');
  if (!qpiri || !qmod) throw new Error('fixtures changed: pi30-qpiri-28f-max / pi30-qmod-B missing');
  return [
    { ...qpiri, id: 'QPIRI by names only', values: { ...qpiri.values, batteryType: 'user', outputSourcePriority: 'sbu', chargerSourcePriority: 'solarAndUtility' } },
    { ...qmod, id: 'QMOD by name only', values: { mode: 'battery' } },
  ];
}

const T0 = Date.UTC(2026, 5, 20, 22, 0, 0); // local midnight at +02:00, the zone the STATS dashboard assumes

async function ship(db: TestDatabase, outbox: MemoryOutbox): Promise<void> {
  const sync = createSync({ url: db.url(), site: 'logger', outbox, batchSize: 1000 });
  const result = await sync.drain();
  await sync.stop();
  if (!result.ok) throw new Error(result.error ?? 'sync failed');
}

describe('legacy views read like the original tables', () => {
  const cases = legacyCases();
  const all = [...cases, ...byNameCases(cases)];
  const tsOf = new Map<string, number>();
  const database = sharedSetup(async () => {
    const db = await createTestDatabase();
    const outbox = new MemoryOutbox();
    all.forEach((c, i) => {
      const ts = T0 + i * 1000 + 250;
      tsOf.set(c.id, ts);
      outbox.add(c.device, c.source, ts, c.values);
    });
    await ship(db, outbox);
    return db;
  }, (db) => db.drop());

  it('covers every legacy table with fixtures', () => {
    expect(new Set(all.map((c) => c.table))).toEqual(new Set(['QPIGS', 'QPIRI', 'QMOD', 'QPIWS', 'Q1', 'BMS', 'SDM230']));
  });

  it.each(all.map((c) => [c.id, c] as const))('%s gives the original varN values', async (_id, c) => {
    const db = await database();
    const ts = tsOf.get(c.id) ?? 0;
    const [rows] = await db.admin.query(`SELECT * FROM ${c.table} WHERE created = FROM_UNIXTIME(?)`, [Math.floor(ts / 1000)]);
    const list = rows as Array<Record<string, unknown>>;
    expect(list.length).toBe(1);
    const row = list[0] ?? {};
    expect(row.created).toBe(new Date(Math.floor(ts / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '));
    for (const [column, value] of Object.entries(c.legacy)) {
      if (typeof value === 'number') expect(Number(row[column]), column).toBeCloseTo(value, 5);
      else expect(row[column], column).toBe(value);
    }
  });
});

describe('legacy BMS view', () => {
  const database = sharedSetup(() => createTestDatabase(), (db) => db.drop());

  it('joins the replies of one poll (0x90 ... 0x98, one row each) into one row with all 49 columns', async () => {
    const db = await database();
    const outbox = new MemoryOutbox();
    const poll = fixtures('daly.json').filter((c) => /^daly-9[0-8]-(mpp|b)/.test(c.id) && c.valid && c.expected?.legacy);
    const byId = new Map<string, FixtureCase>();
    for (const c of poll) if (!byId.has(c.command)) byId.set(c.command, c);
    const expected: Record<string, number | string> = {};
    [...byId.values()].forEach((c, i) => {
      const { legacy, ...rest } = c.expected ?? {};
      Object.assign(expected, legacy);
      outbox.add('bms', c.command, T0 + 100 + i * 90, toSampleValues(rest));
    });
    await ship(db, outbox);
    const [rows] = await db.admin.query('SELECT * FROM BMS');
    const list = rows as Array<Record<string, unknown>>;
    expect(list.length).toBe(1);
    expect(Object.keys(expected).sort()).toEqual(Array.from({ length: 49 }, (_, i) => `var${i + 1}`).sort());
    for (const [column, value] of Object.entries(expected)) {
      if (typeof value === 'number') expect(Number(list[0]?.[column]), column).toBeCloseTo(value, 5);
      else expect(list[0]?.[column], column).toBe(value);
    }
  });
});

// ---- the original dashboards ----

interface Panel {
  file: string;
  title: string;
  sql: string;
}

function dashboardQueries(): Panel[] {
  const out: Panel[] = [];
  for (const file of ['AXPERT.json', 'BMS.json', 'STATS.json']) {
    const dashboard = JSON.parse(readFileSync(new URL(`./fixtures/grafana/${file}`, import.meta.url), 'utf8')) as { panels?: unknown[] };
    const walk = (panels: unknown[]) => {
      for (const p of panels as Array<{ title?: string; panels?: unknown[]; targets?: Array<{ rawSql?: string }> }>) {
        if (p.panels) walk(p.panels);
        for (const t of p.targets ?? []) if (t.rawSql) out.push({ file, title: p.title ?? '', sql: t.rawSql });
      }
    };
    walk(dashboard.panels ?? []);
  }
  return out;
}

const INTERVAL_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Grafana's MySQL macro expansion (pkg/tsdb/mysql/macros.go), for a time range in UTC seconds. */
function expandMacros(sql: string, fromS: number, toS: number, interval: string): string {
  const seconds = (text: string) => {
    const m = /^(\d+)([smhd])$/.exec(text.trim().replace(/^['"]|['"]$/g, ''));
    if (!m) throw new Error(`interval ${text}`);
    return Number(m[1]) * (INTERVAL_S[m[2] ?? 's'] ?? 1);
  };
  return sql
    .replace(/\$__interval\b/g, interval)
    .replace(/\$(__\w+)\(([^)]*)\)/g, (_m, name: string, argText: string) => {
      const args = argText.split(',').map((a) => a.trim());
      const column = args[0] ?? '';
      switch (name) {
        case '__timeFilter':
          return `${column} BETWEEN FROM_UNIXTIME(${fromS}) AND FROM_UNIXTIME(${toS})`;
        case '__timeGroup':
          return `UNIX_TIMESTAMP(${column}) DIV ${seconds(args[1] ?? '')} * ${seconds(args[1] ?? '')}`;
        case '__timeGroupAlias':
          return `UNIX_TIMESTAMP(${column}) DIV ${seconds(args[1] ?? '')} * ${seconds(args[1] ?? '')} AS "time"`;
        default:
          throw new Error(`macro ${name} not expected in the original dashboards`);
      }
    });
}

describe('the original Grafana dashboards on the legacy views', () => {
  const HOUR = 3_600_000;
  const DAYS = 2;
  const panels = dashboardQueries();

  const session = sharedSetup(async () => {
    const db = await createTestDatabase();
    const outbox = new MemoryOutbox();
    for (let t = T0; t < T0 + DAYS * 24 * HOUR; t += 60_000) {
      const localHour = Math.floor((t - T0) / HOUR) % 24;
      const pvOn = localHour >= 8 && localHour < 14;
      outbox.add('inverter', 'QPIGS', t, {
        gridVoltageV: 0,
        gridFrequencyHz: 0,
        acOutputVoltageV: 230,
        acOutputFrequencyHz: 50,
        acOutputApparentPowerVA: 480,
        acOutputActivePowerW: 440,
        outputLoadPct: 9,
        busVoltageV: 400,
        batteryVoltageV: 52.4,
        batteryChargingCurrentA: pvOn ? 10 : 0,
        batteryCapacityPct: 80,
        heatSinkTemperatureC: 35,
        pvInputCurrentA: pvOn ? 10 : 0,
        pvInputVoltageV: pvOn ? 100 : 0,
        batteryVoltageFromSccV: 52.4,
        batteryDischargeCurrentA: pvOn ? 0 : 9,
      });
      outbox.add('meter', 'SDM230', t + 400, { activePowerW: localHour < 6 ? 200 : -100, voltageV: 231, currentA: 1, frequencyHz: 50 });
      ['0x90', '0x91', '0x92', '0x93', '0x94', '0x95', '0x96', '0x97', '0x98'].forEach((id, i) => {
        const values: Record<string, FieldValue> = {
          '0x90': { totalVoltageV: 52.6, acquisitionVoltageV: 0, currentA: pvOn ? 8 : -8, socPct: 60 },
          '0x91': { maxCellVoltageV: 3.31, maxCellNumber: 3, minCellVoltageV: 3.27, minCellNumber: 9 },
          '0x92': { maxTemperatureC: 24, maxTemperatureSensor: 1, minTemperatureC: 24, minTemperatureSensor: 1 },
          '0x93': { state: pvOn ? 'charging' : 'discharging', stateCode: pvOn ? 1 : 2, chargeMosOn: true, dischargeMosOn: true, bmsLifeCycles: 12, remainingCapacityAh: 168 },
          '0x94': { cellCount: 16, temperatureSensorCount: 1, chargerConnected: false, loadConnected: false, dioBits: 0, cycleCount: 41 },
          '0x95': flattenFields({ cellVoltagesV: Array.from({ length: 16 }, (_, c) => 3.27 + (c % 5) * 0.01) }),
          '0x96': { 'temperaturesC[0]': 24 },
          '0x97': { balanceBitsHex: '0000000000000000' },
          '0x98': { alarmBytesHex: '00000000000000', faultCode: 0 },
        }[id] as Record<string, FieldValue>;
        outbox.add('bms', id, t + 100 + i * 60, values);
      });
      if ((t - T0) % (10 * 60_000) === 0) {
        outbox.add('inverter', 'QPIRI', t + 500, {
          batteryRechargeVoltageV: 51,
          batteryUnderVoltageV: 44,
          batteryBulkVoltageV: 55.2,
          batteryFloatVoltageV: 54,
          maxAcChargingCurrentA: 2,
          maxChargingCurrentA: 40,
          outputSourcePriority: 'sbu',
          outputSourcePriorityCode: 2,
          chargerSourcePriority: 'solarOnly',
          chargerSourcePriorityCode: 3,
          batteryRedischargeVoltageV: 53,
          batteryType: 'user',
          batteryTypeCode: 2,
        });
        outbox.add('inverter', 'QMOD', t + 600, { mode: 'battery', modeCode: 'B' });
        outbox.add('inverter', 'QPIWS', t + 700, { warningBits: '0'.repeat(36) });
        outbox.add('inverter', 'Q1', t + 800, { timeUntilAbsorbEndS: 0, timeUntilFloatEndS: 0, sccOkFlag: 1, inverterChargeStatus: 'float', inverterChargeStatusCode: 13 });
      }
    }
    await ship(db, outbox);
    const grafana = await mysql.createConnection({ ...MARIADB, database: db.name, dateStrings: true, timezone: 'Z' });
    // The documented data source setting: session time zone UTC.
    await grafana.query("SET time_zone = '+00:00'");
    return { db, grafana };
  }, async ({ db, grafana }) => {
    await grafana.end();
    await db.drop();
  });

  it('finds all 89 panel queries of the three dashboards', () => {
    expect(panels.length).toBe(89);
  });

  for (const mode of ['default', 'ANSI_QUOTES'] as const) {
    it(`answers every panel query with rows (sql_mode ${mode})`, async () => {
      const { grafana } = await session();
      await grafana.query(
        mode === 'default' ? 'SET SESSION sql_mode = DEFAULT' : "SET SESSION sql_mode = CONCAT(@@GLOBAL.sql_mode, ',ANSI_QUOTES')",
      );
      const fromS = T0 / 1000;
      const toS = fromS + DAYS * 86400 - 1;
      const empty: string[] = [];
      for (const panel of panels) {
        const sql = expandMacros(panel.sql, fromS, toS, '5m');
        const [rows, fields] = await grafana.query(sql);
        const list = rows as Array<Record<string, unknown>>;
        if (list.length === 0) empty.push(`${panel.file} ${panel.title}`);
        expect(fields?.map((f) => f.name), `${panel.file} ${panel.title}`).toContain('time');
      }
      expect(empty).toEqual([]);
    });
  }

  it("gives the STATS dashboard's daily energy in Wh (sums of hourly means, days at +02:00)", async () => {
    const { grafana } = await session();
    const daily = async (view: string, column: string) => {
      const sql = expandMacros(
        `SELECT UNIX_TIMESTAMP(CONVERT_TZ(h,'+00:00','+2:00')) DIV 86400 * 86400 AS "time", sum(${column}) AS "v" FROM ${view}
         WHERE $__timeFilter(h) GROUP BY UNIX_TIMESTAMP(CONVERT_TZ(h,'+00:00','+2:00')) DIV 86400 * 86400 ORDER BY 1`,
        T0 / 1000,
        T0 / 1000 + DAYS * 86400 - 1,
        '1h',
      );
      const [rows] = await grafana.query(sql);
      return (rows as Array<{ v: number }>).map((r) => Math.round(Number(r.v)));
    };
    // 1000 W of PV for 6 h, 440 W load + 60 W for 24 h, 200 W import for 6 h, 100 W export for 18 h.
    expect(await daily('VIEW2', 'var2')).toEqual([6000, 6000]);
    expect(await daily('VIEW2', 'var1')).toEqual([12000, 12000]);
    expect(await daily('VIEW1', 'var1')).toEqual([1200, 1200]);
    expect(await daily('VIEW1', 'var2')).toEqual([-1800, -1800]);
  });

  it('keeps the legacy views on their indexes for a dashboard time range', async () => {
    const { grafana } = await session();
    const [plan] = await grafana.query(
      expandMacros('EXPLAIN SELECT created AS "time", var9 FROM QPIGS WHERE $__timeFilter(created)', T0 / 1000, T0 / 1000 + 3600, '1m'),
    );
    expect((plan as Array<{ type: string; key: string | null }>)[0]).toMatchObject({ type: 'range' });
    const [grouped] = await grafana.query(
      expandMacros('EXPLAIN SELECT h, var2 FROM VIEW2 WHERE $__timeFilter(h)', T0 / 1000, T0 / 1000 + 3600, '1m'),
    );
    const derived = (grouped as Array<{ select_type: string; type: string }>).find((r) => r.select_type === 'DERIVED');
    expect(derived?.type).toBe('range');
  });
});
