import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness } from './api-fakes.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** A throw-away self-signed certificate for 127.0.0.1 (needs the openssl command). */
function selfSigned(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'voltmon-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

const get = (port: number, path: string, ca: Buffer, token?: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

describe('TLS', () => {
  it('serves the API and the stream over HTTPS/WSS with the configured certificate', async () => {
    const tls = selfSigned();
    h = await startHarness({ tls });
    expect(await get(h.port, '/api/v1/health', tls.cert)).toBe(200);
    expect(await get(h.port, '/api/v1/live', tls.cert)).toBe(401);
    expect(await get(h.port, '/api/v1/live', tls.cert, h.viewer)).toBe(200);

    const ws = new WebSocket(`wss://127.0.0.1:${h.port}/api/v1/stream?token=${h.viewer}`, { ca: tls.cert });
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) => resolve(String(data)));
      ws.once('error', reject);
    });
    ws.close();
    expect(JSON.parse(first)).toMatchObject({ type: 'snapshot' });
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const tls = selfSigned();
    h = await startHarness({ tls });
    const plain = await fetch(`http://127.0.0.1:${h.port}/api/v1/health`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
  });
});
