/**
 * The STATS dashboard's question, "how much PV energy per day?", over a year of 1-minute inverter rows,
 * answered (a) the original way: the VIEW2 legacy view (GROUP BY hour over raw rows in MariaDB, summed
 * per day at +02:00) and (b) by the local store's energy totals (integrated per hour as samples arrive).
 * Both hold the same samples. Reports warm medians and the ratio a/b, and how far the two answers differ.
 * Needs MariaDB on 127.0.0.1:3306 (root, no password); creates and drops its own database.
 * Run: npx tsx bench/mariadb-view2-vs-rollups.ts  -> bench/results/mariadb-view2-vs-rollups.json
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openStore } from '../src/main/store/index.js';
import { applyMigrations } from '../src/main/store/mariadb/migrations.js';
import { loadAt, pvAt, random } from './store-workload.js';

const DAYS = 365;
const MINUTE = 60_000;
const DAY = 86_400_000;
// Day boundaries at +02:00, as the dashboard's CONVERT_TZ(h,'+00:00','+2:00'); 'Etc/GMT-2' is UTC+2.
const ZONE = 'Etc/GMT-2';
const OFFSET = 2 * 3_600_000;
const END = Date.UTC(2026, 10, 1) - OFFSET;
const START = END - DAYS * DAY;
const INSERT_ROWS = 5000;

interface Row {
  tsMs: number;
  pvA: number;
  pvV: number;
  loadW: number;
  batteryV: number;
}

function rows(): Row[] {
  const rnd = random(11);
  const out: Row[] = [];
  for (let t = START; t < END; t += MINUTE) {
    const secondOfDay = (t / 1000) % 86_400;
    const pv = pvAt(secondOfDay, rnd);
    const pvV = pv > 0 ? 310 : 0;
    out.push({ tsMs: t, pvA: pv > 0 ? Math.round((pv / pvV) * 10) / 10 : 0, pvV, loadW: loadAt(secondOfDay, rnd), batteryV: 52.4 });
  }
  return out;
}

async function timeRuns(runs: number, run: () => Promise<unknown> | unknown): Promise<{ medianMs: number; maxMs: number }> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const began = performance.now();
    await run();
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return { medianMs: round(times[Math.floor(times.length / 2)] ?? 0), maxMs: round(times.at(-1) ?? 0) };
}

async function main(): Promise<void> {
  const data = rows();
  const database = `voltmon_bench_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', dateStrings: true });
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-bench-view2-'));
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(`USE ${database}`);
    await admin.query("SET time_zone = '+00:00'");
    await applyMigrations(admin);
    const [[version]] = (await admin.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];

    let began = performance.now();
    for (let i = 0; i < data.length; i += INSERT_ROWS) {
      const chunk = data.slice(i, i + INSERT_ROWS);
      await admin.query(
        'INSERT INTO inverter_samples (site, ts_ms, source, pv_input_current_a, pv_input_voltage_v, ac_output_active_power_w, battery_voltage_v) VALUES ?',
        [chunk.map((r) => ['bench', r.tsMs, 'QPIGS', r.pvA, r.pvV, r.loadW, r.batteryV])],
      );
    }
    await admin.query('ANALYZE TABLE inverter_samples');
    const mariadbFillS = (performance.now() - began) / 1000;

    const dailySql = (days: number) =>
      `SELECT UNIX_TIMESTAMP(CONVERT_TZ(h,'+00:00','+2:00')) DIV 86400 * 86400 AS "time", sum(var2) AS "production"
         FROM VIEW2 WHERE h BETWEEN FROM_UNIXTIME(${(END - days * DAY) / 1000}) AND FROM_UNIXTIME(${END / 1000 - 1})
         GROUP BY UNIX_TIMESTAMP(CONVERT_TZ(h,'+00:00','+2:00')) DIV 86400 * 86400 ORDER BY 1`;
    const view2Daily = async (days: number) => {
      const [result] = await admin.query(dailySql(days));
      return (result as Array<{ time: number; production: number }>).map((r) => ({ dayMs: Number(r.time) * 1000 - OFFSET, wh: Number(r.production) }));
    };

    const store = openStore({ path: join(dir, 'voltmon.db'), timeZone: ZONE, now: () => END, batchMs: 60_000 });
    began = performance.now();
    for (let i = 0; i < data.length; i++) {
      const r = data[i] as Row;
      const pvPowerW = Math.round(r.pvA * r.pvV * 100) / 100;
      store.append({
        device: 'inverter',
        source: 'QPIGS',
        tsMs: r.tsMs,
        values: { pvInputCurrentA: r.pvA, pvInputVoltageV: r.pvV, acOutputActivePowerW: r.loadW, batteryVoltageV: r.batteryV, pvPowerW },
      });
      if (i % 10_000 === 9_999) store.flush();
    }
    store.flush();
    const storeFillS = (performance.now() - began) / 1000;
    const storeDaily = (days: number) =>
      store.energy({ period: 'day', from: END - days * DAY, to: END }).rows.map((r) => ({ dayMs: r.startTsMs, wh: r.kwh.pvProduced * 1000 }));

    const figures = [];
    for (const days of [30, DAYS]) {
      const runs = days > 30 ? 7 : 25;
      const a = await timeRuns(runs, () => view2Daily(days));
      const b = await timeRuns(runs, () => storeDaily(days));
      const fromView = await view2Daily(days);
      const fromStore = new Map(storeDaily(days).map((d) => [d.dayMs, d.wh]));
      const differences = fromView.map((d) => Math.abs(d.wh - (fromStore.get(d.dayMs) ?? Number.NaN)) / Math.max(1, d.wh));
      figures.push({
        question: `PV Wh per day over ${days} days`,
        days: fromView.length,
        rawRowsScanned: days * 1440,
        view2: a,
        storeEnergy: b,
        ratioView2ToStore: Math.round((a.medianMs / b.medianMs) * 10) / 10,
        largestDailyDifferencePct: Math.round(Math.max(...differences) * 10000) / 100,
      });
    }
    store.close();

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      mariadb: version.v,
      rows: data.length,
      fill: { mariadbSeconds: Math.round(mariadbFillS * 10) / 10, storeSeconds: Math.round(storeFillS * 10) / 10 },
      note:
        'warm medians (one unmeasured run first); (a) the VIEW2 legacy view grouped per day as the STATS dashboard does, ' +
        'over 1-minute QPIGS rows in MariaDB on this machine; (b) LocalStore.energy({period:"day"}) from the hourly energy table. ' +
        'The answers differ by the method: VIEW2 averages samples per hour, the store integrates trapezoids.',
      figures,
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/mariadb-view2-vs-rollups.json', `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
