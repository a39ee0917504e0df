/**
 * The Daly smart BMS over its UART/RS-485 "A5" protocol: a poll plan reads the live values (0x90, 0x93)
 * every `pollMs`, the cells (0x91, 0x95) every `cellsPollMs` and the slow tables (0x92, 0x94, 0x96-0x98)
 * every `statusPollMs`; 0x94 (cell and sensor counts, needed to read 0x95/0x96) first. A sleeping BMS is silent or answers zeros; both
 * are counted, never emitted, and the BMS goes offline and comes back online by itself when it wakes.
 * Zeros of 0x97/0x98 are ordinary values ("no cell balancing", "no alarm"), so they cannot tell a sleeping
 * BMS: they are dropped while the tables that can tell say the BMS answers zeros, and never used as a probe.
 */
import { fail, type Result } from '../../../shared/result.js';
import type { FieldValue } from '../../../shared/samples.js';
import { DALY_DATA_LENGTH, DalyFrameAssembler, encodeDalyRequest, encodeSetChargeMos, type DalyDecodeOptions } from '../../protocol/daly/index.js';
import { describeFailure } from '../core/device-runtime.js';
import { checkPlausibility, type PlausibilityRule } from '../core/plausibility.js';
import { PollSchedule, type PollEntry } from '../core/poll-schedule.js';
import { PolledDriver, type PolledDriverOptions } from '../core/polled-driver.js';
import { toSampleValues } from '../core/sample-values.js';
import { dalyExchange, dalyLabel } from './daly-exchange.js';

export const DEFAULT_BMS_DATA_IDS: readonly number[] = [0x94, 0x90, 0x91, 0x92, 0x93, 0x95, 0x96, 0x97, 0x98];
/** Pack voltage, current, SOC (0x90) and MOS state, remaining Ah (0x93): what moves every second. */
const LIVE_DATA_IDS = [0x90, 0x93];
/** Cell extremes (0x91) and every cell voltage (0x95): they change slowly and 0x95 is several frames. */
const CELL_DATA_IDS = [0x91, 0x95];

/**
 * Cell limits of the original installation's filter (2-4 V). Temperatures get a wide sanity range
 * instead of its 5-60 °C: a pack below 5 °C is exactly what an operator must see, not a gap.
 */
export const DEFAULT_BMS_RULES: readonly PlausibilityRule[] = [
  { field: 'cellVoltagesV[*]', min: 2, max: 4 },
  { field: 'maxCellVoltageV', min: 2, max: 4 },
  { field: 'minCellVoltageV', min: 2, max: 4 },
  { field: 'temperaturesC[*]', min: -30, max: 90 },
];

/**
 * All-zero 0x93 data reads as "idle, both MOSFETs off, 0 Ah", which a sleeping BMS sends and a working
 * one never does (0x97/0x98 zeros, by contrast, are the normal "nothing to report").
 */
const MOS_STATUS_FIELDS = ['state', 'chargeMosOn', 'dischargeMosOn', 'bmsLifeCycles', 'remainingCapacityAh'];
/**
 * Tables whose all-zero reply no working BMS sends: the codec refuses zeros of 0x90-0x92 and 0x94-0x96,
 * this driver those of 0x93. Only they can tell that the BMS sleeps or woke up, so only they probe it.
 */
const SLEEP_TELLING_IDS: ReadonlySet<number> = new Set([0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96]);
/** Offset of the data bytes in a Daly frame (start flag, address, data id, length). */
const DATA_OFFSET = 4;

/** Lists the series catalogue keeps as text (`5,8`), not as one series per element. */
const LIST_FIELDS = ['balancingCells', 'activeAlarms'];

export interface BmsDriverOptions extends PolledDriverOptions {
  /** Host address byte: 0x80 on the UART adapter (default), 0x40 on RS-485. */
  address?: number;
  /** `positiveDischarging` for firmware that reports the current the other way round. */
  currentSign?: 'positiveCharging' | 'positiveDischarging';
  /** Interval of the live values, 0x90 and 0x93 (default 1 s). */
  pollMs?: number;
  /** Interval of the cell voltages, 0x91 and 0x95 (default 5 s). */
  cellsPollMs?: number;
  /** Interval of temperatures, counts, balancing and alarms, 0x92, 0x94, 0x96-0x98 (default 10 s). */
  statusPollMs?: number;
  dataIds?: readonly number[];
}

export type MosReply = { ok: true; chargeMosOn: boolean } | { ok: false; reason: 'offline' | 'timeout' | 'error' | 'notConfirmed'; message: string };

export class BmsDriver extends PolledDriver {
  readonly kind = 'bms' as const;
  readonly description: string;
  private readonly address: number;
  private readonly plan: PollEntry[];
  private schedule: PollSchedule | null = null;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly dataIds: readonly number[];
  private readonly rules: readonly PlausibilityRule[];
  private readonly invertCurrent: boolean;
  private counts: { cellCount: number; temperatureSensorCount: number } | null = null;
  /** Ids that may probe a silent or sleeping BMS: the sleep-telling ones of the plan (every id if it has none). */
  private readonly probeIds: ReadonlySet<number>;
  /** The last reply to a sleep-telling table was all zeros: the BMS sleeps until one of them reads valid again. */
  private answersZeros = false;

  constructor(options: BmsDriverOptions) {
    super('bms', options, new DalyFrameAssembler());
    this.address = options.address ?? 0x80;
    if (!Number.isInteger(this.address) || this.address < 0 || this.address > 0xff) throw new RangeError(`BMS address ${this.address} is not a byte`);
    this.description = `bms (Daly, host address 0x${this.address.toString(16)}) on ${options.transport.description}`;
    this.timeoutMs = options.replyTimeoutMs ?? 1000;
    this.retries = options.retries ?? 1;
    this.dataIds = options.dataIds ?? DEFAULT_BMS_DATA_IDS;
    const liveMs = options.pollMs ?? 1000;
    const cellsMs = options.cellsPollMs ?? 5000;
    const statusMs = options.statusPollMs ?? 10_000;
    const intervalOf = (id: number): number => (LIVE_DATA_IDS.includes(id) ? liveMs : CELL_DATA_IDS.includes(id) ? cellsMs : statusMs);
    // 0x95/0x96 cannot be read before 0x94 told how many cells and sensors there are.
    const order = this.dataIds.includes(0x94) ? [0x94, ...this.dataIds.filter((id) => id !== 0x94)] : [...this.dataIds];
    this.plan = order.map((id) => ({ name: String(id), intervalMs: intervalOf(id) }));
    const telling = order.filter((id) => SLEEP_TELLING_IDS.has(id));
    this.probeIds = new Set(telling.length > 0 ? telling : order);
    this.rules = options.plausibility ?? DEFAULT_BMS_RULES;
    this.invertCurrent = options.currentSign === 'positiveDischarging';
  }

  /** Cell and temperature sensor counts from the last 0x94 reply; null before the first. */
  packLayout(): { cellCount: number; temperatureSensorCount: number } | null {
    return this.counts ? { ...this.counts } : null;
  }

  /** Switch the charge MOSFET (0xDA) and confirm by reading 0x93 back. */
  async setChargeMos(on: boolean): Promise<MosReply> {
    if (!this.runtime.running || !this.runtime.transport.isOpen) return { ok: false, reason: 'offline', message: `${this.description}: not connected` };
    const request = encodeSetChargeMos(on, { address: this.address });
    if (!request.ok) return { ok: false, reason: 'error', message: request.error.message };
    const write = await this.runtime.exchange(
      dalyExchange({ request: request.value, dataId: 0xda, decode: this.decodeOptions(), timeoutMs: this.timeoutMs, retries: 0, priority: 'high' }),
    );
    if (!write.ok) {
      const reason = write.failure.kind === 'timeout' ? 'timeout' : write.failure.kind === 'offline' || write.failure.kind === 'stopped' ? 'offline' : 'error';
      return { ok: false, reason, message: `charge MOS ${on ? 'on' : 'off'}: ${describeFailure(write.failure)}` };
    }
    const status = await this.read(0x93, 'high');
    if (!status) return { ok: false, reason: 'notConfirmed', message: 'the BMS did not answer the 0x93 read-back' };
    const chargeMosOn = status.chargeMosOn === true;
    if (chargeMosOn !== on) return { ok: false, reason: 'notConfirmed', message: `0x93 reads the charge MOS ${chargeMosOn ? 'on' : 'off'} after switching it ${on ? 'on' : 'off'}` };
    return { ok: true, chargeMosOn };
  }

  private decodeOptions(): DalyDecodeOptions {
    // The legacy columns are for the CLI's decode; samples leave them out anyway.
    return { invertCurrent: this.invertCurrent, legacy: false, ...(this.counts ?? {}) };
  }

  protected onOpen(): void {
    this.counts = null;
    this.answersZeros = false;
    this.schedule = new PollSchedule(this.plan, this.runtime.now());
  }

  protected async tick(): Promise<number> {
    const schedule = this.schedule;
    if (!schedule) return this.runtime.now() + 1000;
    const started = this.runtime.now();
    // Without counts (a failed or missed 0x94) it is asked again before anything else. A 0x94 already due keeps
    // its slot: moving it to `started` would put it behind the other status tables for good, in turns of its own.
    if (!this.counts && !schedule.due(started).includes(String(0x94))) schedule.trigger(String(0x94), started);
    let asked = 0;
    for (const name of schedule.due(started)) {
      if (!this.runtime.transport.isOpen) break;
      const dataId = Number(name);
      // A silent or sleeping BMS is probed with one request per turn; the others skip their slot instead of each timing out.
      // The probe is a table whose zeros give a sleeping BMS away: a zero 0x97/0x98 would pass for "no balancing, no alarm".
      const probing = !this.runtime.responsive;
      const skip = (probing && (asked > 0 || !this.probeIds.has(dataId))) || ((dataId === 0x95 || dataId === 0x96) && !this.counts);
      if (!skip) {
        await this.read(dataId, 'normal', started);
        asked++;
      }
      schedule.done(name, this.runtime.now());
    }
    return schedule.nextDueMs() ?? this.runtime.now() + 1000;
  }

  /**
   * Read one data id and emit it stamped `tsMs`: the replies of one turn all carry its start, so the
   * store merges them into one row instead of several partial ones.
   */
  private async read(dataId: number, priority: 'high' | 'normal', tsMs?: number): Promise<Record<string, FieldValue> | null> {
    const exchange = dalyExchange({
      request: encodeDalyRequest(dataId, { address: this.address }),
      dataId,
      decode: this.decodeOptions(),
      timeoutMs: this.timeoutMs,
      retries: this.retries,
      priority,
    });
    let zeros = false;
    const result = await this.runtime.exchange({
      ...exchange,
      // Zeros are refused inside the exchange, as the codec's are: a failed request, so they count towards offline and never bring the link online.
      accept: (frame) => {
        const step = exchange.accept(frame);
        if (step.kind === 'more') return step;
        zeros = frame.subarray(DATA_OFFSET, DATA_OFFSET + DALY_DATA_LENGTH).every((b) => b === 0);
        return { kind: 'done', result: this.refuseSleepZeros(dataId, step.result, zeros) };
      },
    });
    if (SLEEP_TELLING_IDS.has(dataId)) {
      if (result.ok) this.answersZeros = false;
      else if (zeros && result.failure.kind === 'decode' && result.failure.error.code === 'implausible') this.answersZeros = true;
    }
    if (!result.ok) return null;
    const decoded = { ...result.value };
    for (const field of LIST_FIELDS) if (Array.isArray(decoded[field])) decoded[field] = (decoded[field] as unknown[]).join(',');
    const values = toSampleValues(decoded);
    const source = dalyLabel(dataId);
    const violations = checkPlausibility(values, this.rules);
    if (violations.length > 0) {
      this.runtime.recordImplausible(source, violations.map((v) => v.message).join('; '));
      return null;
    }
    if (dataId === 0x94 && typeof values.cellCount === 'number' && typeof values.temperatureSensorCount === 'number') {
      this.counts = { cellCount: values.cellCount, temperatureSensorCount: values.temperatureSensorCount };
    }
    this.runtime.emitSample(source, values, tsMs);
    return values;
  }

  /** The zeros of a sleeping BMS that the codec lets through: an all-zero 0x93, and all-zero 0x97/0x98 while the BMS answers zeros. */
  private refuseSleepZeros(dataId: number, result: Result<Record<string, unknown>>, zeros: boolean): Result<Record<string, unknown>> {
    if (!result.ok) return result;
    if (dataId === 0x93 && MOS_STATUS_FIELDS.every((field) => !result.value[field])) {
      return fail('implausible', '0x93 is all zeros (BMS asleep or refusing)');
    }
    if (zeros && this.answersZeros && !SLEEP_TELLING_IDS.has(dataId)) {
      return fail('implausible', `${dalyLabel(dataId)} is all zeros while the BMS answers zeros (asleep)`);
    }
    return result;
  }
}
