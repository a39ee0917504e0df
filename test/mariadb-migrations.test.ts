import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations, schemaVersion, SchemaTooNewError } from '../src/main/store/mariadb/migrations.js';
import { columnName, tableFor } from '../src/main/store/mariadb/columns.js';
import { createSync } from '../src/main/store/mariadb/sync.js';
import { SERIES } from '../src/shared/series.js';
import { createTestDatabase, MARIADB, MemoryOutbox, type TestDatabase } from './mariadb-helpers.js';

const LEGACY_VIEWS = ['BMS', 'Q1', 'QMOD', 'QPIGS', 'QPIRI', 'QPIWS', 'SDM230', 'VIEW1', 'VIEW2'];

describe('MariaDB migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('creates the device tables and every legacy view on an empty database, and a second run changes nothing', async () => {
    const latest = loadMigrations().at(-1)?.version ?? 0;
    const first = await applyMigrations(db.admin);
    expect(first.from).toBe(0);
    expect(first.to).toBe(latest);
    expect(first.applied.length).toBe(loadMigrations().length);

    const [tables] = await db.admin.query(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME',
    );
    const byType = (type: string) => (tables as Array<{ name: string; type: string }>).filter((t) => t.type === type).map((t) => t.name);
    expect(byType('VIEW').sort()).toEqual(LEGACY_VIEWS);
    expect(byType('BASE TABLE').sort()).toEqual(['bms_samples', 'inverter_samples', 'meter_samples', 'relay_samples', 'schema_migrations']);

    const second = await applyMigrations(db.admin);
    expect(second).toEqual({ from: latest, to: latest, applied: [] });
    expect(await db.count('schema_migrations')).toBe(loadMigrations().length);
  });

  it('takes a connection pool as well', async () => {
    const pool = mysql.createPool({ ...MARIADB, database: db.name, connectionLimit: 2 });
    try {
      const result = await applyMigrations(pool);
      expect(result.to).toBe(loadMigrations().at(-1)?.version);
      expect(await schemaVersion(pool)).toBe(result.to);
    } finally {
      await pool.end();
    }
  });

  it('finishes a migration that was interrupted half-way', async () => {
    const [schema] = loadMigrations();
    if (!schema) throw new Error('no migrations');
    // The first statement ran, then the program died before recording the migration.
    await db.admin.query(schema.statements[0] ?? '');
    const result = await applyMigrations(db.admin);
    expect(result.applied).toContain(schema.version);
    expect(await schemaVersion(db.admin)).toBe(loadMigrations().at(-1)?.version);
  });

  it('refuses a database whose schema is newer than the program, saying what to do', async () => {
    await applyMigrations(db.admin);
    await db.admin.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')");
    const attempt = applyMigrations(db.admin);
    await expect(attempt).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(applyMigrations(db.admin)).rejects.toThrow(/version 999.*newer.*upgrade voltmon/);
  });

  it('has a column for every series of the catalogue, in its device table', async () => {
    await applyMigrations(db.admin);
    const [rows] = await db.admin.query(
      'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()',
    );
    const columns = new Set((rows as Array<{ t: string; c: string }>).map((r) => `${r.t}.${r.c}`));
    const missing = SERIES.filter((s) => !columns.has(`${tableFor(s.device)}.${columnName(s.field)}`)).map((s) => `${s.device}.${s.field}`);
    expect(missing).toEqual([]);
  });

  it('lets two programs migrate the same database at once', async () => {
    const other = await createTestDatabase('voltmon_test_peer');
    try {
      await other.admin.query(`USE \`${db.name}\``);
      const results = await Promise.all([applyMigrations(db.admin), applyMigrations(other.admin)]);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(loadMigrations().map((m) => m.version));
    } finally {
      await other.drop();
    }
  });

  it('works with the privileges docs/mariadb.md grants, and Grafana reads with SELECT only', async () => {
    const suffix = db.name.slice(-8);
    const writer = `voltmon_w_${suffix}`;
    const reader = `voltmon_r_${suffix}`;
    const docs = readFileSync(new URL('../docs/mariadb.md', import.meta.url), 'utf8');
    const grant = /GRANT (.+) ON voltmon\.\* TO 'voltmon'/.exec(docs)?.[1];
    expect(grant).toBeDefined();
    await db.admin.query(`CREATE USER '${writer}'@'%' IDENTIFIED BY 'pw-${suffix}'`);
    await db.admin.query(`CREATE USER '${reader}'@'%' IDENTIFIED BY 'pw-${suffix}'`);
    try {
      await db.admin.query(`GRANT ${grant} ON \`${db.name}\`.* TO '${writer}'@'%'`);
      await db.admin.query(`GRANT SELECT ON \`${db.name}\`.* TO '${reader}'@'%'`);
      const outbox = new MemoryOutbox();
      outbox.add('inverter', 'QPIGS', Date.UTC(2026, 0, 1), { batteryVoltageV: 52.1, pvInputCurrentA: 3, pvInputVoltageV: 100, acOutputActivePowerW: 200 });
      const url = `mysql://${writer}:pw-${suffix}@${MARIADB.host}:${MARIADB.port}/${db.name}`;
      const sync = createSync({ url, site: 'logger', outbox });
      const result = await sync.drain();
      await sync.stop();
      expect(result.error).toBeNull();
      expect(result).toMatchObject({ ok: true, shipped: 1 });
      // A second start with the schema in place needs no DDL at all.
      const again = createSync({ url, site: 'logger', outbox });
      expect((await again.drain()).ok).toBe(true);
      await again.stop();

      const grafana = await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user: reader, password: `pw-${suffix}`, database: db.name });
      try {
        const [rows] = await grafana.query('SELECT var9, var13 * var14 AS pv FROM QPIGS');
        expect(rows).toEqual([{ var9: 52.1, pv: 300 }]);
        await expect(grafana.query("INSERT INTO relay_samples (site, ts_ms, source) VALUES ('x', 1, 'y')")).rejects.toThrow(/denied/);
      } finally {
        await grafana.end();
      }
    } finally {
      await db.admin.query(`DROP USER IF EXISTS '${writer}'@'%'`);
      await db.admin.query(`DROP USER IF EXISTS '${reader}'@'%'`);
    }
  });
});
