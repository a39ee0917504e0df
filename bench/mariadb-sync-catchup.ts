/**
 * How fast the MariaDB sync catches up after an outage: an outbox holding a day-like mix of samples
 * (QPIGS, a nine-reply Daly cycle and an SDM230 reading per second, as the drivers emit them) shipped
 * with the default batch size. Reports rows per second and what one day of outage takes to catch up.
 * Needs MariaDB on 127.0.0.1:3306 (root, no password); creates and drops its own database.
 * Run: npx tsx bench/mariadb-sync-catchup.ts  -> bench/results/mariadb-sync-catchup.json
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { createSync, SYNC_DEFAULTS } from '../src/main/store/mariadb/sync.js';
import type { Outbox, OutboxRow } from '../src/main/store/types.js';
import { random, samplesForSecond } from './store-workload.js';

const SECONDS = 3000;
const DAY_S = 86_400;

/** The outbox contract over an array (the SQLite outbox's own cost is the store benchmark's business). */
class ArrayOutbox implements Outbox {
  private next = 0;
  constructor(private readonly rows: OutboxRow[]) {}
  pending(limit: number): OutboxRow[] {
    return this.rows.slice(this.next, this.next + limit);
  }
  acknowledge(ids: number[]): void {
    this.next += ids.length;
  }
  backlog(): number {
    return this.rows.length - this.next;
  }
}

async function main(): Promise<void> {
  const rnd = random(5);
  const rows: OutboxRow[] = [];
  const start = Date.UTC(2026, 5, 21, 6, 0, 0);
  for (let s = 0; s < SECONDS; s++) {
    for (const sample of samplesForSecond(start + s * 1000, rnd)) rows.push({ id: rows.length + 1, ...sample });
  }
  const perDay = (rows.length / SECONDS) * DAY_S;
  const database = `voltmon_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const outbox = new ArrayOutbox(rows);
    const sync = createSync({ url: `mysql://root@127.0.0.1:3306/${database}`, site: 'bench', outbox });
    const began = performance.now();
    const result = await sync.drain();
    const seconds = (performance.now() - began) / 1000;
    await sync.stop();
    if (!result.ok) throw new Error(result.error ?? 'drain failed');
    const rowsPerSecond = Math.round(rows.length / seconds);
    const [[version]] = (await admin.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
    const out = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      mariadb: version.v,
      batchSize: SYNC_DEFAULTS.batchSize,
      rows: rows.length,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond,
      outboxRowsPerDayAtDefaultPolling: Math.round(perDay),
      catchUpMinutesPerDayOfOutage: Math.round((perDay / rowsPerSecond / 60) * 10) / 10,
      note: 'includes the first connection and the schema migration; MariaDB on the same machine (2 cores), default InnoDB settings',
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/mariadb-sync-catchup.json', `${JSON.stringify(out, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.end();
  }
}

await main();
