/**
 * Commits one batch: raw rows, rollups, hourly energy, enum changes and the outbox, all in one
 * transaction. The in-memory state (latest values, last power samples, last stored settings) is worked on
 * as a copy and only replaces the current one once the transaction has committed, so a failed commit
 * leaves both the file and the memory as they were.
 */
import type Database from 'better-sqlite3';
import type { FieldValue } from '../../shared/samples.js';
import { ENERGY_QUANTITIES, POWER_SERIES, integrateStep, type HourlyEnergy, type PowerPoint } from './energy-integrator.js';
import { BatchRollup, LEVEL_MS, ROLLUP_LEVELS, mergeSummaries, openKey, prepareRebuild, prepareRollupUpsert, rollupTableName, summaryParams, type OpenBucket, type RollupLevel } from './rollup.js';
import type { CheckedSample, TablePart } from './sample-input.js';
import { TABLES, type TableDef } from './tables.js';
import type { ZoneClock } from './zone.js';

export interface LatestValue {
  value: FieldValue;
  tsMs: number;
}

export interface ChangeRow {
  values: Map<string, FieldValue>;
  /** JSON of the values outside the catalogue, per source command (QMOD and QPIWS share a table). */
  extras: Map<string, string>;
}

export interface WriterState {
  latest: Map<string, LatestValue>;
  lastPower: Map<string, PowerPoint>;
  /** Per change table: the values of its newest stored row (column -> value). */
  changeRows: Map<string, ChangeRow>;
  /** Per enum/text series: the last value in series_changes. */
  lastChange: Map<string, FieldValue>;
  /** Per level and table (openKey): the newest rollup bucket, not yet written. */
  openBuckets: Map<string, OpenBucket>;
}

export interface WriterOptions {
  outbox: boolean;
  energyGapMs: number;
  zone: ZoneClock;
}

type Param = number | string | null;
const toParam = (value: FieldValue): Param => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

const ENERGY_COLUMNS: Record<(typeof ENERGY_QUANTITIES)[number], string> = {
  pvProduced: 'pv_produced_wh',
  loadConsumed: 'load_consumed_wh',
  gridImported: 'grid_imported_wh',
  gridExported: 'grid_exported_wh',
  batteryCharged: 'battery_charged_wh',
  batteryDischarged: 'battery_discharged_wh',
};

export class BatchWriter {
  private readonly rowStatements = new Map<string, Database.Statement>();
  private readonly rollupStatements = new Map<string, Database.Statement>();
  private readonly columnIndex = new Map<TableDef, Map<string, number>>();
  private readonly insertChange: Database.Statement;
  private readonly insertOutbox: Database.Statement;
  private readonly upsertEnergy: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WriterOptions,
  ) {
    for (const table of TABLES) {
      this.columnIndex.set(table, new Map(table.rollupColumns.map((c, i) => [c.column, i])));
      if (table.rollupColumns.length === 0) continue;
      for (const level of ROLLUP_LEVELS) this.rollupStatements.set(rollupTableName(level, table), prepareRollupUpsert(db, level, table));
    }
    this.insertChange = db.prepare('INSERT OR REPLACE INTO series_changes (series, ts_ms, value) VALUES (?, ?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (device, source, ts_ms, sample_values) VALUES (?, ?, ?, ?)');
    const cols = ENERGY_QUANTITIES.map((q) => ENERGY_COLUMNS[q]);
    this.upsertEnergy = db.prepare(
      `INSERT INTO energy_hour (hour_start_ms, ${cols.join(', ')}) VALUES (?${', ?'.repeat(cols.length)})
       ON CONFLICT (hour_start_ms) DO UPDATE SET ${cols.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
  }

  /** Write the batch in one transaction; returns the state after it, or throws with nothing written. */
  commit(batch: readonly CheckedSample[], state: WriterState): { state: WriterState; outboxRows: number } {
    const next: WriterState = {
      latest: new Map(state.latest),
      lastPower: new Map(state.lastPower),
      changeRows: new Map(state.changeRows),
      lastChange: new Map(state.lastChange),
      openBuckets: new Map(state.openBuckets),
    };
    const ordered = [...batch].sort((a, b) => a.sample.tsMs - b.sample.tsMs);
    let outboxRows = 0;
    this.db.transaction(() => {
      const rollup = new BatchRollup();
      const energy: HourlyEnergy = new Map();
      for (const checked of ordered) {
        const { sample } = checked;
        let extraPlaced = false;
        for (const part of checked.parts) {
          if (part.table.mode === 'perSample') {
            this.writeRow(part, sample.tsMs, null);
            this.addToRollup(part, sample.tsMs, rollup);
          } else {
            const extra: string | null = part.table.keepExtra && !extraPlaced ? JSON.stringify(checked.extra) : null;
            extraPlaced ||= extra !== null;
            this.writeIfChanged(part, sample.tsMs, sample.source, extra, next);
          }
          for (const { location, value } of part.values) {
            next.latest.set(location.column.series, { value, tsMs: sample.tsMs });
            if (location.column.kind === 'enum' || location.column.kind === 'text') this.recordChange(location.column.series, sample.tsMs, value, next);
          }
        }
        this.integrate(checked, energy, next);
        if (this.options.outbox) {
          this.insertOutbox.run(sample.device, sample.source, sample.tsMs, JSON.stringify(sample.values));
          outboxRows++;
        }
      }
      const entries = [...rollup.entries()].sort((a, b) => a.bucketMs - b.bucketMs);
      for (const { level, table, bucketMs, summary } of entries) this.mergeIntoOpen(level, table, { bucketMs, summary }, next.openBuckets);
      for (const [hourMs, totals] of energy) this.upsertEnergy.run(hourMs, ...ENERGY_QUANTITIES.map((q) => totals[q]));
    })();
    return { state: next, outboxRows };
  }

  /** The open bucket absorbs its own bucket; a later one closes (writes) it; an older one is merged into its stored row. */
  private mergeIntoOpen(level: RollupLevel, table: TableDef, incoming: OpenBucket, open: Map<string, OpenBucket>): void {
    const key = openKey(level, table);
    const current = open.get(key);
    if (!current) {
      open.set(key, incoming);
    } else if (incoming.bucketMs === current.bucketMs) {
      open.set(key, { bucketMs: current.bucketMs, summary: mergeSummaries(current.summary, incoming.summary) });
    } else if (incoming.bucketMs > current.bucketMs) {
      this.rollupStatement(level, table).run(summaryParams(current.bucketMs, current.summary));
      open.set(key, incoming);
    } else {
      this.rollupStatement(level, table).run(summaryParams(incoming.bucketMs, incoming.summary));
    }
  }

  /** Write every open bucket (at close); returns the state without open buckets. */
  writeOpenBuckets(state: WriterState): WriterState {
    this.db.transaction(() => {
      for (const table of TABLES) {
        for (const level of ROLLUP_LEVELS) {
          const open = state.openBuckets.get(openKey(level, table));
          if (open) this.rollupStatement(level, table).run(summaryParams(open.bucketMs, open.summary));
        }
      }
    })();
    return { ...state, openBuckets: new Map() };
  }

  /** Recompute the newest bucket of every level from the level below: what a crash may have left unwritten. */
  rebuildNewestBuckets(): void {
    this.db.transaction(() => {
      for (const table of TABLES) {
        if (table.rollupColumns.length === 0) continue;
        for (const { level, newest, rebuild } of prepareRebuild(this.db, table)) {
          const found = (newest.get() as { newest: number | null }).newest;
          if (found === null) break;
          const bucketMs = Math.floor(found / LEVEL_MS[level]) * LEVEL_MS[level];
          rebuild.run(bucketMs, bucketMs, bucketMs + LEVEL_MS[level]);
        }
      }
    })();
  }

  private writeRow(part: TablePart, tsMs: number, extra: string | null): void {
    const columns = part.values.map((v) => v.location.column.column);
    if (extra !== null) columns.push('extra');
    const key = `${part.table.name}|${columns.join(',')}`;
    let statement = this.rowStatements.get(key);
    if (!statement) {
      const updates = columns.length > 0 ? `DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'DO NOTHING';
      statement = this.db.prepare(
        `INSERT INTO ${part.table.name} (ts_ms${columns.map((c) => `, ${c}`).join('')}) VALUES (?${', ?'.repeat(columns.length)}) ON CONFLICT (ts_ms) ${updates}`,
      );
      this.rowStatements.set(key, statement);
    }
    const params: Param[] = [tsMs, ...part.values.map((v) => toParam(v.value))];
    if (extra !== null) params.push(extra);
    statement.run(params);
  }

  private addToRollup(part: TablePart, tsMs: number, rollup: BatchRollup): void {
    const indexes = this.columnIndex.get(part.table);
    for (const { location, value } of part.values) {
      if (value === null) continue;
      const index = indexes?.get(location.column.column);
      if (index === undefined) continue;
      rollup.add(part.table, index, tsMs, typeof value === 'boolean' ? (value ? 1 : 0) : (value as number));
    }
  }

  /** Change tables get a row only when a value (or the JSON of values outside the catalogue) differs. */
  private writeIfChanged(part: TablePart, tsMs: number, source: string, extra: string | null, next: WriterState): void {
    const previous = next.changeRows.get(part.table.name);
    const changed =
      !previous ||
      (extra !== null && extra !== previous.extras.get(source)) ||
      part.values.some(({ location, value }) => !previous.values.has(location.column.column) || previous.values.get(location.column.column) !== value);
    if (!changed) return;
    this.writeRow(part, tsMs, extra);
    const values = new Map(previous?.values);
    for (const { location, value } of part.values) values.set(location.column.column, value);
    const extras = new Map(previous?.extras);
    if (extra !== null) extras.set(source, extra);
    next.changeRows.set(part.table.name, { values, extras });
  }

  private recordChange(series: string, tsMs: number, value: FieldValue, next: WriterState): void {
    if (next.lastChange.has(series) && next.lastChange.get(series) === value) return;
    this.insertChange.run(series, tsMs, value === null ? null : String(value));
    next.lastChange.set(series, value);
  }

  private integrate(checked: CheckedSample, energy: HourlyEnergy, next: WriterState): void {
    if (checked.sample.device !== 'inverter' && checked.sample.device !== 'meter') return;
    for (const power of POWER_SERIES) {
      const [device, field] = power.series.split('.') as [string, string];
      if (device !== checked.sample.device) continue;
      const value = checked.sample.values[field];
      if (typeof value !== 'number') continue;
      const point = { tsMs: checked.sample.tsMs, powerW: value };
      const previous = next.lastPower.get(power.series);
      if (previous && point.tsMs <= previous.tsMs) continue; // late or repeated: never integrate backwards
      if (previous) integrateStep(previous, point, power, { gapMs: this.options.energyGapMs, hourStart: (t) => this.options.zone.startOf('hour', t) }, energy);
      next.lastPower.set(power.series, point);
    }
  }

  private rollupStatement(level: RollupLevel, table: TableDef): Database.Statement {
    const statement = this.rollupStatements.get(rollupTableName(level, table));
    if (!statement) throw new Error(`no rollup table for ${table.name}`);
    return statement;
  }
}
