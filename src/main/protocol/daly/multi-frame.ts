/**
 * 0x95 (cell voltages, 3 per frame) and 0x96 (temperatures, 7 per frame): the reply is several frames,
 * each with its number in data byte 0. Captures number from 1; the document says 0, so a reply whose
 * first frame is 0 is read 0-based.
 */
import { fail, ok, type Result } from '../../../shared/result.js';
import { DALY_FRAME_LENGTH, hex, readDalyFrameAt, type DalyFrame } from './frame.js';

/** Frame number the BMS uses for "invalid". */
const INVALID_FRAME_NUMBER = 0xff;

export interface FrameChecks {
  dataId: number;
  /** Address the BMS answers with; null accepts any. */
  bmsAddress: number | null;
}

export interface NumberedFrames {
  address: number;
  frames: DalyFrame[];
  /** Frames after the needed ones that were complete and valid (counted, not read). */
  extraFrames: DalyFrame[];
}

export function checkIdentity(frame: DalyFrame, checks: FrameChecks, index: number): Result<DalyFrame> {
  const where = index === 0 ? '' : ` (frame ${index + 1})`;
  if (frame.dataId !== checks.dataId) {
    return fail('unexpectedDataId', `reply carries data id ${hex(frame.dataId)} where ${hex(checks.dataId)} was requested${where}`);
  }
  if (checks.bmsAddress !== null && frame.address !== checks.bmsAddress) {
    return fail('unexpectedAddress', `frame from address ${hex(frame.address)}, the BMS answers as ${hex(checks.bmsAddress)}${where}`);
  }
  return ok(frame);
}

/**
 * Reads consecutively numbered frames. With `needed`, exactly that many must arrive and the rest is
 * only counted; without it, every byte must belong to a complete, valid frame.
 */
export function collectNumberedFrames(bytes: Uint8Array, checks: FrameChecks, needed?: number): Result<NumberedFrames> {
  const frames: DalyFrame[] = [];
  let offset = 0;
  let base = 1;
  while (needed === undefined ? offset < bytes.length || frames.length === 0 : frames.length < needed) {
    if (offset >= bytes.length) {
      return fail('truncated', `${frames.length} of the ${needed ?? 1} frames of the ${hex(checks.dataId)} reply arrived`);
    }
    const read = readDalyFrameAt(bytes, offset);
    if (!read.ok) return fail(read.error.code, `frame ${frames.length + 1}: ${read.error.message}`);
    const checked = checkIdentity(read.value, checks, frames.length);
    if (!checked.ok) return checked;
    const number = read.value.data[0] ?? 0;
    if (number === INVALID_FRAME_NUMBER) return fail('implausible', `frame ${frames.length + 1} is numbered 0xFF (invalid)`);
    if (frames.length === 0 && number === 0) base = 0;
    const single = needed === undefined && frames.length === 0 && bytes.length === DALY_FRAME_LENGTH;
    if (!single && number !== base + frames.length) {
      return fail('missingFrame', `expected frame ${base + frames.length}, got frame ${number}: a frame was lost`);
    }
    frames.push(read.value);
    offset += DALY_FRAME_LENGTH;
  }
  const extraFrames: DalyFrame[] = [];
  while (needed !== undefined && offset + DALY_FRAME_LENGTH <= bytes.length) {
    const read = readDalyFrameAt(bytes, offset);
    if (!read.ok || !checkIdentity(read.value, checks, 1).ok) break;
    extraFrames.push(read.value);
    offset += DALY_FRAME_LENGTH;
  }
  return ok({ address: frames[0]?.address ?? 0, frames, extraFrames });
}

const frameNumber = (frame: DalyFrame): number => frame.data[0] ?? 0;

function values(frames: DalyFrame[], perFrame: number, read: (data: Uint8Array, i: number) => number): number[] {
  return frames.flatMap((frame) => Array.from({ length: perFrame }, (_, i) => read(frame.data, i)));
}

const cellVoltage = (d: Uint8Array, i: number): number => (((d[1 + 2 * i] ?? 0) << 8) | (d[2 + 2 * i] ?? 0)) / 1000;
const temperature = (d: Uint8Array, i: number): number => (d[1 + i] ?? 0) - 40;

export const MAX_CELLS = 48;
export const MAX_TEMPERATURE_SENSORS = 7 * 16;

function checkCount(name: string, count: number | undefined, max: number): Result<number | undefined> {
  if (count === undefined) return ok(undefined);
  if (!Number.isInteger(count) || count < 1 || count > max) return fail('badArgument', `${name} ${count} is outside 1-${max}`);
  return ok(count);
}

/**
 * 0x95. With `cellCount`: the first cellCount voltages of frames 1..ceil(cellCount/3). Without it, one
 * frame decodes as its own three values (with `frameNumber`); several frames as all their values.
 */
export function decodeCellVoltages(bytes: Uint8Array, checks: FrameChecks, cellCount?: number): Result<Record<string, unknown>> {
  const count = checkCount('cellCount', cellCount, MAX_CELLS);
  if (!count.ok) return count;
  const collected = collectNumberedFrames(bytes, checks, count.value === undefined ? undefined : Math.ceil(count.value / 3));
  if (!collected.ok) return collected;
  const { address, frames, extraFrames } = collected.value;
  const all = values(frames, 3, cellVoltage);
  if (count.value === undefined && frames.length === 1 && frames[0]) {
    return ok({ address, frameNumber: frameNumber(frames[0]), cellVoltagesV: all });
  }
  const cellVoltagesV = count.value === undefined ? all : all.slice(0, count.value);
  if (count.value !== undefined && cellVoltagesV.every((v) => v === 0)) {
    return fail('implausible', 'every cell reads 0 V (BMS asleep)');
  }
  const received = [...frames, ...extraFrames];
  return ok({ address, frameCount: received.length, frameNumbers: received.map(frameNumber), cellVoltagesV });
}

/** 0x96. With `temperatureSensorCount`: that many values from the frames that carry them; without it, all slots. */
export function decodeTemperatures(bytes: Uint8Array, checks: FrameChecks, sensorCount?: number): Result<Record<string, unknown>> {
  const count = checkCount('temperatureSensorCount', sensorCount, MAX_TEMPERATURE_SENSORS);
  if (!count.ok) return count;
  const collected = collectNumberedFrames(bytes, checks, count.value === undefined ? undefined : Math.ceil(count.value / 7));
  if (!collected.ok) return collected;
  const { address, frames, extraFrames } = collected.value;
  const all = values(frames, 7, temperature);
  const temperaturesC = count.value === undefined ? all : all.slice(0, count.value);
  // Raw 0 (-40 °C) is what an unused slot or a sleeping BMS reports.
  if (count.value !== undefined && temperaturesC.every((t) => t === -40)) {
    return fail('implausible', 'every sensor reads raw 0 (-40 °C): BMS asleep');
  }
  const received = [...frames, ...extraFrames];
  return ok({ address, frameCount: received.length, frameNumbers: received.map(frameNumber), temperaturesC });
}
