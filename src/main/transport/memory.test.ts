import { describe, expect, it } from 'vitest';
import type { LinkState } from '../../shared/samples.js';
import { TransportError } from './errors.js';
import { createMemoryLink } from './memory.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('createMemoryLink', () => {
  it('carries bytes both ways once open', async () => {
    const { transport, peer } = createMemoryLink();
    const atPeer: string[] = [];
    const atTransport: string[] = [];
    peer.onData((c) => atPeer.push(c.toString()));
    transport.onData((c) => atTransport.push(c.toString()));
    await transport.open();
    await transport.write(Buffer.from('QPIGS'));
    peer.write(Buffer.from('(reply'));
    await tick();
    expect(atPeer).toEqual(['QPIGS']);
    expect(atTransport).toEqual(['(reply']);
  });

  it('refuses writes on a closed link and drops what the peer sends meanwhile', async () => {
    const { transport, peer } = createMemoryLink();
    const received: Buffer[] = [];
    transport.onData((c) => received.push(c));
    await expect(transport.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'notOpen' });
    peer.write(Buffer.from('lost'));
    await tick();
    expect(received).toEqual([]);
  });

  it('behaves like an unplugged device: offline at once, cannot reopen until it is back', async () => {
    const { transport, peer } = createMemoryLink({ description: 'memory:inverter' });
    const states: Array<[LinkState, string | undefined]> = [];
    transport.onLinkState((s, r) => states.push([s, r]));
    await transport.open();
    peer.disconnect();
    expect(transport.isOpen).toBe(false);
    const error = await transport.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'missing', message: expect.stringContaining('memory:inverter') });
    peer.reconnect();
    await transport.open();
    expect(states).toEqual([
      ['online', undefined],
      ['offline', 'device disconnected'],
      ['online', undefined],
    ]);
  });
});
