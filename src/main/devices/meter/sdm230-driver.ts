/**
 * The Eastron SDM230 over Modbus RTU: each poll reads the instantaneous values (voltage … phase angle)
 * and the frequency and energy registers in two requests, and emits them as one `sdm230` sample.
 */
import type { FieldValue } from '../../../shared/samples.js';
import { checkPlausibility, type PlausibilityRule } from '../core/plausibility.js';
import { nextSlot } from '../core/poll-schedule.js';
import { PolledDriver, type PolledDriverOptions } from '../core/polled-driver.js';
import { DEFAULT_METER_RULES } from './meter-plausibility.js';
import { readInputRegistersExchange } from './modbus-exchange.js';

export interface RegisterBlock {
  start: number;
  count: number;
}

/**
 * 0x0000-0x0025: voltage, current, active/apparent/reactive power, power factor, phase angle (38
 * registers); 0x0046-0x004F: frequency and the four energy totals (10). One request across the gap
 * would read 32 registers nobody uses, and not every meter answers reads of unmapped addresses.
 */
export const DEFAULT_SDM230_BLOCKS: readonly RegisterBlock[] = [
  { start: 0x0000, count: 0x26 },
  { start: 0x0046, count: 0x0a },
];

export interface Sdm230DriverOptions extends PolledDriverOptions {
  slaveId?: number;
  pollMs?: number;
  blocks?: readonly RegisterBlock[];
}

export class Sdm230Driver extends PolledDriver {
  readonly kind = 'meter' as const;
  readonly description: string;
  private readonly slaveId: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly blocks: readonly RegisterBlock[];
  private readonly rules: readonly PlausibilityRule[];

  constructor(options: Sdm230DriverOptions) {
    super('meter', options);
    this.slaveId = options.slaveId ?? 1;
    if (!Number.isInteger(this.slaveId) || this.slaveId < 1 || this.slaveId > 247) throw new RangeError(`Modbus slave id ${this.slaveId} is outside 1-247`);
    this.description = `meter (SDM230 Modbus id ${this.slaveId}) on ${options.transport.description}`;
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.replyTimeoutMs ?? 1000;
    this.retries = options.retries ?? 1;
    this.blocks = options.blocks ?? DEFAULT_SDM230_BLOCKS;
    this.rules = options.plausibility ?? DEFAULT_METER_RULES;
  }

  protected onOpen(): void {
    // Nothing learnt on a connection to forget: every poll reads the same registers.
  }

  protected async tick(): Promise<number> {
    const started = this.runtime.now();
    const values: Record<string, FieldValue> = {};
    let asked = 0;
    for (const block of this.blocks) {
      if (!this.runtime.transport.isOpen || (asked > 0 && !this.runtime.responsive)) break;
      asked++;
      const result = await this.runtime.exchange(
        readInputRegistersExchange({ slaveId: this.slaveId, start: block.start, count: block.count, timeoutMs: this.timeoutMs, retries: this.retries }),
      );
      if (result.ok) Object.assign(values, result.value.fields);
    }
    if (Object.keys(values).length > 0) {
      const violations = checkPlausibility(values, this.rules);
      if (violations.length > 0) this.runtime.recordImplausible('sdm230', violations.map((v) => v.message).join('; '));
      // Stamped with the cycle's start, like every polled device: one cycle, one instant.
      else this.runtime.emitSample('sdm230', values, started);
    }
    // On the grid of whole poll intervals, with the other devices (poll-schedule.ts).
    return nextSlot(started, this.pollMs);
  }
}
