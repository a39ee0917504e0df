/**
 * `voltmon backtest`: the controller, as if switched on, over recorded samples (a CSV file or the
 * store) or a simulated plant. Prints one JSON line per decision with an action (taken, refused or
 * failed) — `{"tsMs","rule","action","reason",…}` — then a summary line `{"summary":{…}}`.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { backtestSamples, type BacktestDecision, type BacktestOptions } from '../../main/control/backtest.js';
import { csvSamples, CsvSampleError } from '../../main/control/csv-samples.js';
import type { BatteryDescription } from '../../main/control/limits.js';
import { runControllerOnPlant } from '../../main/control/plant-run.js';
import { DEFAULT_RULES } from '../../main/control/rules.js';
import { seriesUsedBy, storeSamples } from '../../main/control/store-samples.js';
import { resolveThresholds, type ControllerThresholds } from '../../main/control/thresholds.js';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { isValidTimeZone } from '../../shared/zone.js';
import { resolveDataDir } from '../data-dir.js';

const USAGE =
  'usage: voltmon backtest (--samples FILE.csv | --simulate-days N [--seed N] [--start ISO] | --from TIME --to TIME [--data-dir DIR])\n' +
  '                        [--config FILE] [--time-zone ZONE]\n';

class UsageError extends Error {}
class InputError extends Error {}

const DEFAULT_SIMULATION_START = '2026-03-01T00:00:00Z';

/** UTC ms or ISO 8601. */
function parseTime(text: string, flag: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms)) throw new UsageError(`${flag} must be UTC milliseconds or an ISO 8601 time, not '${text}'`);
  return ms;
}

interface FromConfig {
  thresholds?: Partial<ControllerThresholds>;
  timeZone?: string;
  battery?: BatteryDescription;
}

/**
 * `--config`: a voltmon.yaml (its controller thresholds, site time zone and battery are used) or a
 * plain mapping of thresholds (YAML or JSON, optionally under `thresholds:`).
 */
function readConfig(path: string): FromConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${path}: expected a mapping of thresholds or a voltmon config`);
  const doc = raw as Record<string, unknown>;
  let out: FromConfig;
  if ('site' in doc || 'battery' in doc || 'controller' in doc) {
    const loaded = loadConfigFile(path);
    if (!loaded.ok) throw new InputError(loaded.error.map((e) => `${path}: ${e}`).join('\n'));
    out = { thresholds: loaded.value.controller.thresholds, timeZone: loaded.value.site.timeZone, battery: loaded.value.battery };
  } else {
    out = { thresholds: ('thresholds' in doc ? doc.thresholds : doc) as Partial<ControllerThresholds> };
  }
  const checked = resolveThresholds(out.thresholds ?? {});
  if (!checked.ok) throw new InputError(checked.error.map((e) => `${path}: ${e}`).join('\n'));
  return out;
}

const writeLine = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        samples: { type: 'string' },
        'simulate-days': { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        'time-zone': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const sources = [values.samples !== undefined, values['simulate-days'] !== undefined, values.from !== undefined || values.to !== undefined];
  if (sources.filter(Boolean).length !== 1) throw new UsageError('give exactly one source: --samples, --simulate-days, or --from and --to');
  const config = values.config !== undefined ? readConfig(values.config) : {};
  const timeZone = values['time-zone'] ?? config.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isValidTimeZone(timeZone)) throw new UsageError(`--time-zone: '${timeZone}' is not an IANA time zone`);
  const options: BacktestOptions = {
    timeZone,
    thresholds: config.thresholds,
    battery: config.battery,
    onDecision: (d: BacktestDecision) => writeLine(d),
  };

  if (values.samples !== undefined) {
    if (!existsSync(values.samples)) throw new InputError(`${values.samples}: no such file`);
    const lines = createInterface({ input: createReadStream(values.samples, 'utf8'), crlfDelay: Infinity });
    writeLine({ summary: await backtestSamples(csvSamples(lines), options) });
    return 0;
  }

  if (values['simulate-days'] !== undefined) {
    const days = Number(values['simulate-days']);
    if (!Number.isFinite(days) || days <= 0 || days > 3660) throw new UsageError('--simulate-days must be a number of days from 1 to 3660');
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
    const startTsMs = parseTime(values.start ?? DEFAULT_SIMULATION_START, '--start');
    const result = await runControllerOnPlant({ ...options, days, seed, startTsMs });
    writeLine({ summary: { ...result.summary, battery: result.battery } });
    return 0;
  }

  if (values.from === undefined || values.to === undefined) throw new UsageError('--from and --to go together');
  const from = parseTime(values.from, '--from');
  const to = parseTime(values.to, '--to');
  if (from >= to) throw new UsageError('--from must be before --to');
  const dbPath = join(resolveDataDir(values['data-dir']), 'voltmon.db');
  if (!existsSync(dbPath)) throw new InputError(`${dbPath}: no store there (give --data-dir)`);
  const { openStore } = await import('../../main/store/index.js');
  const store = openStore({ path: dbPath, timeZone });
  try {
    const samples = storeSamples(store, seriesUsedBy(DEFAULT_RULES), from, to);
    writeLine({ summary: await backtestSamples(samples, options) });
  } finally {
    store.close();
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`voltmon backtest: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof InputError || err instanceof CsvSampleError) {
      process.stderr.write(`voltmon backtest: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
