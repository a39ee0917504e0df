/**
 * Samples from a CSV file for `voltmon backtest --samples`: a header `tsMs,<series>,…` (series named
 * `device.field` as in protocols.md, arrays indexed: `bms.cellVoltagesV[0]`), one row per instant. An
 * empty cell means no new value; enumerations may be names (`sbu`) or the device's codes (`2`).
 * Every problem is reported with its line and column; nothing is guessed.
 */
import type { DeviceKind, FieldValue, Sample } from '../../shared/samples.js';
import { parseSeriesName } from '../../shared/samples.js';
import { CHARGER_SOURCE_PRIORITIES, OUTPUT_SOURCE_PRIORITIES, seriesInfo } from '../../shared/series.js';

export class CsvSampleError extends Error {
  override readonly name = 'CsvSampleError';
}

interface Column {
  device: DeviceKind;
  field: string;
  series: string;
  kind: 'number' | 'boolean' | 'enum' | 'text';
  names?: readonly string[];
}

/** Enumerations whose device codes are known (index = code). */
const ENUM_CODES: Record<string, readonly string[]> = {
  'inverter.outputSourcePriority': OUTPUT_SOURCE_PRIORITIES,
  'inverter.chargerSourcePriority': CHARGER_SOURCE_PRIORITIES,
  'bms.state': ['idle', 'charging', 'discharging'],
};

/** Only the numeric series of the catalogue would be numbers; an unknown series is read by its look. */
function columnOf(name: string, columnNumber: number): Column {
  const parsed = parseSeriesName(name);
  if (!parsed) throw new CsvSampleError(`header, column ${columnNumber}: '${name}' is not a series name (device.field, e.g. inverter.batteryVoltageV)`);
  const info = seriesInfo(name);
  const kind = info?.kind ?? 'text';
  return { ...parsed, series: name, kind, names: ENUM_CODES[name] };
}

function cellValue(text: string, column: Column, where: string): FieldValue {
  switch (column.kind) {
    case 'number': {
      const v = Number(text);
      if (!Number.isFinite(v)) throw new CsvSampleError(`${where}: '${text}' is not a number`);
      return v;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw new CsvSampleError(`${where}: '${text}' is not true/false (or 1/0)`);
    }
    case 'enum': {
      if (!column.names) return text;
      if (/^\d+$/.test(text)) {
        const name = column.names[Number(text)];
        if (name === undefined) throw new CsvSampleError(`${where}: code ${text} is not one of 0-${column.names.length - 1}`);
        return name;
      }
      if (!column.names.includes(text)) throw new CsvSampleError(`${where}: '${text}' is not one of ${column.names.join(', ')}`);
      return text;
    }
    default: {
      // A series outside the catalogue: a number if it reads as one, a boolean if it says so, else text.
      if (text !== '' && Number.isFinite(Number(text))) return Number(text);
      if (text === 'true' || text === 'false') return text === 'true';
      return text;
    }
  }
}

const splitRow = (line: string): string[] => line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));

/**
 * Turns the lines of a CSV file into samples, one per device per row, in time order. Throws
 * CsvSampleError naming the line for a bad header, a bad cell or a time that goes backwards.
 */
export async function* csvSamples(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<Sample> {
  let columns: Column[] | null = null;
  let lineNumber = 0;
  let lastTsMs = -Infinity;
  for await (const raw of lines) {
    lineNumber += 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const cells = splitRow(line);
    if (!columns) {
      if (cells[0] !== 'tsMs') throw new CsvSampleError(`line ${lineNumber}: the header must start with tsMs, found '${cells[0] ?? ''}'`);
      const names = cells.slice(1);
      const seen = new Set<string>();
      columns = names.map((name, i) => {
        if (seen.has(name)) throw new CsvSampleError(`header: series '${name}' appears twice`);
        seen.add(name);
        return columnOf(name, i + 2);
      });
      continue;
    }
    if (cells.length > columns.length + 1) throw new CsvSampleError(`line ${lineNumber}: ${cells.length} cells but the header names ${columns.length + 1}`);
    const tsText = cells[0] ?? '';
    const tsMs = Number(tsText);
    if (!/^\d+$/.test(tsText) || !Number.isSafeInteger(tsMs)) throw new CsvSampleError(`line ${lineNumber}, tsMs: '${tsText}' is not a UTC time in milliseconds`);
    if (tsMs < lastTsMs) throw new CsvSampleError(`line ${lineNumber}: tsMs ${tsMs} is earlier than the row before (${lastTsMs}); rows must be in time order`);
    lastTsMs = tsMs;
    const byDevice = new Map<DeviceKind, Record<string, FieldValue>>();
    columns.forEach((column, i) => {
      const text = cells[i + 1] ?? '';
      if (text === '') return;
      const values = byDevice.get(column.device) ?? {};
      values[column.field] = cellValue(text, column, `line ${lineNumber}, ${column.series}`);
      byDevice.set(column.device, values);
    });
    for (const [device, values] of byDevice) yield { device, tsMs, source: 'csv', values };
  }
  if (!columns) throw new CsvSampleError('the file is empty: expected a header starting with tsMs');
}
