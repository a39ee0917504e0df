/**
 * What the local store's batches cost the daemon: JS heap bytes allocated per committed sample (append, which
 * checks and sorts a sample, plus its share of the commit), CPU ms per 5-second batch and the garbage
 * collections they cause. Measured as the installed daemon runs: V8's interpreter only (--lite-mode) with its
 * 2 MB semi-spaces, one child process per run.
 * Workload: bench/store-workload.ts (what the drivers' default poll plans emit: ~5.3 samples/s of inverter
 * QPIGS/QMOD/QPIWS/QPIRI/Q1, Daly BMS and SDM230 meter) into a store on a temp file, flushed every 5 simulated
 * seconds; 10 simulated minutes of warm-up, then --minutes measured (rollups and hourly energy are written
 * once per hour of data, so 60 minutes include one such write).
 * Allocation is exact, not sampled: the heap's used size after the run minus before it, plus what every GC
 * in between freed (v8.GCProfiler reports the heap before and after each one).
 * --baseline DIR measures another checkout's store in the same run (e.g. a `git worktree` of HEAD with
 * node_modules linked), alternating runs, and reports both with their ratio. Both must leave byte-identical
 * tables (checked on a digest of every stored row), so the comparison is also a test that nothing changed.
 * Run: npx tsx bench/store-commit.ts [--minutes 60] [--rounds 3] [--baseline /tmp/base]  -> bench/results/store-commit.json
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import Database from 'better-sqlite3';
import type { Sample } from '../src/shared/samples.js';
import { random, samplesForSecond } from './store-workload.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    baseline: { type: 'string' },
    child: { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const BATCH_S = 5;
const WARMUP_S = 600;
const START = Date.UTC(2026, 5, 1, 9, 50);
/** The daemon's node flags (src/headless/interpreter.ts, daemon-v8-flags.ts); --expose-gc only to start measuring on a clean heap. */
const CHILD_FLAGS = ['--lite-mode', '--no-expose-wasm', '--max-semi-space-size=2', '--expose-gc'];

interface Run {
  samples: number;
  batches: number;
  allocatedBytes: number;
  cpuMs: number;
  scavenges: number;
  majorGcs: number;
  gcMs: number;
  /** sha256 of every row of the store's tables after close. */
  digest: string;
}

/** Every sample of the run, grouped by batch, made before measuring so only the store's work is counted. */
function batches(fromS: number, count: number): Sample[][] {
  const rnd = random(42);
  const out: Sample[][] = [];
  for (let b = 0; b < count; b++) {
    const batch: Sample[] = [];
    for (let s = 0; s < BATCH_S; s++) batch.push(...samplesForSecond(START + (fromS + b * BATCH_S + s) * 1000, rnd));
    out.push(batch);
  }
  return out;
}

function digest(path: string): string {
  const db = new Database(path, { readonly: true });
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const table of tables) {
    if (table === 'schema_version') continue; // holds the time the file was created
    hash.update(`${table}\n`);
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw(true).iterate()) hash.update(`${JSON.stringify(row)}\n`);
  }
  db.close();
  return hash.digest('hex');
}

/** In the child: run the store found under `root` and print a Run as JSON. */
async function child(root: string): Promise<void> {
  const { openStore } = (await import(pathToFileURL(join(root, 'src/main/store/index.ts')).href)) as typeof import('../src/main/store/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-commit-'));
  const path = join(dir, 'voltmon.db');
  const end = START + (WARMUP_S + minutes * 60) * 1000;
  const store = openStore({ path, timeZone: 'Europe/Berlin', batchMs: 3_600_000, now: () => end });
  for (const batch of batches(0, WARMUP_S / BATCH_S)) {
    for (const sample of batch) store.append(sample);
    store.flush();
  }
  const measured = batches(WARMUP_S, (minutes * 60) / BATCH_S);
  const samples = measured.reduce((n, b) => n + b.length, 0);
  (globalThis as unknown as { gc: () => void }).gc();
  const profiler = new GCProfiler();
  profiler.start();
  const heapBefore = getHeapStatistics().used_heap_size;
  const cpuBefore = process.cpuUsage();
  // Indexed loops: the harness itself allocates nothing while measuring.
  for (let b = 0; b < measured.length; b++) {
    const batch = measured[b] as Sample[];
    for (let i = 0; i < batch.length; i++) store.append(batch[i] as Sample);
    store.flush();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = getHeapStatistics().used_heap_size;
  const gcs = profiler.stop().statistics;
  store.close();
  const freed = gcs.reduce((sum, gc) => sum + gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize, 0);
  const run: Run = {
    samples,
    batches: measured.length,
    allocatedBytes: heapAfter - heapBefore + freed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    scavenges: gcs.filter((gc) => gc.gcType === 'Scavenge').length,
    majorGcs: gcs.filter((gc) => gc.gcType === 'MarkSweepCompact').length,
    gcMs: gcs.reduce((sum, gc) => sum + gc.cost, 0) / 1000,
    digest: digest(path),
  };
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function measure(root: string): Run {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, [...CHILD_FLAGS, '--import', 'tsx', script, '--child', root, '--minutes', String(minutes)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`run of ${root} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as Run;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

function summary(runs: Run[]): Record<string, number> {
  const per = (f: (r: Run) => number): number => median(runs.map(f));
  return {
    allocatedBytesPerSample: Math.round(per((r) => r.allocatedBytes / r.samples)),
    allocatedKBPerBatch: round(per((r) => r.allocatedBytes / r.batches / 1024), 1),
    cpuMsPerBatch: round(per((r) => r.cpuMs / r.batches), 3),
    scavengesPerHourOfData: round(per((r) => (r.scavenges / r.batches) * (3600 / BATCH_S)), 1),
    majorGcsPerHourOfData: round(per((r) => (r.majorGcs / r.batches) * (3600 / BATCH_S)), 1),
    gcMsPerBatch: round(per((r) => r.gcMs / r.batches), 3),
  };
}

if (args.child !== undefined) {
  await child(args.child);
} else {
  const rounds = Number(args.rounds);
  const roots: Array<[string, string]> = [['after', resolve('.')]];
  if (args.baseline !== undefined) roots.unshift(['before', resolve(args.baseline)]);
  const runs: Record<string, Run[]> = Object.fromEntries(roots.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, root] of roots) {
      const run = measure(root);
      runs[label]?.push(run);
      console.error(`${label} #${round + 1}: ${Math.round(run.allocatedBytes / run.samples)} B/sample, ${(run.cpuMs / run.batches).toFixed(2)} CPU ms/batch, ${run.scavenges} scavenges`);
    }
  }
  const digests = new Set(Object.values(runs).flatMap((r) => r.map((run) => run.digest)));
  if (digests.size !== 1) throw new Error(`the stores' tables differ between runs: ${[...digests].join(', ')}`);
  const summaries = Object.fromEntries(Object.entries(runs).map(([label, r]) => [label, summary(r)]));
  const result = {
    bench: 'store-commit',
    date: new Date().toISOString(),
    node: process.version,
    v8: `interpreter only: node ${CHILD_FLAGS.join(' ')}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    workload: `bench/store-workload.ts, a flush every ${BATCH_S} simulated seconds, file store; ${WARMUP_S / 60} min warm-up, ${minutes} min measured, ${rounds} run(s) each, medians`,
    samplesPerBatch: round((runs.after?.[0]?.samples ?? 0) / (runs.after?.[0]?.batches ?? 1), 1),
    sameTables: true,
    ...summaries,
    ...(summaries.before && summaries.after
      ? { afterOverBefore: Object.fromEntries(Object.keys(summaries.after).map((k) => [k, round((summaries.after?.[k] ?? 0) / (summaries.before?.[k] || 1), 3)])) }
      : {}),
    runs,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/store-commit.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ ...result, runs: undefined }, null, 2));
}
