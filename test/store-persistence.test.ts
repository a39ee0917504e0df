import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION, StoreError, StoreInputError, StoreOpenError, StoreWriteError, openStore, type LocalStore } from '../src/main/store/index.js';
import type { Sample } from '../src/shared/samples.js';

const T0 = Date.UTC(2026, 5, 1, 10);
let dir: string;
let path: string;
const open: LocalStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voltmon-store-'));
  path = join(dir, 'voltmon.db');
});
afterEach(() => {
  for (const store of open.splice(0)) {
    try {
      store.close();
    } catch {
      // already closed by the test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function storeAt(file: string, extra: Partial<Parameters<typeof openStore>[0]> = {}): LocalStore {
  const store = openStore({ path: file, timeZone: 'Europe/Berlin', batchMs: 60_000, now: () => T0 + 86_400_000, ...extra });
  open.push(store);
  return store;
}

const qpigs = (i: number, batteryVoltageV = 52.1): Sample => ({
  device: 'inverter',
  tsMs: T0 + i * 1000,
  source: 'QPIGS',
  values: { batteryVoltageV, acOutputActivePowerW: 400 + i, pvPowerW: 1200, 'deviceStatus.loadOn': true },
});

/** What another process would see in the file right now. */
function rowsOnDisk(file: string, table = 'inverter_status'): number {
  const reader = new Database(file, { readonly: true });
  try {
    return (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    reader.close();
  }
}

/** Every row of every table but the test's own and the schema version (it holds the time of creation). */
function tableRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('test_refuse', 'schema_version')").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw(true).all()]));
  } finally {
    db.close();
  }
}

describe('batched writes', () => {
  it('writes nothing before flush and everything after it', () => {
    const store = storeAt(path);
    for (let i = 0; i < 10; i++) store.append(qpigs(i));
    expect(rowsOnDisk(path)).toBe(0);
    expect(store.latest()['inverter.batteryVoltageV']).toBeUndefined();
    store.flush();
    expect(rowsOnDisk(path)).toBe(10);
    expect(store.latest()['inverter.batteryVoltageV']).toEqual({ value: 52.1, tsMs: T0 + 9000 });
  });

  it('commits by itself after batchMs', async () => {
    const store = storeAt(path, { batchMs: 50 });
    store.append(qpigs(0));
    store.append(qpigs(1));
    expect(rowsOnDisk(path)).toBe(0);
    await vi.waitFor(() => expect(rowsOnDisk(path)).toBe(2), { timeout: 5000, interval: 20 });
  });

  it('commits the buffered batch on close, and a reopened store has it all', () => {
    const store = storeAt(path);
    for (let i = 0; i < 5; i++) store.append(qpigs(i));
    store.close();
    expect(rowsOnDisk(path)).toBe(5);
    const again = storeAt(path);
    expect(again.latest()['inverter.acOutputActivePowerW']).toEqual({ value: 404, tsMs: T0 + 4000 });
    const history = again.history({ series: ['inverter.acOutputActivePowerW'], from: T0, to: T0 + 5000, points: 5 });
    expect(history.series['inverter.acOutputActivePowerW']?.map((p) => p.max)).toEqual([400, 401, 402, 403, 404]);
  });

  it('loses only the uncommitted batch when the process dies', () => {
    const script = join(dir, 'crash.ts');
    const storeModule = join(process.cwd(), 'src/main/store/index.ts');
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(storeModule)};
       const store = openStore({ path: ${JSON.stringify(path)}, timeZone: 'UTC', batchMs: 60000, now: () => ${T0} });
       const sample = (i) => ({ device: 'meter', tsMs: ${T0} + i * 1000, source: 'read', values: { activePowerW: i } });
       for (let i = 0; i < 3; i++) store.append(sample(i));
       store.flush();
       for (let i = 3; i < 6; i++) store.append(sample(i));
       process.exit(0);`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const store = storeAt(path);
    expect(store.latest()['meter.activePowerW']).toEqual({ value: 2, tsMs: T0 + 2000 });
    expect(rowsOnDisk(path, 'meter')).toBe(3);
  });

  it('refuses a sample with a NaN, a wrong type or a bad time, and keeps the rest', () => {
    const store = storeAt(path);
    store.append(qpigs(0));
    expect(() => store.append({ ...qpigs(1), values: { batteryVoltageV: Number.NaN } })).toThrow(StoreInputError);
    expect(() => store.append({ ...qpigs(1), values: { batteryVoltageV: '52' } })).toThrow(/batteryVoltageV must be a finite number/);
    expect(() => store.append({ ...qpigs(1), tsMs: 1.5 })).toThrow(/tsMs/);
    expect(() => store.append({ ...qpigs(1), device: 'toaster' as never })).toThrow(/unknown device/);
    store.flush();
    expect(rowsOnDisk(path)).toBe(1);
  });

  it('reports a full disk, writes no part of the batch, and commits it once there is room again', () => {
    const probe = storeAt(join(dir, 'probe.db'));
    probe.close();
    const emptyBytes = readFileSync(join(dir, 'probe.db')).length;
    const small = storeAt(path, { maxFileBytes: emptyBytes + 8 * 4096 });
    small.flush();
    const before = rowsOnDisk(path, 'bms');
    const cells = (i: number): Sample => ({
      device: 'bms',
      tsMs: T0 + i * 1000,
      source: '0x95',
      values: Object.fromEntries(Array.from({ length: 16 }, (_, c) => [`cellVoltagesV[${c}]`, 3.3 + c / 1000 + i / 1e6])),
    });
    for (let i = 0; i < 5000; i++) small.append(cells(i));
    let error: unknown;
    try {
      small.flush();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as StoreError).code).toBe('diskFull');
    expect((error as Error).message).toMatch(/disk full.*5000 samples kept/);
    expect(rowsOnDisk(path, 'bms')).toBe(before);
    open.splice(open.indexOf(small), 1);
    expect(() => small.close()).toThrow(StoreWriteError);
    const roomy = storeAt(path);
    expect(rowsOnDisk(path, 'bms')).toBe(0);
    roomy.append(cells(1));
    roomy.flush();
    expect(rowsOnDisk(path, 'bms')).toBe(1);
  });

  it('remembers nothing of a failed commit: a retry ends exactly as if the commit had never failed', () => {
    const steady = storeAt(join(dir, 'steady.db'));
    const failing = storeAt(path);
    const both = (samples: Sample[]): void => {
      for (const store of [steady, failing]) for (const s of samples) store.append(s);
    };
    const mode = (i: number, m: string): Sample => ({ device: 'inverter', tsMs: T0 + i * 1000 + 500, source: 'QMOD', values: { mode: m, modeName: m.toUpperCase() } });
    const settings = (i: number, floatV: number): Sample => ({
      device: 'inverter',
      tsMs: T0 + i * 1000 + 600,
      source: 'QPIRI',
      values: { batteryFloatVoltageV: floatV, outputSourcePriority: 'sbu', gridRatingVoltageV: 230 },
    });
    const soc = (i: number): Sample => ({ device: 'bms', tsMs: T0 + i * 1000 + 200, source: '0x90', values: { socPct: 60 + i / 10, currentA: -3.25 + i } });
    // The meter comes last in time, so its row fails after everything else of the batch was written.
    const meter = (i: number): Sample => ({ device: 'meter', tsMs: T0 + i * 1000 + 900, source: 'read', values: { activePowerW: 100 + i } });
    both([qpigs(0), mode(0, 'line'), settings(0, 54), soc(0), meter(0), qpigs(1), meter(1)]);
    steady.flush();
    failing.flush();

    const switchDb = new Database(path);
    switchDb.exec(`CREATE TABLE test_refuse (yes INTEGER); INSERT INTO test_refuse VALUES (1);
      CREATE TRIGGER test_refuse_meter BEFORE INSERT ON meter WHEN (SELECT count(*) FROM test_refuse) > 0 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
    // Changes every part of the memory: latest values, the last power samples, the last stored settings and mode, pending rollups and energy.
    both([qpigs(30, 51.5), mode(30, 'battery'), settings(30, 53.5), soc(30), meter(30)]);
    const memory = (store: LocalStore): unknown => ({
      latest: store.latest(),
      history: store.history({ series: ['inverter.batteryVoltageV', 'bms.socPct', 'bms.currentA'], from: T0, to: T0 + 60_000, points: 60 }),
      energy: store.energy({ period: 'hour', from: T0, to: T0 + 3_600_000 }),
    });
    const before = memory(failing);
    expect(() => failing.flush()).toThrow(expect.objectContaining({ code: 'writeFailed', message: expect.stringMatching(/SQLITE_CONSTRAINT_TRIGGER.*5 samples kept/) }));
    expect(memory(failing)).toEqual(before);
    expect(rowsOnDisk(path)).toBe(2);

    switchDb.exec('DELETE FROM test_refuse');
    switchDb.close();
    steady.flush();
    failing.flush();
    expect(memory(failing)).toEqual(memory(steady));
    // The same mode and settings again must not be stored again; power goes on integrating from the retried batch.
    both([qpigs(35, 51.4), mode(35, 'battery'), settings(35, 53.5), soc(35), meter(35)]);
    steady.close();
    failing.close();
    expect(tableRows(path)).toEqual(tableRows(join(dir, 'steady.db')));
  });

  it('retries a failed background commit and reports it through onError', async () => {
    const errors: StoreError[] = [];
    const probe = storeAt(join(dir, 'probe.db'));
    probe.close();
    const emptyBytes = readFileSync(join(dir, 'probe.db')).length;
    const store = storeAt(path, { batchMs: 20, maxFileBytes: emptyBytes + 4 * 4096, onError: (e) => errors.push(e) });
    for (let i = 0; i < 5000; i++) store.append({ device: 'meter', tsMs: T0 + i, source: 'read', values: { activePowerW: i, voltageV: 230 + i / 1000, currentA: i / 100 } });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    expect(errors[0]?.code).toBe('diskFull');
    expect(rowsOnDisk(path, 'meter')).toBe(0);
  });
});

describe('opening files', () => {
  it('creates a versioned schema that marks the file as ours', () => {
    storeAt(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number }).v).toBe(SCHEMA_VERSION);
    const columns = (db.prepare("SELECT name FROM pragma_table_info('bms')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['ts_ms', 'soc_pct', 'cell_voltages_v_0', 'cell_voltages_v_15', 'temperatures_c_3', 'charge_mos_on']));
    db.close();
  });

  it('refuses a schema newer than this program and leaves the file as it was', () => {
    storeAt(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, applied_ms) VALUES (?, 0)').run(SCHEMA_VERSION + 1);
    db.close();
    const bytes = readFileSync(path);
    expect(() => openStore({ path, timeZone: 'UTC' })).toThrow(expect.objectContaining({ code: 'schemaTooNew', message: expect.stringMatching(/newer voltmon/) }));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses an SQLite database it did not create and leaves it byte-identical', () => {
    const other = new Database(path);
    other.exec("CREATE TABLE QPIGS (var1 REAL); INSERT INTO QPIGS VALUES (230.1);");
    other.close();
    const bytes = readFileSync(path);
    let error: unknown;
    try {
      openStore({ path, timeZone: 'UTC' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as StoreError).code).toBe('foreign');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a file that is not SQLite at all and leaves it byte-identical', () => {
    const bytes = Buffer.from('site: home\ntimeZone: Europe/Berlin\n'.repeat(200));
    writeFileSync(path, bytes);
    expect(() => openStore({ path, timeZone: 'UTC' })).toThrow(expect.objectContaining({ code: 'notSqlite' }));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a damaged store and leaves it byte-identical', () => {
    storeAt(path).close();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 100, 4096); // the header survives, the first page's content does not
    writeFileSync(path, bytes);
    expect(() => openStore({ path, timeZone: 'UTC' })).toThrow(StoreOpenError);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('adds columns for series the catalogue gained, keeping the data', () => {
    storeAt(path).close();
    const db = new Database(path);
    db.exec('ALTER TABLE meter DROP COLUMN frequency_hz; INSERT INTO meter (ts_ms, voltage_v) VALUES (1000, 231.5)');
    db.close();
    const store = storeAt(path);
    store.append({ device: 'meter', tsMs: 2000, source: 'read', values: { frequencyHz: 50.01 } });
    store.flush();
    expect(store.latest()['meter.voltageV']).toEqual({ value: 231.5, tsMs: 1000 });
    expect(store.latest()['meter.frequencyHz']).toEqual({ value: 50.01, tsMs: 2000 });
  });

  it('refuses an unknown time zone before touching the file', () => {
    expect(() => openStore({ path, timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
  });

  it('throws a clear error when used after close', () => {
    const store = storeAt(path);
    store.close();
    expect(() => store.append(qpigs(0))).toThrow(expect.objectContaining({ code: 'closed' }));
  });
});

describe('events, settings and latest values', () => {
  it('lists events newest first, filtered by kind and time, limited', () => {
    const store = storeAt(':memory:');
    const ids = [
      store.appendEvent({ tsMs: T0, kind: 'warning', device: 'inverter', message: 'Line fail', data: { bit: 5 } }),
      store.appendEvent({ tsMs: T0 + 1000, kind: 'control', message: 'Set SBU', data: { by: 'user' } }),
      store.appendEvent({ tsMs: T0 + 2000, kind: 'fault', device: 'bms', message: 'Cell over-voltage' }),
    ];
    expect(store.events({}).map((e) => e.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(store.events({ kinds: ['warning', 'fault'] }).map((e) => e.message)).toEqual(['Cell over-voltage', 'Line fail']);
    expect(store.events({ from: T0 + 500, to: T0 + 2000 })).toEqual([{ id: ids[1], tsMs: T0 + 1000, kind: 'control', message: 'Set SBU', data: { by: 'user' } }]);
    expect(store.events({ limit: 1 })).toHaveLength(1);
    expect(() => store.events({ limit: 0 })).toThrow(StoreInputError);
  });

  it('keeps settings as JSON across a reopen', () => {
    const store = storeAt(path);
    store.putSetting('controller', { mode: 'dryRun', thresholds: { gridOnV: 51.2 } });
    store.putSetting('controller', { mode: 'on', thresholds: { gridOnV: 51.0 } });
    store.close();
    const again = storeAt(path);
    expect(again.getSetting('controller')).toEqual({ mode: 'on', thresholds: { gridOnV: 51.0 } });
    expect(again.getSetting('missing')).toBeUndefined();
  });

  it('remembers the latest value of every series across a reopen, booleans and enums included', () => {
    const store = storeAt(path);
    store.append({ device: 'bms', tsMs: T0, source: '0x93', values: { state: 'charging', chargeMosOn: true, dischargeMosOn: false, remainingCapacityAh: 201.5 } });
    store.append({ device: 'bms', tsMs: T0 + 500, source: '0x90', values: { totalVoltageV: 53.1, currentA: 12.5, socPct: 71.2 } });
    store.append({ device: 'inverter', tsMs: T0 + 700, source: 'QMOD', values: { mode: 'battery', modeName: 'Battery' } });
    store.append({ device: 'relay', tsMs: T0 + 900, source: 'gpio', values: { gridConnected: false } });
    store.close();
    const latest = storeAt(path).latest();
    expect(latest['bms.state']).toEqual({ value: 'charging', tsMs: T0 });
    expect(latest['bms.chargeMosOn']).toEqual({ value: true, tsMs: T0 });
    expect(latest['bms.dischargeMosOn']).toEqual({ value: false, tsMs: T0 });
    expect(latest['bms.socPct']).toEqual({ value: 71.2, tsMs: T0 + 500 });
    expect(latest['inverter.mode']).toEqual({ value: 'battery', tsMs: T0 + 700 });
    expect(latest['relay.gridConnected']).toEqual({ value: false, tsMs: T0 + 900 });
  });

  it('stores settings only when they change, with the values outside the catalogue', () => {
    const store = storeAt(path);
    const qpiri = (i: number, floatV: number): Sample => ({
      device: 'inverter',
      tsMs: T0 + i * 60_000,
      source: 'QPIRI',
      values: { batteryFloatVoltageV: floatV, outputSourcePriority: 'sbu', gridRatingVoltageV: 230 },
    });
    store.append(qpiri(0, 54));
    store.append(qpiri(1, 54));
    store.append(qpiri(2, 53.7));
    store.append(qpiri(3, 53.7));
    store.close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT ts_ms, battery_float_voltage_v, output_source_priority, extra FROM inverter_settings ORDER BY ts_ms').all();
    db.close();
    expect(rows).toEqual([
      { ts_ms: T0, battery_float_voltage_v: 54, output_source_priority: 'sbu', extra: '{"gridRatingVoltageV":230}' },
      { ts_ms: T0 + 120_000, battery_float_voltage_v: 53.7, output_source_priority: 'sbu', extra: '{"gridRatingVoltageV":230}' },
    ]);
  });
});
