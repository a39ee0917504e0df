import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/main/store/index.js';
import type { Sample } from '../src/shared/samples.js';

const T0 = Date.UTC(2026, 2, 27, 22, 30);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voltmon-rollup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Expected {
  min: number;
  max: number;
  sum: number;
  n: number;
}

/** The reference: min/max/sum/count per bucket straight from the samples that were appended. */
function expectedBuckets(samples: Sample[], field: string, bucketMs: number): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const s of samples) {
    const raw = s.values[field];
    if (raw === undefined || raw === null) continue;
    // + 0 turns -0 into 0, as SQLite does when it stores a REAL
    const v = (typeof raw === 'boolean' ? Number(raw) : (raw as number)) + 0;
    const key = Math.floor(s.tsMs / bucketMs) * bucketMs;
    const e = out.get(key);
    if (!e) out.set(key, { min: v, max: v, sum: v, n: 1 });
    else out.set(key, { min: Math.min(e.min, v), max: Math.max(e.max, v), sum: e.sum + v, n: e.n + 1 });
  }
  return out;
}

function storedBuckets(file: string, level: string, series: string): Map<number, Expected> {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(`SELECT bucket_ms, min, max, sum, n FROM rollup_${level} WHERE series_id = (SELECT id FROM rollup_series WHERE name = ?)`)
    .all(series) as Array<Expected & { bucket_ms: number }>;
  db.close();
  return new Map(rows.map((r) => [r.bucket_ms, { min: r.min, max: r.max, sum: r.sum, n: r.n }]));
}

function expectSameBuckets(actual: Map<number, Expected>, expected: Map<number, Expected>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, e] of expected) {
    const a = actual.get(key) as Expected;
    expect(a.n).toBe(e.n);
    expect(a.min).toBe(e.min);
    expect(a.max).toBe(e.max);
    expect(Math.abs(a.sum - e.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e.sum)));
  }
}

const meterSample = fc.record({
  offsetMs: fc.integer({ min: 0, max: 3 * DAY }),
  // A meter never reports -0; SQLite reads -0.0 back as 0, which is no difference a user could see.
  activePowerW: fc.option(fc.double({ min: -5000, max: 5000, noNaN: true }).map((w) => w + 0), { nil: undefined }),
  voltageV: fc.option(fc.double({ min: 200, max: 250, noNaN: true }), { nil: undefined }),
});
const bmsSample = fc.record({
  offsetMs: fc.integer({ min: 0, max: 3 * DAY }),
  chargeMosOn: fc.boolean(),
  socPct: fc.double({ min: 0, max: 100, noNaN: true }),
});

describe('rollups', () => {
  it('equal a direct computation over the samples, at 1 minute, 1 hour and 1 day, whatever the batches', () => {
    let run = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(meterSample, { selector: (s) => s.offsetMs, maxLength: 300 }),
        fc.uniqueArray(bmsSample, { selector: (s) => s.offsetMs, maxLength: 150 }),
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 10 }),
        (meter, bms, batchSizes) => {
          const file = join(dir, `r${run++}.db`);
          const store = openStore({ path: file, timeZone: 'Europe/Berlin', batchMs: 60_000, now: () => T0 });
          const samples: Sample[] = [
            ...meter.map((m) => ({
              device: 'meter' as const,
              tsMs: T0 + m.offsetMs,
              source: 'read',
              values: Object.fromEntries(Object.entries({ activePowerW: m.activePowerW, voltageV: m.voltageV }).filter(([, v]) => v !== undefined)) as Sample['values'],
            })),
            ...bms.map((b) => ({ device: 'bms' as const, tsMs: T0 + b.offsetMs, source: '0x93', values: { chargeMosOn: b.chargeMosOn, socPct: b.socPct } })),
          ];
          let next = 0;
          let batch = 0;
          for (const sample of samples) {
            store.append(sample);
            if (++next >= (batchSizes[batch % batchSizes.length] as number)) {
              store.flush();
              next = 0;
              batch++;
            }
          }
          store.flush();
          // Before close the newest buckets live in memory: history must still count every sample.
          const firstDay = Math.floor(T0 / DAY) * DAY;
          const byDay = store.history({ series: ['meter.activePowerW', 'bms.socPct'], from: firstDay, to: firstDay + 5 * DAY, points: 5 });
          expect(byDay.level).toBe('1d');
          for (const [name, field] of [['meter.activePowerW', 'activePowerW'], ['bms.socPct', 'socPct']] as const) {
            const expected = expectedBuckets(samples, field, DAY);
            const answer = byDay.series[name] ?? [];
            expect(answer.map((p) => p.tsMs)).toEqual([...expected.keys()].sort());
            for (const point of answer) {
              const e = expected.get(point.tsMs) as Expected;
              expect([point.min, point.max, point.count]).toEqual([e.min, e.max, e.n]);
              expect(point.avg).toBeCloseTo(e.sum / e.n, 9);
            }
          }
          store.close();
          for (const [level, ms] of [['1m', MINUTE], ['1h', HOUR], ['1d', DAY]] as const) {
            expectSameBuckets(storedBuckets(file, level, 'meter.activePowerW'), expectedBuckets(samples, 'activePowerW', ms));
            expectSameBuckets(storedBuckets(file, level, 'meter.voltageV'), expectedBuckets(samples, 'voltageV', ms));
            expectSameBuckets(storedBuckets(file, level, 'bms.chargeMosOn'), expectedBuckets(samples, 'chargeMosOn', ms));
            expectSameBuckets(storedBuckets(file, level, 'bms.socPct'), expectedBuckets(samples, 'socPct', ms));
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('are complete after a crash: the newest buckets are rebuilt from the level below at open', () => {
    const file = join(dir, 'crash.db');
    const script = join(dir, 'crash.ts');
    const storeModule = join(process.cwd(), 'src/main/store/index.ts');
    // Three hours and a bit of 1 Hz readings in 5-second batches, then the process dies without close().
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(storeModule)};
       const store = openStore({ path: ${JSON.stringify(file)}, timeZone: 'UTC', batchMs: 60000, now: () => ${T0} });
       for (let i = 0; i < 3 * 3600 + 1234; i++) {
         store.append({ device: 'meter', tsMs: ${T0} + i * 1000, source: 'read', values: { activePowerW: (i * 7919) % 1000 - 500 } });
         if (i % 5 === 4) store.flush();
       }
       process.exit(0);`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const committed: Sample[] = [];
    for (let i = 0; i < 3 * 3600 + 1230; i++) committed.push({ device: 'meter', tsMs: T0 + i * 1000, source: 'read', values: { activePowerW: ((i * 7919) % 1000) - 500 } });
    openStore({ path: file, timeZone: 'UTC', now: () => T0 }).close();
    for (const [level, ms] of [['1m', MINUTE], ['1h', HOUR], ['1d', DAY]] as const) {
      expectSameBuckets(storedBuckets(file, level, 'meter.activePowerW'), expectedBuckets(committed, 'activePowerW', ms));
    }
  });
});

describe('retention', () => {
  it('deletes exactly the raw rows and 1-minute rollups past their age, and keeps hours and days', () => {
    const file = join(dir, 'retention.db');
    const now = T0 + 6 * DAY;
    const store = openStore({ path: file, timeZone: 'UTC', now: () => now, retention: { raw: 2, minute: 3 } });
    const samples: Sample[] = [];
    for (let t = T0; t < now; t += MINUTE) samples.push({ device: 'meter', tsMs: t + 17, source: 'read', values: { activePowerW: (t / MINUTE) % 1000 } });
    for (const s of samples) store.append(s);
    store.flush();
    while (store.applyRetention() > 0);
    store.close();

    const db = new Database(file, { readonly: true });
    const rawCutoff = now - 2 * DAY;
    const minuteCutoff = now - 3 * DAY;
    const raw = (db.prepare('SELECT ts_ms FROM meter ORDER BY ts_ms').all() as Array<{ ts_ms: number }>).map((r) => r.ts_ms);
    expect(raw).toEqual(samples.filter((s) => s.tsMs >= rawCutoff).map((s) => s.tsMs));
    db.close();
    expect([...storedBuckets(file, '1m', 'meter.activePowerW').keys()].sort()).toEqual([...expectedBuckets(samples, 'activePowerW', MINUTE).keys()].filter((b) => b >= minuteCutoff));
    expect(storedBuckets(file, '1h', 'meter.activePowerW').size).toBe(expectedBuckets(samples, 'activePowerW', HOUR).size);
    expect(storedBuckets(file, '1d', 'meter.activePowerW').size).toBe(expectedBuckets(samples, 'activePowerW', DAY).size);
  });
});
