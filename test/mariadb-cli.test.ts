/** `voltmon sync` and `voltmon import-legacy` as a user runs them: exit codes, what they print, what lands where. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as importLegacyMain } from '../src/headless/commands/import-legacy.js';
import { main as syncMain } from '../src/headless/commands/sync.js';
import { openStore } from '../src/main/store/index.js';
import { createTestDatabase, type TestDatabase } from './mariadb-helpers.js';

function captureOutput() {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  return {
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

// Whole seconds: the legacy TIMESTAMP columns keep no milliseconds.
const T0 = Math.floor((Date.now() - 86_400_000) / 60_000) * 60_000;

describe('voltmon sync and import-legacy', () => {
  let db: TestDatabase;
  let dir: string;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(() => {
    vi.stubEnv('VOLTMON_CONFIG', '/nonexistent/voltmon.yaml');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });
  beforeEach(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'voltmon-cli-'));
    output = captureOutput();
  });
  afterEach(async () => {
    output.restore();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('sync ships the whole outbox, says so, and exits 0; a second run finds it empty', async () => {
    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'UTC', outbox: true });
    for (let i = 0; i < 2500; i++) store.append({ device: 'inverter', source: 'QPIGS', tsMs: T0 + i * 1000, values: { batteryVoltageV: 52 + (i % 10) / 10 } });
    store.close();

    expect(await syncMain(['--data-dir', dir, '--mariadb', db.url(), '--site', 'logger'])).toBe(0);
    expect(await db.count('inverter_samples')).toBe(2500);
    expect(output.stderr()).toMatch(/2500 rows to ship .* as site 'logger'/);
    expect(output.stderr()).toMatch(/shipping: 2500 of 2500/);
    expect(output.stderr()).toMatch(/done, 2500 rows shipped, the outbox is empty/);

    expect(await syncMain(['--data-dir', dir, '--mariadb', db.url(), '--site', 'logger'])).toBe(0);
    expect(output.stderr()).toMatch(/0 rows to ship/);
    expect(await db.count('inverter_samples')).toBe(2500);
  });

  it('sync exits 1 when MariaDB cannot be reached, keeping the rows, and never prints the password', async () => {
    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'UTC', outbox: true });
    store.append({ device: 'relay', source: 'gpio', tsMs: T0, values: { gridConnected: true } });
    store.close();
    const url = `mysql://solar:Very-Secret@127.0.0.1:1/${db.name}`;
    expect(await syncMain(['--data-dir', dir, '--mariadb', url])).toBe(1);
    expect(output.stderr()).toMatch(/cannot reach MariaDB at solar@127\.0\.0\.1:1\/\w+ \(ECONNREFUSED\); 1 rows still wait in the outbox/);
    expect(output.stderr()).not.toContain('Very-Secret');
  });

  it('a bad command line prints the usage and exits 2', async () => {
    expect(await syncMain(['--frobnicate'])).toBe(2);
    expect(await syncMain(['--data-dir', dir])).toBe(2);
    expect(await syncMain(['--mariadb', 'http://x/y'])).toBe(2);
    expect(await importLegacyMain([])).toBe(2);
    expect(await importLegacyMain(['--from', db.url(), '--time-zone', 'Mars/Olympus'])).toBe(2);
    expect(await importLegacyMain(['--from', db.url(), '--tables', 'QPIGS,FOO'])).toBe(2);
    expect(output.stderr()).toMatch(/usage: voltmon sync/);
    expect(output.stderr()).toMatch(/unknown table\(s\) FOO/);
  });

  it('import-legacy reports per table, and a second run imports nothing', async () => {
    await db.admin.query('CREATE TABLE QPIGS (created TIMESTAMP NULL, ' + Array.from({ length: 16 }, (_, i) => `var${i + 1} FLOAT`).join(', ') + ')');
    await db.admin.query("CREATE TABLE QMOD (created TIMESTAMP NULL, var1 VARCHAR(1))");
    const qpigs = [230, 50, 230, 50, 161, 119, 3, 460, 57.5, 12, 100, 69, 14, 103.8, 57.45, 0];
    for (let i = 0; i < 30; i++) {
      await db.admin.query(`INSERT INTO QPIGS VALUES (FROM_UNIXTIME(?), ${qpigs.map(() => '?').join(', ')})`, [(T0 + i * 60_000) / 1000, ...qpigs]);
      await db.admin.query('INSERT INTO QMOD VALUES (FROM_UNIXTIME(?), ?)', [(T0 + i * 60_000 + 1000) / 1000, i % 2 ? 'B' : 'L']);
    }
    expect(await importLegacyMain(['--from', db.url(), '--data-dir', dir])).toBe(0);
    expect(output.stdout()).toContain('QPIGS: 30 rows, 30 imported, 0 imported before, 0 refused');
    expect(output.stdout()).toContain('QMOD: 30 rows, 30 imported, 0 imported before, 0 refused');
    expect(output.stdout()).toContain('BMS: not in the source database');
    expect(output.stderr()).toMatch(/QPIGS: 30 of 30/);

    expect(await importLegacyMain(['--from', db.url(), '--data-dir', dir])).toBe(0);
    expect(output.stdout()).toContain('QPIGS: 30 rows, 0 imported, 30 imported before, 0 refused');

    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'UTC' });
    try {
      expect(store.latest()['inverter.mode']).toEqual({ value: 'battery', tsMs: T0 + 29 * 60_000 + 1000 });
    } finally {
      store.close();
    }
  });

  it('import-legacy exits 1 with the reason when the source cannot be opened', async () => {
    expect(await importLegacyMain(['--from', `mysql://root@127.0.0.1:3306/${db.name}_missing`, '--data-dir', dir])).toBe(1);
    expect(output.stderr()).toMatch(/cannot open root@127\.0\.0\.1:3306\/\w+_missing: Unknown database/);
  });
});
