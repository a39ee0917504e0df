import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch, MAX_RESPONSE_BYTES } from './http-fetch.js';

let server: Server;
let base: string;
const seen: Array<{ method?: string; headers: IncomingMessage['headers']; body: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, body });
    if (req.url === '/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{"gridConnected":true}');
    else if (req.url === '/missing') res.writeHead(404).end('{"error":"notFound"}');
    else if (req.url === '/slow') setTimeout(() => res.end('late'), 2000);
    else if (req.url === '/huge') res.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x41));
    else res.writeHead(200).end(`echo:${body}`);
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpFetch', () => {
  it('GETs a body with its status', async () => {
    const res = await httpFetch(`${base}/json`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(JSON.parse(await res.text())).toEqual({ gridConnected: true });
    expect(seen.at(-1)?.headers.accept).toBe('application/json');
  });

  it('reports a non-2xx status as not ok, with the body still readable', async () => {
    const res = await httpFetch(`${base}/missing`);
    expect(res.status).toBe(404);
    expect(res.ok).toBe(false);
    expect(await res.text()).toContain('notFound');
  });

  it('POSTs a UTF-8 body with its length', async () => {
    const body = JSON.stringify({ action: 'relay', note: 'Netz ein – Süd' });
    const res = await httpFetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(await res.text()).toBe(`echo:${body}`);
    expect(seen.at(-1)?.method).toBe('POST');
    expect(seen.at(-1)?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('rejects with the signal’s reason when it times out', async () => {
    const started = Date.now();
    await expect(httpFetch(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses an oversized reply, a refused connection and a non-HTTP URL with clear errors', async () => {
    await expect(httpFetch(`${base}/huge`)).rejects.toThrow(/more than/);
    await expect(httpFetch('http://127.0.0.1:1/')).rejects.toThrow(/ECONNREFUSED/);
    await expect(httpFetch('HTTPS://127.0.0.1:1/')).rejects.toThrow(/ECONNREFUSED/);
    await expect(httpFetch('file:///etc/passwd')).rejects.toThrow(/only http and https/);
    await expect(httpFetch('not a url')).rejects.toThrow(/not a URL/);
  });

  it('works in a process without a JIT, where the global fetch has no WebAssembly', async () => {
    const script = `import { httpFetch } from ${JSON.stringify(fileURLToPath(new URL('./http-fetch.ts', import.meta.url)))};
      const res = await httpFetch(${JSON.stringify(`${base}/json`)});
      process.stdout.write(String(typeof WebAssembly) + ' ' + (await res.text()));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--jitless', '--no-expose-wasm', '--import', 'tsx', '--input-type=module', '-e', script]);
    expect(stdout).toBe('undefined {"gridConnected":true}');
  });
});
