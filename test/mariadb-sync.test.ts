import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/main/store/index.js';
import { createSync, type MariadbSync, type SyncLogger } from '../src/main/store/mariadb/sync.js';
import { CommitProxy, createTestDatabase, MemoryOutbox, sessionsOn, waitFor, type TestDatabase } from './mariadb-helpers.js';

const T0 = Date.UTC(2026, 5, 21, 10, 0, 0);

/** `n` QPIGS samples one second apart, plus a BMS, meter and relay sample every 10th second. */
function fill(outbox: MemoryOutbox, n: number): { inverter: number; bms: number; meter: number; relay: number } {
  const counts = { inverter: 0, bms: 0, meter: 0, relay: 0 };
  for (let i = 0; i < n; i++) {
    const ts = T0 + i * 1000;
    outbox.add('inverter', 'QPIGS', ts, { batteryVoltageV: 50 + (i % 50) / 10, pvInputCurrentA: i % 20, pvInputVoltageV: 120.5, acOutputActivePowerW: 400 + i });
    counts.inverter++;
    if (i % 10 === 0) {
      outbox.add('bms', '0x90', ts + 120, { totalVoltageV: 52.8, currentA: -6.3, socPct: 95.6, acquisitionVoltageV: 0 });
      outbox.add('meter', 'SDM230', ts + 250, { activePowerW: i % 20 === 0 ? 150 : -80, voltageV: 231.4 });
      outbox.add('relay', 'gpio', ts + 300, { gridConnected: i % 20 === 0 });
      counts.bms++;
      counts.meter++;
      counts.relay++;
    }
  }
  return counts;
}

interface Counts {
  inverter: number;
  bms: number;
  meter: number;
  relay: number;
}

async function tableCounts(db: TestDatabase): Promise<Counts> {
  return {
    inverter: await db.count('inverter_samples'),
    bms: await db.count('bms_samples'),
    meter: await db.count('meter_samples'),
    relay: await db.count('relay_samples'),
  };
}

function recordingLogger(): SyncLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m) };
}

describe('MariaDB sync', () => {
  let db: TestDatabase;
  let proxy: CommitProxy;
  let sync: MariadbSync | null = null;

  beforeEach(async () => {
    db = await createTestDatabase();
    proxy = new CommitProxy();
  });
  afterEach(async () => {
    await sync?.stop();
    sync = null;
    await proxy.close();
    await db.drop();
  });

  it('ships every outbox row once, in batches, and acknowledges only committed rows', async () => {
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 450);
    const total = outbox.backlog();
    sync = createSync({ url: db.url(), site: 'logger', outbox, batchSize: 100, intervalMs: 20 });
    sync.start();
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);

    expect(await tableCounts(db)).toEqual(expected);
    expect(outbox.acknowledged).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await waitFor('status to settle', () => sync?.status().backlog === 0);
    const status = sync.status();
    expect(status).toMatchObject({ enabled: true, connected: true, backlog: 0, lastError: null, shippedRows: total, rejectedRows: 0 });

    const [rows] = await db.admin.query(
      "SELECT site, source, battery_voltage_v AS v, created FROM inverter_samples WHERE ts_ms = ? AND source = 'QPIGS'",
      [T0 + 7000],
    );
    expect(rows).toEqual([{ site: 'logger', source: 'QPIGS', v: 50.7, created: '2026-06-21 10:00:07' }]);
  });

  it('replaying rows already shipped changes nothing (upserts keyed by site, ts and source)', async () => {
    const first = new MemoryOutbox();
    const expected = fill(first, 120);
    sync = createSync({ url: db.url(), site: 'logger', outbox: first, batchSize: 50 });
    expect((await sync.drain()).ok).toBe(true);
    await sync.stop();

    const replay = new MemoryOutbox();
    fill(replay, 120);
    sync = createSync({ url: db.url(), site: 'logger', outbox: replay, batchSize: 50 });
    const result = await sync.drain();
    expect(result).toMatchObject({ ok: true, shipped: replay.acknowledged.length, backlog: 0 });
    expect(await tableCounts(db)).toEqual(expected);

    // Another site's rows with the same timestamps are rows of their own.
    const gridbox = new MemoryOutbox();
    fill(gridbox, 120);
    await sync.stop();
    sync = createSync({ url: db.url(), site: 'gridbox', outbox: gridbox, batchSize: 50 });
    await sync.drain();
    expect((await tableCounts(db)).inverter).toBe(2 * expected.inverter);
  });

  it('loses and duplicates nothing when the connection drops before COMMIT', async () => {
    const port = await proxy.listen();
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 300);
    proxy.mode = 'cutBeforeCommit';
    sync = createSync({ url: db.url(port), site: 'logger', outbox, batchSize: 100, intervalMs: 20, maxBackoffMs: 50 });
    sync.start();
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(proxy.commitsSeen).toBeGreaterThan(1);
    expect(await tableCounts(db)).toEqual(expected);
    expect(new Set(outbox.acknowledged).size).toBe(outbox.acknowledged.length);
  });

  it('ships a batch again, without duplicates, when the COMMIT went through but its answer was lost', async () => {
    const port = await proxy.listen();
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 300);
    const total = outbox.backlog();
    proxy.mode = 'cutAfterCommit';
    const logger = recordingLogger();
    sync = createSync({ url: db.url(port), site: 'logger', outbox, batchSize: 100, intervalMs: 20, maxBackoffMs: 50, logger });
    sync.start();
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(await tableCounts(db)).toEqual(expected);
    expect(outbox.acknowledged.length).toBe(total);
    expect(logger.lines.some((l) => /lost|retrying/.test(l))).toBe(true);
  });

  it('recovers when a second connection KILLs the sync connection in the middle of a batch', async () => {
    const port = await proxy.listen();
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 300);
    proxy.mode = 'holdCommit';
    sync = createSync({ url: db.url(port), site: 'logger', outbox, batchSize: 100, intervalMs: 20, maxBackoffMs: 50 });
    sync.start();
    await waitFor('the first COMMIT', () => proxy.commitsSeen === 1);
    // The batch is inserted but not committed: it is invisible to other sessions.
    expect(await db.count('inverter_samples')).toBe(0);
    const victims = await sessionsOn(db.admin, db.name);
    expect(victims.length).toBe(1);
    await db.admin.query(`KILL ${victims[0]}`);
    proxy.mode = 'pass';
    proxy.release();

    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(await tableCounts(db)).toEqual(expected);
    expect(sync.status().shippedRows).toBe(outbox.acknowledged.length);
  });

  it('waits out a MariaDB that is down, then catches up by itself with exact counts', async () => {
    const port = await proxy.listen();
    await proxy.close();
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 500);
    const total = outbox.backlog();
    sync = createSync({ url: db.url(port), site: 'logger', outbox, batchSize: 100, intervalMs: 20, maxBackoffMs: 100, connectTimeoutMs: 1000 });
    sync.start();
    await waitFor('the outage to show', () => sync?.status().lastError !== null);
    const down = sync.status();
    expect(down).toMatchObject({ enabled: true, connected: false, backlog: total, shippedRows: 0 });
    expect(down.lastError).toMatch(/cannot reach MariaDB at root@127\.0\.0\.1:\d+\/voltmon_test_\w+ \(ECONNREFUSED\)/);

    await proxy.listen(port);
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(await tableCounts(db)).toEqual(expected);
    await waitFor('status to recover', () => sync?.status().lastError === null);
    expect(sync.status()).toMatchObject({ connected: true, backlog: 0, shippedRows: total });
  });

  it('treats a MariaDB that does not answer as down, and ships once it answers', async () => {
    const port = await proxy.listen();
    const outbox = new MemoryOutbox();
    const expected = fill(outbox, 50);
    proxy.mode = 'holdCommit';
    sync = createSync({ url: db.url(port), site: 'logger', outbox, queryTimeoutMs: 300, intervalMs: 20, maxBackoffMs: 50 });
    sync.start();
    await waitFor('the timeout to show', () => /did not answer in time/.test(sync?.status().lastError ?? ''));
    expect(outbox.acknowledged).toEqual([]);
    proxy.mode = 'pass';
    proxy.release();
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(await tableCounts(db)).toEqual(expected);
  });

  it('reports refused credentials without ever printing the password, and stops cleanly', async () => {
    const outbox = new MemoryOutbox();
    fill(outbox, 5);
    const logger = recordingLogger();
    const url = `mysql://voltmon_nobody:Sup3r-secret@127.0.0.1:3306/${db.name}`;
    sync = createSync({ url, site: 'logger', outbox, intervalMs: 20, maxBackoffMs: 50, logger });
    sync.start();
    await waitFor('the refusal to show', () => sync?.status().lastError !== null);
    const status = sync.status();
    expect(status.lastError).toMatch(/refused voltmon_nobody@127\.0\.0\.1:3306.*Access denied/);
    expect(status.target).not.toContain('Sup3r-secret');
    expect(JSON.stringify(status)).not.toContain('Sup3r-secret');
    expect(logger.lines.join('\n')).not.toContain('Sup3r-secret');
    expect(outbox.backlog()).toBe(fill(new MemoryOutbox(), 5).inverter + 3);
    await sync.stop();
    expect(sync.status().enabled).toBe(false);
  });

  it('drains the whole backlog on request, reporting progress after every batch', async () => {
    const outbox = new MemoryOutbox();
    fill(outbox, 250);
    const total = outbox.backlog();
    sync = createSync({ url: db.url(), site: 'logger', outbox, batchSize: 60 });
    const seen: Array<{ shipped: number; backlog: number }> = [];
    const result = await sync.drain((p) => seen.push(p));
    expect(result).toEqual({ ok: true, shipped: total, rejected: 0, backlog: 0, error: null });
    expect(seen.length).toBe(Math.ceil(total / 60));
    expect(seen.at(-1)?.shipped).toBe(total);
    seen.forEach((p, i) => {
      if (i > 0) expect(p.shipped).toBeGreaterThan(seen[i - 1]?.shipped ?? 0);
    });
  });

  it('a bad URL or site never throws: the sync stays off and says why', async () => {
    const outbox = new MemoryOutbox();
    const bad = createSync({ url: 'postgres://u:pw@host/db', site: 'logger', outbox });
    bad.start();
    expect(bad.status()).toMatchObject({ enabled: false, connected: false });
    expect(bad.status().lastError).toMatch(/unsupported scheme postgres:/);
    expect((await bad.drain()).ok).toBe(false);
    await bad.stop();
  });

  it('sets aside rows MariaDB can never take and keeps shipping the rest', async () => {
    const outbox = new MemoryOutbox();
    outbox.add('inverter', 'QPIGS', T0, { batteryVoltageV: 51.2 });
    outbox.add('toaster' as 'inverter', 'X', T0, { heat: 3 });
    outbox.add('inverter', 'Q'.repeat(40), T0, { batteryVoltageV: 51.2 });
    outbox.add('inverter', 'QPIGS', T0 + 1000, { batteryVoltageV: 51.3 });
    const logger = recordingLogger();
    sync = createSync({ url: db.url(), site: 'logger', outbox, logger });
    const result = await sync.drain();
    expect(result).toMatchObject({ ok: true, shipped: 2, rejected: 2, backlog: 0 });
    expect(await db.count('inverter_samples')).toBe(2);
    expect(logger.lines.filter((l) => /outbox row (2|3) cannot be shipped/.test(l)).length).toBe(2);
  });

  it("ships the local store's real outbox exactly once, through a lost COMMIT answer, and empties it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-sync-'));
    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: 'Europe/Berlin', outbox: true });
    try {
      for (let i = 0; i < 1200; i++) {
        store.append({ device: 'inverter', source: 'QPIGS', tsMs: T0 + i * 1000, values: { batteryVoltageV: 51 + (i % 30) / 10, acOutputActivePowerW: 300 } });
        if (i % 5 === 0) store.append({ device: 'bms', source: '0x90', tsMs: T0 + i * 1000 + 200, values: { socPct: 55, currentA: -3.2 } });
      }
      store.flush();
      expect(store.outbox.backlog()).toBe(1440);
      const port = await proxy.listen();
      proxy.mode = 'cutAfterCommit';
      sync = createSync({ url: db.url(port), site: 'logger', outbox: store.outbox, batchSize: 250, intervalMs: 20, maxBackoffMs: 50 });
      sync.start();
      await waitFor('the outbox to empty', () => store.outbox.backlog() === 0);
      expect(await tableCounts(db)).toEqual({ inverter: 1200, bms: 240, meter: 0, relay: 0 });
      expect(store.outbox.pending(10)).toEqual([]);
    } finally {
      await sync?.stop();
      sync = null;
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the local outbox fails, and ships once it works again', async () => {
    const outbox = new MemoryOutbox();
    fill(outbox, 20);
    let broken = true;
    const flaky = {
      pending: (limit: number) => {
        if (broken) throw new Error('SQLITE_IOERR: disk I/O error');
        return outbox.pending(limit);
      },
      acknowledge: (ids: number[]) => outbox.acknowledge(ids),
      backlog: () => outbox.backlog(),
    };
    sync = createSync({ url: db.url(), site: 'logger', outbox: flaky, intervalMs: 20, maxBackoffMs: 50 });
    sync.start();
    await waitFor('the failure to show', () => sync?.status().lastError !== null);
    expect(sync.status().lastError).toBe('the local outbox failed: SQLITE_IOERR: disk I/O error');
    broken = false;
    await waitFor('the outbox to empty', () => outbox.backlog() === 0);
    expect(await db.count('inverter_samples')).toBe(20);
  });
});
