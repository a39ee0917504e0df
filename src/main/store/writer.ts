/**
 * Commits one batch: raw rows, rollups, hourly energy, enum changes and the outbox, all in one transaction.
 * The writer owns the in-memory state (latest values, last power samples, last stored settings); what a batch
 * changes in it is kept aside while the transaction runs and applied only once it has committed, so a failed
 * commit leaves both the file and the memory as they were.
 *
 * The daemon runs V8's interpreter only, where every object and iterator step costs: a commit copies no state,
 * reuses its prepared statements, parameter arrays and rollup buckets, and loops by index.
 */
import type Database from 'better-sqlite3';
import { putLatest, type DeviceKind, type FieldValue, type LatestValue, type Sample } from '../../shared/samples.js';
import type { EnergyBuffer } from './energy-buffer.js';
import { POWER_SERIES, integrateStep, type HourlyEnergy, type IntegratorOptions, type PowerPoint } from './energy-integrator.js';
import { BatchRollup, type Rollups } from './rollup.js';
import type { CheckedSample, TableColumns, TablePart } from './sample-input.js';
import type { SeriesLocation } from './tables.js';
import type { ZoneClock } from './zone.js';

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
}

export interface WriterOptions {
  outbox: boolean;
  energyGapMs: number;
  zone: ZoneClock;
}

type Param = number | string | null;
const toParam = (value: FieldValue): Param => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

/** A prepared insert of one table's column set and the parameter array it is run with, refilled for every row. */
interface RowInsert {
  statement: Database.Statement;
  params: Param[];
}

/** The power series with the device and field they come from (split once here, not per sample). */
const POWER_FIELDS = POWER_SERIES.map((power) => {
  const [device, field] = power.series.split('.') as [DeviceKind, string];
  return { power, device, field };
});

const byTime = (a: CheckedSample, b: CheckedSample): number => a.sample.tsMs - b.sample.tsMs;

/** Changes a batch makes to one map of the state: the batch sees them at once, the map once it committed. */
class Uncommitted<K, V> {
  private readonly changed = new Map<K, V>();

  constructor(private readonly committed: Map<K, V>) {}

  has(key: K): boolean {
    return this.changed.has(key) || this.committed.has(key);
  }

  get(key: K): V | undefined {
    return this.changed.has(key) ? this.changed.get(key) : this.committed.get(key);
  }

  set(key: K, value: V): void {
    this.changed.set(key, value);
  }

  apply(): void {
    if (this.changed.size === 0) return; // clear() allocates a new table even when empty
    this.changed.forEach((value, key) => this.committed.set(key, value));
    this.changed.clear();
  }

  discard(): void {
    if (this.changed.size > 0) this.changed.clear();
  }
}

export class BatchWriter {
  /** Per column set: the insert without and with the `extra` column. */
  private readonly inserts = new Map<TableColumns, RowInsert>();
  private readonly insertsWithExtra = new Map<TableColumns, RowInsert>();
  private readonly insertChange: Database.Statement;
  private readonly insertOutbox: Database.Statement;
  private readonly integration: IntegratorOptions;
  private readonly rollup = new BatchRollup();
  private readonly lastPower: Uncommitted<string, PowerPoint>;
  private readonly changeRows: Uncommitted<string, ChangeRow>;
  private readonly lastChange: Uncommitted<string, FieldValue>;
  /** Created once: better-sqlite3 builds several functions for every db.transaction() call. */
  private readonly writeBatch: (ordered: readonly CheckedSample[], energy: HourlyEnergy) => number;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WriterOptions,
    private readonly rollups: Rollups,
    private readonly energyBuffer: EnergyBuffer,
    private readonly state: WriterState,
  ) {
    this.insertChange = db.prepare('INSERT OR REPLACE INTO series_changes (series, ts_ms, value) VALUES (?, ?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (device, source, ts_ms, sample_values) VALUES (?, ?, ?, ?)');
    this.integration = { gapMs: options.energyGapMs, hourStart: (t) => options.zone.startOf('hour', t) };
    this.lastPower = new Uncommitted(state.lastPower);
    this.changeRows = new Uncommitted(state.changeRows);
    this.lastChange = new Uncommitted(state.lastChange);
    this.writeBatch = db.transaction((ordered: readonly CheckedSample[], energy: HourlyEnergy) => {
      for (let i = 0; i < ordered.length; i++) this.writeSample(ordered[i] as CheckedSample, energy);
      this.rollups.writeLate(this.rollup);
      this.energyBuffer.writeLate(energy);
      return this.options.outbox ? ordered.length : 0;
    });
  }

  /** Write the batch in one transaction; returns the outbox rows added, or throws with nothing written or remembered. */
  commit(batch: readonly CheckedSample[]): number {
    const ordered = [...batch].sort(byTime);
    const energy: HourlyEnergy = new Map();
    this.rollup.clear();
    let outboxRows: number;
    try {
      outboxRows = this.writeBatch(ordered, energy);
    } catch (err) {
      this.lastPower.discard();
      this.changeRows.discard();
      this.lastChange.discard();
      throw err;
    }
    this.lastPower.apply();
    this.changeRows.apply();
    this.lastChange.apply();
    for (let i = 0; i < ordered.length; i++) this.updateLatest(ordered[i] as CheckedSample);
    const newestMs = ordered[ordered.length - 1]?.sample.tsMs ?? Number.NEGATIVE_INFINITY;
    this.rollups.absorb(this.rollup, newestMs);
    this.energyBuffer.absorb(energy, newestMs);
    return outboxRows;
  }

  /** A copy: the writer updates its entries in place. */
  latest(): Record<string, LatestValue> {
    const out: Record<string, LatestValue> = {};
    this.state.latest.forEach(({ value, tsMs }, series) => {
      out[series] = { value, tsMs };
    });
    return out;
  }

  private writeSample(checked: CheckedSample, energy: HourlyEnergy): void {
    const { sample, parts, values } = checked;
    const { tsMs } = sample; // read once: each read of a large number from an object allocates in the interpreter
    this.rollup.at(tsMs);
    let extraPlaced = false;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p] as TablePart;
      const { table } = part.columns;
      if (table.mode === 'perSample') {
        this.writeRow(part, values, tsMs, null);
        this.addToRollup(part, values);
      } else {
        const extra: string | null = table.keepExtra && !extraPlaced ? JSON.stringify(checked.extra) : null;
        extraPlaced ||= extra !== null;
        this.writeIfChanged(part, values, tsMs, sample.source, extra);
      }
      this.recordChanges(part, values, tsMs);
    }
    this.integrate(sample, tsMs, energy);
    if (this.options.outbox) this.insertOutbox.run(sample.device, sample.source, tsMs, JSON.stringify(sample.values));
  }

  private writeRow(part: TablePart, values: readonly FieldValue[], tsMs: number, extra: string | null): void {
    const count = part.columns.locations.length;
    const { statement, params } = this.insertFor(part.columns, extra !== null);
    params[0] = tsMs;
    for (let i = 0; i < count; i++) params[i + 1] = toParam(values[part.start + i] as FieldValue);
    if (extra !== null) params[count + 1] = extra;
    statement.run(params);
  }

  private insertFor(columns: TableColumns, withExtra: boolean): RowInsert {
    const inserts = withExtra ? this.insertsWithExtra : this.inserts;
    let insert = inserts.get(columns);
    if (!insert) {
      const names = columns.locations.map((l) => l.column.column);
      if (withExtra) names.push('extra');
      const updates = names.length > 0 ? `DO UPDATE SET ${names.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'DO NOTHING';
      const statement = this.db.prepare(
        `INSERT INTO ${columns.table.name} (ts_ms${names.map((c) => `, ${c}`).join('')}) VALUES (?${', ?'.repeat(names.length)}) ON CONFLICT (ts_ms) ${updates}`,
      );
      insert = { statement, params: new Array<Param>(names.length + 1).fill(null) };
      inserts.set(columns, insert);
    }
    return insert;
  }

  private addToRollup(part: TablePart, values: readonly FieldValue[]): void {
    const { locations } = part.columns;
    for (let i = 0; i < locations.length; i++) {
      const value = values[part.start + i] as FieldValue;
      if (value === null) continue;
      const id = this.rollups.ids.get((locations[i] as SeriesLocation).column.series);
      if (id === undefined) continue;
      this.rollup.add(id, typeof value === 'boolean' ? (value ? 1 : 0) : (value as number));
    }
  }

  /** Change tables get a row only when a value (or the JSON of values outside the catalogue) differs. */
  private writeIfChanged(part: TablePart, values: readonly FieldValue[], tsMs: number, source: string, extra: string | null): void {
    const { table, locations } = part.columns;
    const previous = this.changeRows.get(table.name);
    const changed = !previous || (extra !== null && extra !== previous.extras.get(source)) || differs(part, values, previous);
    if (!changed) return;
    this.writeRow(part, values, tsMs, extra);
    // A new row object: the committed one stays as it is until the batch has committed.
    const row: ChangeRow = { values: new Map(previous?.values), extras: new Map(previous?.extras) };
    for (let i = 0; i < locations.length; i++) row.values.set((locations[i] as SeriesLocation).column.column, values[part.start + i] as FieldValue);
    if (extra !== null) row.extras.set(source, extra);
    this.changeRows.set(table.name, row);
  }

  /** Enum and text series also go to series_changes, when their value differs from the last one there. */
  private recordChanges(part: TablePart, values: readonly FieldValue[], tsMs: number): void {
    const { locations } = part.columns;
    for (let i = 0; i < locations.length; i++) {
      const { column } = locations[i] as SeriesLocation;
      if (column.kind !== 'enum' && column.kind !== 'text') continue;
      const value = values[part.start + i] as FieldValue;
      if (this.lastChange.has(column.series) && this.lastChange.get(column.series) === value) continue;
      this.insertChange.run(column.series, tsMs, value === null ? null : String(value));
      this.lastChange.set(column.series, value);
    }
  }

  private integrate(sample: Sample, tsMs: number, energy: HourlyEnergy): void {
    if (sample.device !== 'inverter' && sample.device !== 'meter') return;
    for (let i = 0; i < POWER_FIELDS.length; i++) {
      const { power, device, field } = POWER_FIELDS[i] as (typeof POWER_FIELDS)[number];
      if (device !== sample.device) continue;
      const value = sample.values[field];
      if (typeof value !== 'number') continue;
      const point = { tsMs, powerW: value };
      const previous = this.lastPower.get(power.series);
      if (previous && point.tsMs <= previous.tsMs) continue; // late or repeated: never integrate backwards
      if (previous) integrateStep(previous, point, power, this.integration, energy);
      this.lastPower.set(power.series, point);
    }
  }

  /** After the commit, in the batch's time order, so each series ends with its newest value. */
  private updateLatest(checked: CheckedSample): void {
    const { parts, values } = checked;
    const { tsMs } = checked.sample;
    for (let p = 0; p < parts.length; p++) {
      const { columns, start } = parts[p] as TablePart;
      for (let i = 0; i < columns.locations.length; i++) {
        putLatest(this.state.latest, (columns.locations[i] as SeriesLocation).column.series, values[start + i] as FieldValue, tsMs);
      }
    }
  }
}

function differs(part: TablePart, values: readonly FieldValue[], previous: ChangeRow): boolean {
  const { locations } = part.columns;
  for (let i = 0; i < locations.length; i++) {
    const column = (locations[i] as SeriesLocation).column.column;
    if (!previous.values.has(column) || previous.values.get(column) !== values[part.start + i]) return true;
  }
  return false;
}
