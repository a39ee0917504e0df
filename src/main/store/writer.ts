/**
 * Commits one batch: raw rows, rollups, hourly energy, enum changes and the outbox, all in one
 * transaction. The in-memory state (latest values, last power samples, last stored settings) is worked on
 * as a copy and only replaces the current one once the transaction has committed, so a failed commit
 * leaves both the file and the memory as they were.
 */
import type Database from 'better-sqlite3';
import type { FieldValue } from '../../shared/samples.js';
import type { EnergyBuffer } from './energy-buffer.js';
import { POWER_SERIES, integrateStep, type HourlyEnergy, type PowerPoint } from './energy-integrator.js';
import { RollupBuckets, type Rollups } from './rollup.js';
import type { CheckedSample, TablePart } from './sample-input.js';
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
}

export interface WriterOptions {
  outbox: boolean;
  energyGapMs: number;
  zone: ZoneClock;
}

type Param = number | string | null;
const toParam = (value: FieldValue): Param => (typeof value === 'boolean' ? (value ? 1 : 0) : value);


export class BatchWriter {
  private readonly rowStatements = new Map<string, Database.Statement>();
  private readonly insertChange: Database.Statement;
  private readonly insertOutbox: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly options: WriterOptions,
    private readonly rollups: Rollups,
    private readonly energyBuffer: EnergyBuffer,
  ) {
    this.insertChange = db.prepare('INSERT OR REPLACE INTO series_changes (series, ts_ms, value) VALUES (?, ?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (device, source, ts_ms, sample_values) VALUES (?, ?, ?, ?)');
  }

  /** Write the batch in one transaction; returns the state after it, or throws with nothing written. */
  commit(batch: readonly CheckedSample[], state: WriterState): { state: WriterState; outboxRows: number } {
    const next: WriterState = {
      latest: new Map(state.latest),
      lastPower: new Map(state.lastPower),
      changeRows: new Map(state.changeRows),
      lastChange: new Map(state.lastChange),
    };
    const ordered = [...batch].sort((a, b) => a.sample.tsMs - b.sample.tsMs);
    let outboxRows = 0;
    const rest = this.db.transaction(() => {
      const rollup = new RollupBuckets();
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
      return { rollups: this.rollups.writeLate(rollup), energy: this.energyBuffer.writeLate(energy) };
    })();
    const newestMs = ordered[ordered.length - 1]?.sample.tsMs ?? Number.NEGATIVE_INFINITY;
    this.rollups.absorb(rest.rollups, newestMs);
    this.energyBuffer.absorb(rest.energy, newestMs);
    return { state: next, outboxRows };
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

  private addToRollup(part: TablePart, tsMs: number, rollup: RollupBuckets): void {
    for (const { location, value } of part.values) {
      if (value === null) continue;
      const id = this.rollups.ids.get(location.column.series);
      if (id === undefined) continue;
      rollup.add(id, tsMs, typeof value === 'boolean' ? (value ? 1 : 0) : (value as number));
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
}
