/** One GET of mbmd's API for `voltmon query meter …` when the meter is read through mbmd. */
import { decodeMbmdBody } from '../../protocol/mbmd/index.js';
import { httpFetch } from '../../net/http-fetch.js';
import type { QueryOutcome } from './query-once.js';

export interface MbmdQueryOptions {
  url: string;
  meterId: string;
  endpoint: 'last' | 'avg';
  timeoutMs?: number;
}

export async function queryMbmdOnce(options: MbmdQueryOptions): Promise<QueryOutcome> {
  const address = `${options.url.replace(/\/+$/, '')}/api/${options.endpoint}/${encodeURIComponent(options.meterId)}`;
  let status: number;
  let body: string;
  try {
    const response = await httpFetch(address, { signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    status = response.status;
    body = await response.text();
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return { ok: false, kind: timedOut ? 'noReply' : 'link', message: `${address}: ${timedOut ? 'no answer in time' : err instanceof Error ? err.message : String(err)}` };
  }
  const decoded = decodeMbmdBody(body, options.meterId);
  if (!decoded.ok) return { ok: false, kind: 'decode', message: `${decoded.error.code}: ${decoded.error.message}`, error: decoded.error };
  if (status < 200 || status >= 300) return { ok: false, kind: 'link', message: `${address}: HTTP ${status}` };
  return { ok: true, value: decoded.value };
}
