/**
 * The Voltronic/Axpert inverter over PI30: learns who it talks to (QPI, QID, QVFW, QMN), polls a plan
 * of queries, skips the ones this firmware refuses, drops implausible QPIGS readings, and carries
 * setting commands ahead of the polls with a QPIRI read-back right after.
 */
import type { FieldValue } from '../../../shared/samples.js';
import type { CommandReply, InverterCommandPort } from '../../control/ports.js';
import { Pi30FrameAssembler, type Pi30DecodeOptions } from '../../protocol/pi30/index.js';
import { describeFailure } from '../core/device-runtime.js';
import { checkPlausibility, type PlausibilityRule } from '../core/plausibility.js';
import { PolledDriver, type PolledDriverOptions } from '../core/polled-driver.js';
import { PollSchedule, type PollEntry } from '../core/poll-schedule.js';
import type { ExchangeResult } from '../core/request-queue.js';
import { toSampleValues } from '../core/sample-values.js';
import { checkSettingText, pi30Exchange } from './pi30-exchange.js';
import { derivedQpigsValues, qpigsCheckValues } from './qpigs-derived.js';
import { DEFAULT_QPIGS_RULES } from './qpigs-plausibility.js';

export const INVERTER_POLL_COMMANDS = ['QPIGS', 'QMOD', 'QPIWS', 'QPIRI', 'Q1'] as const;
export type InverterPollCommand = (typeof INVERTER_POLL_COMMANDS)[number];

/** Poll intervals in ms; 0 switches a command off. */
export const DEFAULT_INVERTER_POLL: Readonly<Record<InverterPollCommand, number>> = {
  QPIGS: 1000,
  QMOD: 5000,
  QPIWS: 5000,
  QPIRI: 60_000,
  Q1: 60_000,
};

export const DEFAULT_IDENTITY_COMMANDS = ['QPI', 'QID', 'QVFW', 'QMN'] as const;

export interface InverterIdentity {
  protocolId: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
  modelName: string | null;
}

export interface InverterDriverOptions extends PolledDriverOptions {
  poll?: Partial<Record<InverterPollCommand, number>>;
  /** Per attempt (default 2000); a QPIGS reply takes ~0.5 s at 2400 baud. */
  replyTimeoutMs?: number;
  identityCommands?: readonly string[];
  /** Replaces the default QPIGS rules (DEFAULT_QPIGS_RULES). */
  plausibility?: readonly PlausibilityRule[];
  decode?: Pi30DecodeOptions;
}

const IDENTITY_FIELDS: Readonly<Record<string, keyof InverterIdentity>> = {
  QPI: 'protocolId',
  QID: 'serialNumber',
  QVFW: 'firmwareVersion',
  QMN: 'modelName',
};

export class InverterDriver extends PolledDriver implements InverterCommandPort {
  readonly kind = 'inverter' as const;
  readonly description: string;
  private readonly intervals: Record<InverterPollCommand, number>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly rules: readonly PlausibilityRule[];
  private readonly identityCommands: readonly string[];
  private schedule: PollSchedule | null = null;
  private identityPending: string[] = [];
  private identityValue: InverterIdentity | null = null;
  private readonly unsupported = new Set<string>();
  private readonly supported = new Set<string>();
  /** The configured decoding, without the legacy columns (the CLI's decode shows them; samples leave them out). */
  private readonly decodeOptions: Pi30DecodeOptions;

  constructor(private readonly options: InverterDriverOptions) {
    super('inverter', options, new Pi30FrameAssembler());
    this.description = `inverter (PI30) on ${options.transport.description}`;
    this.intervals = { ...DEFAULT_INVERTER_POLL, ...options.poll };
    this.timeoutMs = options.replyTimeoutMs ?? 2000;
    this.retries = options.retries ?? 1;
    this.rules = options.plausibility ?? DEFAULT_QPIGS_RULES;
    this.identityCommands = options.identityCommands ?? DEFAULT_IDENTITY_COMMANDS;
    this.decodeOptions = { ...options.decode, legacy: false };
  }

  /** What the unit said about itself on the current connection; null until QPI/QID/QVFW/QMN were asked. */
  identity(): InverterIdentity | null {
    return this.identityValue ? { ...this.identityValue } : null;
  }

  /** Queries this firmware answered NAK to; they are left out of the poll plan. */
  unsupportedCommands(): string[] {
    return [...this.unsupported].sort();
  }

  async sendSetting(commandText: string): Promise<CommandReply> {
    const refused = checkSettingText(commandText);
    if (refused) return { ok: false, reason: 'error', message: refused };
    if (!this.runtime.running || !this.runtime.transport.isOpen) return { ok: false, reason: 'offline', message: `${this.description}: not connected` };
    // EEPROM writes are not repeated blindly: the caller reads QPIRI back and decides.
    const result = await this.runtime.exchange(pi30Exchange(commandText, { timeoutMs: this.timeoutMs, retries: 0, priority: 'high', decode: this.decodeOptions }));
    this.schedule?.trigger('QPIRI', this.runtime.now());
    this.runtime.nudge();
    if (result.ok) return { ok: true };
    const { failure } = result;
    if (failure.kind === 'decode' && failure.error.code === 'nak') return { ok: false, reason: 'nak', message: `${commandText}: the inverter answered NAK` };
    if (failure.kind === 'timeout') return { ok: false, reason: 'timeout', message: failure.message };
    if (failure.kind === 'offline' || failure.kind === 'stopped') return { ok: false, reason: 'offline', message: failure.message };
    return { ok: false, reason: 'error', message: `${commandText}: ${describeFailure(failure)}` };
  }

  async readSettings(): Promise<Record<string, FieldValue> | null> {
    const values = await this.query('QPIRI', 'high');
    if (values) this.schedule?.done('QPIRI', this.runtime.now());
    return values;
  }

  async readChargeCurrentOptions(kind: 'battery' | 'utility'): Promise<number[] | null> {
    const command = kind === 'battery' ? 'QMCHGCR' : 'QMUCHGCR';
    const result = await this.runtime.exchange(pi30Exchange(command, { timeoutMs: this.timeoutMs, retries: this.retries, priority: 'high' }));
    if (!result.ok) return null;
    const options = result.value.optionsA;
    return Array.isArray(options) && options.every((a) => typeof a === 'number') ? (options as number[]) : null;
  }

  protected onOpen(): void {
    const plan: PollEntry[] = INVERTER_POLL_COMMANDS.map((name) => ({ name, intervalMs: this.intervals[name] }));
    this.unsupported.clear();
    this.supported.clear();
    this.schedule = new PollSchedule(plan, this.runtime.now());
    this.identityPending = [...this.identityCommands];
  }

  protected async tick(): Promise<number> {
    const schedule = this.schedule;
    if (!schedule) return this.runtime.now() + 1000;
    if (this.runtime.responsive) await this.askIdentity();
    let asked = 0;
    for (const command of schedule.due(this.runtime.now())) {
      if (!this.runtime.transport.isOpen) break;
      // A silent inverter is probed with one query per turn; the others skip their slot instead of each timing out.
      if (asked === 0 || this.runtime.responsive) {
        await this.query(command, 'normal');
        asked++;
      }
      schedule.done(command, this.runtime.now());
    }
    return schedule.nextDueMs() ?? this.runtime.now() + 1000;
  }

  private async askIdentity(): Promise<void> {
    while (this.identityPending.length > 0 && this.runtime.transport.isOpen) {
      const command = this.identityPending[0] as string;
      const result = await this.runtime.exchange(pi30Exchange(command, { timeoutMs: this.timeoutMs, retries: this.retries }));
      if (!result.ok && !this.isNak(result)) return;
      this.identityPending.shift();
      const field = IDENTITY_FIELDS[command];
      const value = result.ok && field ? result.value[field] : null;
      this.recordIdentity(command, typeof value === 'string' ? value : null, result.ok);
    }
  }

  private recordIdentity(command: string, value: string | null, answered: boolean): void {
    const previous = this.identityValue;
    const next: InverterIdentity = { protocolId: null, serialNumber: null, firmwareVersion: null, modelName: null, ...(previous ?? {}) };
    const field = IDENTITY_FIELDS[command];
    if (field) next[field] = value;
    this.identityValue = next;
    if (!answered) {
      this.unsupported.add(command);
      this.runtime.report(`unsupported:${command}`, 'system', `inverter does not support ${command} (answered NAK)`, { command });
    }
    if (command === 'QPI' && value !== null && value !== 'PI30') {
      this.runtime.report('protocol', 'warning', `inverter speaks ${value}, not PI30: values may be misread`, { protocolId: value });
    }
    if (command === 'QID' && previous?.serialNumber && value && previous.serialNumber !== value) {
      this.runtime.report('identity', 'warning', `a different inverter is on ${this.runtime.transport.description}: serial ${value}, was ${previous.serialNumber}`, {
        previous: previous.serialNumber,
        current: value,
      });
    }
  }

  private isNak(result: ExchangeResult<unknown>): boolean {
    return !result.ok && result.failure.kind === 'decode' && result.failure.error.code === 'nak';
  }

  /** Poll one query; emits its sample unless it was refused or implausible. */
  private async query(command: string, priority: 'high' | 'normal'): Promise<Record<string, FieldValue> | null> {
    const exchange = () => this.runtime.exchange(pi30Exchange(command, { timeoutMs: this.timeoutMs, retries: this.retries, priority, decode: this.decodeOptions }));
    let result = await exchange();
    if (this.isNak(result) && !this.supported.has(command)) {
      // One NAK can be a request damaged on the line; ask once more before writing the command off.
      result = await exchange();
      if (this.isNak(result)) this.markUnsupported(command);
    }
    if (!result.ok) return null;
    this.supported.add(command);
    const values = toSampleValues(result.value);
    if (command === 'QPIGS') {
      const violations = checkPlausibility({ ...values, ...qpigsCheckValues(values) }, this.rules);
      if (violations.length > 0) {
        this.runtime.recordImplausible(command, violations.map((v) => v.message).join('; '));
        return null;
      }
      Object.assign(values, derivedQpigsValues(values));
    }
    this.runtime.emitSample(command, values);
    return values;
  }

  private markUnsupported(command: string): void {
    if (this.unsupported.has(command)) return;
    this.unsupported.add(command);
    this.schedule?.remove(command);
    this.runtime.report(`unsupported:${command}`, 'warning', `inverter firmware refuses ${command} (NAK): left out of the poll plan`, { command });
  }
}
