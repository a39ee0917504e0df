/**
 * One raw query to a device, outside the poll loop (`voltmon query`): open the link, send the request,
 * decode the reply with the codec, close the link. Only reads: a setting or a MOS switch must go through
 * the command queue, which validates, rate-limits, reads back and audits it.
 */
import type { DecodeError } from '../../../shared/result.js';
import { DalyFrameAssembler, encodeDalyRequest } from '../../protocol/daly/index.js';
import { isSettingCommand, Pi30FrameAssembler } from '../../protocol/pi30/index.js';
import { SDM230_REGISTERS } from '../../protocol/modbus/index.js';
import type { Transport } from '../../transport/types.js';
import { RequestQueue, type Exchange, type ExchangeResult } from '../core/request-queue.js';
import { dalyExchange } from '../bms/daly-exchange.js';
import { readInputRegistersExchange } from '../meter/modbus-exchange.js';
import { pi30Exchange } from '../inverter/pi30-exchange.js';

export const QUERY_PROTOCOLS = ['pi30', 'daly', 'sdm230'] as const;
export type QueryProtocol = (typeof QUERY_PROTOCOLS)[number];

export interface QueryOptions {
  protocol: QueryProtocol;
  /** PI30 command text, Daly data id (`0x90`), or for the SDM230 `read` (with start/count), a field name or a register. */
  command: string;
  /** Daly host address, or SDM230 slave id. */
  address?: number;
  /** SDM230 `read`: first register and register count. */
  start?: number;
  count?: number;
  /** Daly 0x95/0x96 without asking 0x94 first. */
  cellCount?: number;
  temperatureSensorCount?: number;
  invertCurrent?: boolean;
  timeoutMs?: number;
}

export type QueryOutcome =
  | { ok: true; value: Record<string, unknown> }
  /** `request`: the command line asked for something query does not send; `link`: the port could not be used. */
  | { ok: false; kind: 'request' | 'link' | 'noReply' | 'decode'; message: string; error?: DecodeError };

/** What to send, checked before the port is touched. */
type Plan =
  | { protocol: 'pi30'; command: string }
  | { protocol: 'daly'; dataId: number }
  | { protocol: 'sdm230'; start: number; count: number };

const DEFAULT_TIMEOUT_MS: Record<QueryProtocol, number> = { pi30: 3000, daly: 1000, sdm230: 1000 };

const parseInteger = (text: string): number | null => {
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number.parseInt(text, 10) : NaN;
  return Number.isSafeInteger(value) ? value : null;
};

const refuse = (message: string): QueryOutcome => ({ ok: false, kind: 'request', message });

/** Turn the command line's COMMAND into what is sent, or say why it is not sent. */
export function planQuery(options: QueryOptions): Plan | QueryOutcome {
  const { command } = options;
  switch (options.protocol) {
    case 'pi30':
      if (!/^[\x21-\x7e][\x20-\x7e]{0,31}$/.test(command)) return refuse(`"${command}" is not a PI30 command`);
      if (!command.startsWith('Q') || isSettingCommand(command)) {
        return refuse(`${command} is not a query: settings go through the command queue (API or controller), which checks and reads them back`);
      }
      return { protocol: 'pi30', command };
    case 'daly': {
      const dataId = parseInteger(command);
      if (dataId === null || dataId < 0x90 || dataId > 0x98) return refuse(`"${command}" is not a Daly read id (0x90 to 0x98)`);
      return { protocol: 'daly', dataId };
    }
    case 'sdm230':
      return planSdm230(options);
  }
}

function planSdm230(options: QueryOptions): Plan | QueryOutcome {
  const { command, start, count } = options;
  if (command === 'read') {
    if (start === undefined || count === undefined) return refuse('sdm230 read needs --start REG and --count N');
    return checkRange(start, count);
  }
  const register = SDM230_REGISTERS.find((r) => r.field === command || r.mbmdKey === command);
  if (register) return { protocol: 'sdm230', start: register.address, count: 2 };
  const address = parseInteger(command);
  if (address !== null) return checkRange(address, count ?? 2);
  return refuse(`"${command}" is neither "read", an SDM230 field (${SDM230_REGISTERS.map((r) => r.field).join(', ')}) nor a register number`);
}

function checkRange(start: number, count: number): Plan | QueryOutcome {
  if (!Number.isInteger(count) || count < 1 || count > 125) return refuse(`register count ${count} is outside 1-125`);
  if (!Number.isInteger(start) || start < 0 || start + count > 0x10000) return refuse(`registers ${start}+${count} are outside 0-65535`);
  return { protocol: 'sdm230', start, count };
}

function failed(result: ExchangeResult<unknown> & { ok: false }, label: string): QueryOutcome {
  const { failure } = result;
  if (failure.kind === 'decode') return { ok: false, kind: 'decode', message: `${failure.error.code}: ${failure.error.message}`, error: failure.error };
  if (failure.kind === 'offline' || failure.kind === 'stopped') return { ok: false, kind: 'link', message: failure.message };
  // The caller prints the command in front already.
  const message = failure.message.startsWith(`${label}: `) ? failure.message.slice(label.length + 2) : failure.message;
  return { ok: false, kind: 'noReply', message };
}

/** Send one query on `transport` (opened and closed here) and decode the reply. */
export async function queryOnce(transport: Transport, options: QueryOptions): Promise<QueryOutcome> {
  const plan = planQuery(options);
  if ('ok' in plan) return plan;
  try {
    await transport.open();
  } catch (err) {
    return { ok: false, kind: 'link', message: err instanceof Error ? err.message : String(err) };
  }
  const queue = new RequestQueue(transport, null);
  try {
    return await run(queue, plan, options);
  } finally {
    queue.close();
    await transport.close().catch(() => undefined);
  }
}

async function run(queue: RequestQueue, plan: Plan, options: QueryOptions): Promise<QueryOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS[plan.protocol];
  const once = async (exchange: Exchange<Record<string, unknown>>): Promise<QueryOutcome> => {
    const result = await queue.run(exchange);
    return result.ok ? { ok: true, value: result.value } : failed(result, exchange.label);
  };
  switch (plan.protocol) {
    case 'pi30':
      return once({ ...pi30Exchange(plan.command, { timeoutMs, retries: 1 }), assembler: new Pi30FrameAssembler() });
    case 'sdm230': {
      const exchange = readInputRegistersExchange({ slaveId: options.address ?? 1, start: plan.start, count: plan.count, timeoutMs, retries: 1 });
      const result = await queue.run(exchange);
      return result.ok ? { ok: true, value: { start: plan.start, count: plan.count, ...result.value } } : failed(result, exchange.label);
    }
    case 'daly':
      return queryDaly(once, plan.dataId, options, timeoutMs);
  }
}

async function queryDaly(
  once: (exchange: Exchange<Record<string, unknown>>) => Promise<QueryOutcome>,
  dataId: number,
  options: QueryOptions,
  timeoutMs: number,
): Promise<QueryOutcome> {
  const address = options.address ?? 0x80;
  const read = (id: number, counts: { cellCount?: number; temperatureSensorCount?: number }) =>
    once({
      ...dalyExchange({
        request: encodeDalyRequest(id, { address }),
        dataId: id,
        decode: { invertCurrent: options.invertCurrent, ...counts },
        timeoutMs,
        retries: 1,
      }),
      assembler: new DalyFrameAssembler(),
    });
  let counts = { cellCount: options.cellCount, temperatureSensorCount: options.temperatureSensorCount };
  const needs = dataId === 0x95 ? counts.cellCount : dataId === 0x96 ? counts.temperatureSensorCount : 0;
  if (needs === undefined) {
    // The multi-frame replies can only be read knowing how many cells and sensors the pack has.
    const status = await read(0x94, {});
    if (!status.ok) return { ...status, message: `0x94 (asked first for the cell and sensor counts): ${status.message}` };
    counts = { cellCount: Number(status.value.cellCount), temperatureSensorCount: Number(status.value.temperatureSensorCount) };
  }
  return read(dataId, counts);
}
