/**
 * History latency on a store holding a simulated year at 1 Hz: raw rows for the 30 days raw retention
 * keeps (inverter QPIGS, SDM230 and a 9-id Daly cycle every second), 1-minute rollups of every series for
 * the whole year, hour and day rollups built from them. The fixture is written with plain SQL in bulk (much faster than
 * appending a year through the store) and kept in the temp dir for the next run (--rebuild forces a new one).
 * Also times energy() by hour over a week, by day over a year and by month over ten years.
 * Run: npx tsx bench/store-history.ts [--rebuild]  -> bench/results/store-history.json
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStore } from '../src/main/store/index.js';
import { TABLES, type TableDef } from '../src/main/store/tables.js';
import { loadAt, pvAt, random } from './store-workload.js';

const { values: args } = parseArgs({ options: { rebuild: { type: 'boolean', default: false } } });
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const RAW_DAYS = 30;
const YEAR_DAYS = 365;
const FIXTURE = join(tmpdir(), 'voltmon-bench-year-v3.db');

const table = (name: string): TableDef => TABLES.find((t) => t.name === name) as TableDef;

function buildFixture(): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(FIXTURE + suffix, { force: true });
  openStore({ path: FIXTURE, timeZone: 'Europe/Berlin', now: () => END }).close();
  const db = new Database(FIXTURE);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rnd = random(7);
  const began = performance.now();
  const inverter = db.prepare(
    'INSERT INTO inverter_status (ts_ms, ac_output_voltage_v, ac_output_active_power_w, battery_voltage_v, pv_input_voltage_v, pv_charging_power_w, pv_power_w, battery_power_w, heat_sink_temperature_c, bus_voltage_v) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const meter = db.prepare('INSERT INTO meter (ts_ms, voltage_v, current_a, active_power_w, frequency_hz, power_factor) VALUES (?, ?, ?, ?, ?, ?)');
  const cells = table('bms').columns.filter((c) => c.field.startsWith('cellVoltagesV')).map((c) => c.column);
  const temps = table('bms').columns.filter((c) => c.field.startsWith('temperaturesC')).map((c) => c.column);
  const bmsRows = [
    db.prepare('INSERT INTO bms (ts_ms, total_voltage_v, current_a, soc_pct) VALUES (?, ?, ?, ?)'),
    db.prepare('INSERT INTO bms (ts_ms, max_cell_voltage_v, min_cell_voltage_v) VALUES (?, ?, ?)'),
    db.prepare('INSERT INTO bms (ts_ms, max_temperature_c, min_temperature_c) VALUES (?, ?, ?)'),
    db.prepare("INSERT INTO bms (ts_ms, state, charge_mos_on, discharge_mos_on, remaining_capacity_ah) VALUES (?, 'charging', 1, 1, ?)"),
    db.prepare('INSERT INTO bms (ts_ms, cycle_count) VALUES (?, 112)'),
    db.prepare(`INSERT INTO bms (ts_ms, ${cells.join(', ')}) VALUES (?${', ?'.repeat(cells.length)})`),
    db.prepare(`INSERT INTO bms (ts_ms, ${temps.join(', ')}) VALUES (?, 23, 22, 24, 23)`),
    db.prepare("INSERT INTO bms (ts_ms, balancing_cells) VALUES (?, '')"),
    db.prepare("INSERT INTO bms (ts_ms, active_alarms) VALUES (?, '')"),
  ] as const;
  const insertRawDay = db.transaction((dayStart: number) => {
    for (let t = dayStart; t < dayStart + DAY; t += 1000) {
      const s = (t / 1000) % 86_400;
      const pv = pvAt(s, rnd);
      const load = loadAt(s, rnd);
      const v = 52.4 + (pv - load) / 4000;
      inverter.run(t, 230, load, v, pv > 0 ? 310 : 0, pv, pv, pv - load, 36, 382);
      meter.run(t + 120, 231.5, 0.12, rnd() * 4 - 2, 50, 0.1);
      const cellValues = Array.from({ length: 16 }, (_, i) => 3.28 + i * 0.001 + rnd() * 0.004);
      bmsRows[0].run(t + 200, v + 0.1, (pv - load) / v, 60 + rnd());
      bmsRows[1].run(t + 260, Math.max(...cellValues), Math.min(...cellValues));
      bmsRows[2].run(t + 320, 24, 22);
      bmsRows[3].run(t + 380, 180);
      bmsRows[4].run(t + 440);
      bmsRows[5].run(t + 500, ...cellValues);
      bmsRows[6].run(t + 560);
      bmsRows[7].run(t + 620);
      bmsRows[8].run(t + 680);
    }
  });
  for (let d = RAW_DAYS; d > 0; d--) insertRawDay(END - d * DAY);
  const rawSeconds = (performance.now() - began) / 1000;

  // One-minute rollups for the year: a plausible min/avg/max per series per minute, 60 samples each.
  const began2 = performance.now();
  const ids = db.prepare('SELECT id, name FROM rollup_series').all() as Array<{ id: number; name: string }>;
  const insert = db.prepare('INSERT INTO rollup_1m (series_id, bucket_ms, min, max, sum, n) VALUES (?, ?, ?, ?, ?, ?)');
  const insertSeries = db.transaction((id: number, base: number) => {
    for (let t = END - YEAR_DAYS * DAY; t < END; t += 60_000) {
      const avg = base * (0.9 + 0.2 * rnd());
      insert.run(id, t, avg * 0.97, avg * 1.03, avg * 60, 60);
    }
  });
  for (const { id, name } of ids) insertSeries(id, name.includes('cell') ? 3.3 : name.endsWith('PowerW') ? 800 : name.endsWith('V') ? 52 : 20);
  for (const [level, below, size] of [['1h', '1m', 3_600_000], ['1d', '1h', DAY]] as const) {
    const rollUp = db.prepare(
      `INSERT INTO rollup_${level} (series_id, bucket_ms, min, max, sum, n) SELECT series_id, bucket_ms / ${size} * ${size} AS b, min(min), max(max), total(sum), total(n) FROM rollup_${below} WHERE series_id = ? GROUP BY b`,
    );
    db.transaction(() => ids.forEach(({ id }) => rollUp.run(id)))();
  }
  // The store would have written everything up to a quarter of an hour ago.
  const watermark = db.prepare('INSERT OR REPLACE INTO rollup_watermark (level, bucket_ms) VALUES (?, ?)');
  watermark.run('1m', END - 15 * 60_000);
  watermark.run('1h', END - 3_600_000);
  watermark.run('1d', END - DAY);
  watermark.run('energy', END - 3_600_000);
  const energy = db.prepare('INSERT INTO energy_hour VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let t = END - YEAR_DAYS * DAY; t < END - 3_600_000; t += 3_600_000) energy.run(t, 900 * rnd(), 400, 50 * rnd(), 30 * rnd(), 300 * rnd(), 250 * rnd());
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.error(`fixture: raw ${RAW_DAYS} d in ${rawSeconds.toFixed(0)} s, rollups in ${((performance.now() - began2) / 1000).toFixed(0)} s`);
}

if (args.rebuild || !existsSync(FIXTURE)) buildFixture();

const RANGES: Array<[string, number]> = [
  ['1h', 3_600_000],
  ['1d', DAY],
  ['1w', 7 * DAY],
  ['1mo', 30 * DAY],
  ['1y', 365 * DAY],
  ['10y', 3652 * DAY],
];
const QUERIES: Array<[string, string[]]> = [
  ['one cell voltage', ['bms.cellVoltagesV[7]']],
  ['pv + grid + soc', ['inverter.pvPowerW', 'meter.activePowerW', 'bms.socPct']],
];
const POINTS = [1000, 4000];
const REPEAT = 25;

const opening = performance.now();
const store = openStore({ path: FIXTURE, timeZone: 'Europe/Berlin', now: () => END });
const openMs = Math.round(performance.now() - opening);
const figures = [];
for (const points of POINTS) {
  for (const [label, series] of QUERIES) {
    for (const [range, ms] of RANGES) {
      const query = { series, from: END - ms, to: END, points };
      const times: number[] = [];
      let answer = store.history(query);
      for (let i = 0; i < REPEAT; i++) {
        const began = performance.now();
        answer = store.history(query);
        times.push(performance.now() - began);
      }
      times.sort((a, b) => a - b);
      const buckets = Math.max(...Object.values(answer.series).map((p) => p.length));
      figures.push({
        query: label,
        range,
        points,
        level: answer.level,
        bucketMs: answer.bucketMs,
        buckets,
        medianMs: Math.round((times[Math.floor(REPEAT / 2)] as number) * 100) / 100,
        maxMs: Math.round((times[REPEAT - 1] as number) * 100) / 100,
      });
    }
  }
}
const energyFigures = [];
for (const [period, range] of [['hour', 7 * DAY], ['day', 365 * DAY], ['month', 3652 * DAY]] as const) {
  const query = { period, from: END - range, to: END };
  let rows = store.energy(query).rows.length;
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const began = performance.now();
    rows = store.energy(query).rows.length;
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  energyFigures.push({ period, rangeDays: range / DAY, rows, medianMs: Math.round((times[Math.floor(REPEAT / 2)] as number) * 100) / 100, maxMs: Math.round((times[REPEAT - 1] as number) * 100) / 100 });
}
store.close();
const result = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  fixture: { rawDays: RAW_DAYS, rollupDays: YEAR_DAYS, fileMB: Math.round(statSync(FIXTURE).size / 1e6) },
  /** Opening includes recomputing rollups from the watermarks (15 min of raw rows, the newest hour and day). */
  openMs,
  note: 'each figure: median and max of 25 warm runs after one unmeasured run, range ending at the newest data',
  figures,
  energy: energyFigures,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/store-history.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
