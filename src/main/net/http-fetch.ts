/**
 * The part of `fetch` the daemon uses (a GET or a small POST, a text body, a status), on node:http.
 * Node's global fetch compiles undici's HTTP parser to WebAssembly on first use: ~9 MB more RSS for an
 * idle daemon that polls mbmd or a peer, and no fetch at all when V8 runs without a JIT (`--lite-mode`,
 * `--jitless`), as the daemon does. Node's built-in HTTP parser costs neither.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface HttpFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Aborting rejects with the signal's reason (AbortSignal.timeout gives a TimeoutError). */
  signal?: AbortSignal;
}

export interface HttpFetchResponse {
  readonly status: number;
  readonly ok: boolean;
  text(): Promise<string>;
}

export type HttpFetch = (url: string, init?: HttpFetchInit) => Promise<HttpFetchResponse>;

/** A reply body larger than this is refused: the daemon talks to small JSON APIs only. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export class HttpFetchError extends Error {
  override readonly name = 'HttpFetchError';
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new HttpFetchError('the request was aborted');
}

/** node:https (with TLS) is loaded for the first https URL only; most installations never need it. */
let httpsRequest: typeof httpRequest | null = null;

export const httpFetch: HttpFetch = async (url, init = {}) => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new HttpFetchError(`not a URL: ${url}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HttpFetchError(`only http and https URLs are supported, got ${target.protocol}`);
  }
  const send = target.protocol === 'https:' ? (httpsRequest ??= (await import('node:https')).request) : httpRequest;
  return new Promise((resolve, reject) => {
    const signal = init.signal;
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
    const headers = { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const req = send(target, { method: init.method ?? 'GET', headers });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(abortReason(signal as AbortSignal));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) fail(new HttpFetchError(`${url} answered with more than ${MAX_RESPONSE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('end', () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(text) });
      });
    });
    req.end(body);
  });
};
