/** One PI30 request/reply as an exchange for the request queue: the codec frames the request and decodes the reply. */
import { decodeResponse, encodeRequest, isSettingCommand, validateRequestFrame, type Pi30DecodeOptions } from '../../protocol/pi30/index.js';
import type { Exchange } from '../core/request-queue.js';

export interface Pi30ExchangeOptions {
  timeoutMs: number;
  retries: number;
  priority?: 'high' | 'normal';
  decode?: Pi30DecodeOptions;
}

/** A PI30 reply is one frame: the first one after the request decides, a wrong one is retried as a decode error. */
export function pi30Exchange(command: string, options: Pi30ExchangeOptions): Exchange<Record<string, unknown>> {
  return {
    label: command,
    request: encodeRequest(command),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    priority: options.priority ?? 'normal',
    accept: (frame) => ({ kind: 'done', result: decodeResponse(command, frame, options.decode ?? {}) }),
  };
}

/** Why `command` may not go out as a setting (not printable ASCII, not a setting, malformed argument); null when it may. */
export function checkSettingText(command: string): string | null {
  if (!/^[\x21-\x7e]{1,32}$/.test(command)) return `not a PI30 command: ${JSON.stringify(command)}`;
  if (!isSettingCommand(command)) return `${command} is not a setting command`;
  const checked = validateRequestFrame(encodeRequest(command));
  return checked.ok ? null : checked.error.message;
}
