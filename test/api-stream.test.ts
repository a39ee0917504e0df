import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StreamMessage } from '../src/shared/api.js';
import { CLOSE_AUTH_TIMEOUT, CLOSE_UNAUTHORIZED } from '../src/main/api/index.js';
import { StreamMessageSchema } from '../src/main/api/response-schemas.js';
import { startHarness, type Harness } from './api-fakes.js';

let h: Harness;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await h?.close();
});

const sample: StreamMessage = { type: 'sample', sample: { device: 'bms', tsMs: 1, source: '0x90', values: { socPct: 61.5 } } };

function open(path: string, headers: Record<string, string> = {}): WebSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}${path}`, { headers });
  ws.on('error', () => undefined);
  sockets.push(ws);
  return ws;
}

/** Collects messages; resolves once `count` have arrived. */
function collect(ws: WebSocket, count: number): Promise<StreamMessage[]> {
  const got: StreamMessage[] = [];
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      got.push(StreamMessageSchema.parse(JSON.parse(String(data))));
      if (got.length === count) resolve(got);
    });
    ws.on('close', (code) => reject(new Error(`closed with ${code} after ${got.length} messages`)));
    ws.on('error', reject);
  });
}

const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));

const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('WS /api/v1/stream', () => {
  it('sends a snapshot, then every kind of delta, to a client with an Authorization header', async () => {
    h = await startHarness();
    const ws = open('/api/v1/stream', { authorization: `Bearer ${h.viewer}` });
    const messages = collect(ws, 5);
    await waitFor(() => h.server.streamClients() === 1, 'the client');
    await new Promise((r) => setTimeout(r, 50));
    h.ports.publish(sample);
    h.ports.publish({ type: 'link', device: 'meter', state: 'offline', tsMs: 2 });
    h.ports.publish({ type: 'event', event: { id: 7, tsMs: 3, kind: 'fault', message: 'bus over' } });
    h.ports.publish({ type: 'control', result: { id: 1, action: { action: 'setController', value: 'on' }, outcome: { status: 'applied', before: 'off', after: 'on', message: 'ok' } } });
    const got = await messages;
    expect(got.map((m) => m.type)).toEqual(['snapshot', 'sample', 'link', 'event', 'control']);
    const snapshot = got[0];
    expect(snapshot?.type === 'snapshot' && snapshot.live.series['inverter.batteryVoltageV']?.value).toBe(52.4);
  });

  it('takes the token as ?token= (browsers cannot set headers)', async () => {
    h = await startHarness();
    const got = await collect(open(`/api/v1/stream?token=${h.viewer}`), 1);
    expect(got[0]?.type).toBe('snapshot');
  });

  it('takes the token as the first message', async () => {
    h = await startHarness();
    const ws = open('/api/v1/stream');
    const got = collect(ws, 1);
    ws.on('open', () => ws.send(JSON.stringify({ token: h.viewer })));
    expect((await got)[0]?.type).toBe('snapshot');
  });

  it('refuses the upgrade with 401 for a wrong token', async () => {
    h = await startHarness();
    const ws = open('/api/v1/stream?token=wrong');
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }),
    );
    expect(status).toBe(401);
  });

  it('closes with 4401 when the first message is not a valid token, and sends it nothing', async () => {
    h = await startHarness();
    const ws = open('/api/v1/stream');
    let received = 0;
    ws.on('message', () => received++);
    ws.on('open', () => ws.send(JSON.stringify({ token: 'wrong' })));
    h.ports.publish(sample);
    expect((await closed(ws)).code).toBe(CLOSE_UNAUTHORIZED);
    expect(received).toBe(0);
  });

  it('closes with 4408 a client that never logs in', async () => {
    h = await startHarness({ stream: { authTimeoutMs: 200 } });
    expect((await closed(open('/api/v1/stream'))).code).toBe(CLOSE_AUTH_TIMEOUT);
  });

  it('drops a client that never reads, while the engine keeps publishing and others keep receiving', async () => {
    h = await startHarness({ stream: { maxBufferedBytes: 256 * 1024 } });
    // A raw socket that upgrades and then never reads a byte.
    const stalled = connect(h.port, '127.0.0.1');
    stalled.write(
      `GET /api/v1/stream?token=${h.viewer} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    stalled.pause();
    const stalledClosed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    const reader = open('/api/v1/stream', { authorization: `Bearer ${h.operator}` });
    let readerCount = 0;
    reader.on('message', () => readerCount++);
    await waitFor(() => h.server.streamClients() === 2, 'both clients');

    const big: StreamMessage = { ...sample, sample: { ...sample.sample, values: { note: 'x'.repeat(64 * 1024) } } };
    let published = 0;
    for (let round = 0; round < 200 && h.server.streamClients() === 2; round++) {
      for (let i = 0; i < 20; i++, published++) h.ports.publish(big);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => h.server.streamClients() === 1, 'the stalled client to be dropped');
    stalled.resume();
    stalled.on('data', () => undefined);
    await stalledClosed;
    const before = readerCount;
    h.ports.publish(sample);
    await waitFor(() => readerCount > before && readerCount >= published, 'the reading client to get everything');
    expect(reader.readyState).toBe(WebSocket.OPEN);
  });
});
