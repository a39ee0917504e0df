/**
 * Ingest rate and disk writes of the local store.
 *  - samples/s absorbed (append + the commits every 5 simulated seconds), file store, realistic samples;
 *  - bytes written per simulated day at 1 Hz polling with 5 s batches (outbox off and on) and 30 s batches: bytes handed to
 *    write() (wchar) and bytes sent to the block device (write_bytes) from /proc/self/io, and the file size.
 * Run: npx tsx bench/store-ingest.ts [--days N]  -> bench/results/store-ingest.json
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../src/main/store/index.js';
import { random, samplesForSecond } from './store-workload.js';

const { values: args } = parseArgs({ options: { days: { type: 'string', default: '1' } } });
const days = Number(args.days);
const START = Date.UTC(2026, 5, 1);

function io(): { wchar: number; writeBytes: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { wchar: field('wchar'), writeBytes: field('write_bytes') };
}

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

interface Run {
  outbox: boolean;
  batchSeconds: number;
  simulatedDays: number;
  samples: number;
  commits: number;
  samplesPerSecond: number;
  wallSeconds: number;
  wcharPerDayMB: number;
  writeBytesPerDayMB: number;
  fileBytesPerDayMB: number;
  walBytesAtEndMB: number;
  outboxBacklog: number;
}

function run(outbox: boolean, batchSeconds: number): Run {
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-ingest-'));
  const path = join(dir, 'voltmon.db');
  const end = START + days * 86_400_000;
  const store = openStore({ path, timeZone: 'Europe/Berlin', batchMs: 3_600_000, outbox, now: () => end });
  const rnd = random(42);
  // Warm-up hour before the measured days, so the tables and statements exist.
  for (let t = START - 3_600_000; t < START; t += 1000) for (const s of samplesForSecond(t, rnd)) store.append(s);
  store.flush();
  const sizeBefore = size(path) + size(`${path}-wal`);
  const ioBefore = io();
  let samples = 0;
  let commits = 0;
  let appendFlushMs = 0;
  for (let t = START; t < end; t += 1000) {
    const batch = samplesForSecond(t, rnd);
    const began = performance.now();
    for (const s of batch) store.append(s);
    if ((t / 1000) % batchSeconds === batchSeconds - 1) {
      store.flush();
      commits++;
    }
    appendFlushMs += performance.now() - began;
    samples += batch.length;
  }
  store.flush();
  const ioAfter = io();
  const fileGrowth = size(path) + size(`${path}-wal`) - sizeBefore;
  const wal = size(`${path}-wal`);
  const backlog = store.outbox.backlog();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const mb = (bytes: number): number => Math.round((bytes / days / 1e6) * 10) / 10;
  return {
    outbox,
    batchSeconds,
    simulatedDays: days,
    samples,
    commits,
    samplesPerSecond: Math.round(samples / (appendFlushMs / 1000)),
    wallSeconds: Math.round(appendFlushMs) / 1000,
    wcharPerDayMB: mb(ioAfter.wchar - ioBefore.wchar),
    writeBytesPerDayMB: mb(ioAfter.writeBytes - ioBefore.writeBytes),
    fileBytesPerDayMB: mb(fileGrowth),
    walBytesAtEndMB: Math.round(wal / 1e5) / 10,
    outboxBacklog: backlog,
  };
}

const runs = [run(false, 5), run(true, 5), run(false, 30)];
const result = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  workload: 'per simulated second: QPIGS, one SDM230 reading, a 9-id Daly cycle; QMOD+QPIWS every 5 s; QPIRI+Q1 every 60 s; a commit every batchSeconds simulated seconds',
  samplesPerSimulatedDay: runs[0]!.samples / days,
  runs,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/store-ingest.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
