/**
 * `import-legacy` against a database shaped like the original installation's `axpert` (tables with
 * created + varN filled from the fixtures' recorded rows): import, import again, import what is new;
 * then ship the store to MariaDB and read the same varN back through the legacy views.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/main/store/index.js';
import { importLegacy, type TableReport } from '../src/main/store/mariadb/legacy-import.js';
import { createSync } from '../src/main/store/mariadb/sync.js';
import type { LocalStore } from '../src/main/store/types.js';
import { createTestDatabase, sharedSetup, type TestDatabase } from './mariadb-helpers.js';

interface FixtureCase {
  id: string;
  command: string;
  valid: boolean;
  direction: string;
  expected?: { legacy?: Record<string, number | string> | null; nak?: boolean };
}
const fixtures = (name: string): FixtureCase[] => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as FixtureCase[];
const legacyRows = (file: string, command: string) =>
  fixtures(file)
    .filter((c) => c.valid && c.direction === 'response' && c.command === command && c.expected?.legacy && !c.expected.nak)
    .map((c) => c.expected?.legacy ?? {});

const TEXT_VARS: Record<string, Record<number, string>> = {
  QMOD: { 1: 'VARCHAR(1)' },
  QPIWS: { 1: 'VARCHAR(36)', 2: 'VARCHAR(10)' },
  BMS: { 22: 'CHAR(8)', 41: 'CHAR(64)', 42: 'CHAR(8)', 43: 'CHAR(8)', 44: 'CHAR(8)', 45: 'CHAR(8)', 46: 'CHAR(8)', 47: 'CHAR(8)', 48: 'CHAR(8)' },
};
const VAR_COUNT: Record<string, number> = { QPIGS: 16, QPIRI: 26, QMOD: 1, QPIWS: 2, Q1: 27, BMS: 49, SDM230: 13 };

/** One complete original BMS row from the fixtures of one poll. */
function bmsRow(): Record<string, number | string> {
  const row: Record<string, number | string> = {};
  const seen = new Set<string>();
  for (const c of fixtures('daly.json')) {
    if (!/^daly-9[0-8]-(mpp|b)/.test(c.id) || !c.expected?.legacy || seen.has(c.command)) continue;
    seen.add(c.command);
    Object.assign(row, c.expected.legacy);
  }
  return row;
}

const MINUTE = 60_000;
// Recent enough that the store's raw retention (30 days) keeps every row.
const START = Math.floor((Date.now() - 3 * 86_400_000) / MINUTE) * MINUTE;

describe('import-legacy', () => {
  let legacy: TestDatabase;
  let dir: string;
  let store: LocalStore;
  const inserted: Record<string, number> = {};

  async function insert(table: string, tsMs: number, row: Record<string, number | string | null>, wallZoneOffsetMs = 0): Promise<void> {
    const columns = Object.keys(row);
    await legacy.admin.query(
      `INSERT INTO \`${table}\` (created, ${columns.join(', ')}) VALUES (FROM_UNIXTIME(?), ${columns.map(() => '?').join(', ')})`,
      [(tsMs + wallZoneOffsetMs) / 1000, ...columns.map((c) => row[c])],
    );
    inserted[table] = (inserted[table] ?? 0) + 1;
  }

  const ready = sharedSetup(async () => {
    legacy = await createTestDatabase('voltmon_test_axpert');
    await legacy.admin.query("SET time_zone = '+00:00'");
    for (const [table, count] of Object.entries(VAR_COUNT)) {
      const vars = Array.from({ length: count }, (_, i) => `var${i + 1} ${TEXT_VARS[table]?.[i + 1] ?? 'FLOAT'}`);
      // The BMS table keeps local wall time (DATETIME), the others a TIMESTAMP as the original's default.
      const created = table === 'BMS' ? 'DATETIME' : 'TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP';
      await legacy.admin.query(`CREATE TABLE \`${table}\` (id INT AUTO_INCREMENT PRIMARY KEY, created ${created}, ${vars.join(', ')})`);
    }
    const qpigs = legacyRows('pi30.json', 'QPIGS');
    for (let i = 0; i < 120; i++) await insert('QPIGS', START + i * MINUTE, qpigs[i % qpigs.length] ?? {});
    for (const [table, file, command] of [
      ['QPIRI', 'pi30.json', 'QPIRI'],
      ['QMOD', 'pi30.json', 'QMOD'],
      ['QPIWS', 'pi30.json', 'QPIWS'],
      ['Q1', 'pi30.json', 'Q1'],
      ['SDM230', 'mbmd.json', 'GET /api/avg'],
    ] as const) {
      const rows = legacyRows(file, command);
      for (let i = 0; i < 10; i++) await insert(table, START + i * 10 * MINUTE + 5000, rows[i % rows.length] ?? {});
    }
    // Bratislava in summer or winter: the offset of that instant.
    const row = bmsRow();
    for (let i = 0; i < 30; i++) {
      const ts = START + i * MINUTE + 2000;
      await insert('BMS', ts, row, bratislavaOffsetMs(ts));
    }
    dir = mkdtempSync(join(tmpdir(), 'voltmon-import-'));
    store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'Europe/Bratislava', outbox: true });
    return { legacy, dir, store };
  }, async (made) => {
    made.store.close();
    rmSync(made.dir, { recursive: true, force: true });
    await made.legacy.drop();
  });

  const run = async (): Promise<Record<string, TableReport>> => {
    const result = await importLegacy({ url: legacy.url(), store, timeZone: 'Europe/Bratislava', chunkRows: 25 });
    if (!result.ok) throw new Error(result.error);
    return Object.fromEntries(result.value.map((r) => [r.table, r]));
  };

  it('imports every row of every table once, and a second run imports nothing', async () => {
    await ready();
    const progress: Array<{ table: string; read: number; total: number }> = [];
    const first = await importLegacy({ url: legacy.url(), store, timeZone: 'Europe/Bratislava', chunkRows: 25, onProgress: (p) => progress.push(p) });
    if (!first.ok) throw new Error(first.error);
    for (const report of first.value) {
      expect(report, report.table).toMatchObject({ found: true, rows: inserted[report.table], imported: inserted[report.table], refused: 0, alreadyImported: 0 });
    }
    expect(progress.filter((p) => p.table === 'QPIGS').at(-1)).toEqual({ table: 'QPIGS', read: 120, total: 120 });
    const total = Object.values(inserted).reduce((a, b) => a + b, 0);
    expect(store.outbox.backlog()).toBe(total);

    const second = await run();
    for (const report of Object.values(second)) {
      expect(report, report.table).toMatchObject({ imported: 0, alreadyImported: inserted[report.table], refused: 0 });
    }
    expect(store.outbox.backlog()).toBe(total);
  });

  it('imports only the rows added since, and names the rows it cannot use', async () => {
    await ready();
    const before = store.outbox.backlog();
    const qpigs = legacyRows('pi30.json', 'QPIGS')[0] ?? {};
    await insert('QPIGS', START + 200 * MINUTE, qpigs);
    await insert('QPIGS', START + 201 * MINUTE, { ...qpigs, var9: null });
    await insert('QPIGS', START + 202 * MINUTE, qpigs);
    const report = await run();
    expect(report.QPIGS).toMatchObject({ imported: 2, refused: 1, alreadyImported: 120 });
    expect(report.QPIGS?.firstRefusal).toMatch(/var9 is null, expected a number/);
    expect(store.outbox.backlog()).toBe(before + 2);
  });

  it('gives the store the values a live reading would, in UTC', async () => {
    await ready();
    const latest = store.latest();
    const last = legacyRows('pi30.json', 'QPIGS')[0] ?? {};
    expect(latest['inverter.batteryVoltageV']).toEqual({ value: last.var9, tsMs: START + 202 * MINUTE });
    expect(latest['bms.socPct']?.tsMs).toBe(START + 29 * MINUTE + 2000);
    expect(latest['bms.socPct']?.value).toBeCloseTo((Number(bmsRow().var4) - 6.3157894) / (1 - 0.063157894), 1);
  });

  it('round-trips: shipped to MariaDB, the legacy views give back the original rows', async () => {
    await ready();
    const archive = await createTestDatabase();
    try {
      const sync = createSync({ url: archive.url(), site: 'logger', outbox: store.outbox, batchSize: 200 });
      const shipped = await sync.drain();
      await sync.stop();
      expect(shipped).toMatchObject({ ok: true, backlog: 0 });
      for (const table of ['QPIGS', 'QPIRI', 'Q1', 'SDM230', 'QMOD', 'QPIWS', 'BMS']) {
        const vars = Array.from({ length: VAR_COUNT[table] ?? 0 }, (_, i) => `var${i + 1}`).join(', ');
        const [original] = await legacy.admin.query(
          `SELECT UNIX_TIMESTAMP(created) AS t, ${vars} FROM \`${table}\` WHERE ${table === 'QPIGS' ? 'var9' : 'var1'} IS NOT NULL ORDER BY created`,
        );
        const [views] = await archive.admin.query(`SELECT UNIX_TIMESTAMP(created) AS t, ${vars} FROM ${table} ORDER BY created`);
        const a = original as Array<Record<string, unknown>>;
        const b = views as Array<Record<string, unknown>>;
        expect(b.length, table).toBe(a.length);
        a.forEach((row, i) => {
          for (const [column, value] of Object.entries(row)) {
            // BMS.created held wall time in Bratislava: compared below.
            if (column === 't' && table === 'BMS') continue;
            if (typeof value === 'number') expect(Number(b[i]?.[column]), `${table} row ${i} ${column}`).toBeCloseTo(value, 3);
            else expect(b[i]?.[column], `${table} row ${i} ${column}`).toBe(value);
          }
        });
      }
      // The BMS rows were local wall time in Bratislava: UTC instants in the views.
      const [bms] = await archive.admin.query('SELECT UNIX_TIMESTAMP(created) * 1000 AS t FROM BMS ORDER BY created LIMIT 1');
      expect(Number((bms as Array<{ t: number }>)[0]?.t)).toBe(START + 2000);
    } finally {
      await archive.drop();
    }
  });
});

function bratislavaOffsetMs(tsMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Bratislava', timeZoneName: 'shortOffset' }).formatToParts(tsMs);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const m = /GMT([+-]\d+)/.exec(name);
  return Number(m?.[1] ?? 0) * 3_600_000;
}
