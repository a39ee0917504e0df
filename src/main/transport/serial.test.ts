/**
 * SerialTransport's own read path over REAL socat ptys: pacing like a 2400-baud UART, bursts, the far end
 * vanishing mid-reply, close while a read is pending. The peer is opened through `serialport`, so both ends
 * are not the code under test. socat is required: without it these tests fail, they do not skip.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerWrite, ptyKit, runModule, sleep, until, writePaced } from '../../../test/pty-kit.js';
import { SerialTransport } from './serial.js';

const { pair, openPeer, defer } = ptyKit();

interface Opened {
  transport: SerialTransport;
  received: Buffer[];
  links: Array<[string, string | undefined]>;
}

async function openTransport(path: string): Promise<Opened> {
  const transport = new SerialTransport({ device: { path }, baudRate: 2400 });
  defer(() => transport.close());
  const received: Buffer[] = [];
  const links: Array<[string, string | undefined]> = [];
  transport.onData((chunk) => received.push(chunk));
  transport.onLinkState((state, reason) => links.push([state, reason]));
  await transport.open();
  return { transport, received, links };
}

/** A reply whose every byte tells its position, so a lost, doubled or swapped piece shows. */
const patterned = (length: number, seed = 0): Buffer => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) % 251));

describe('SerialTransport reading a pty', () => {
  it('delivers replies written 5 bytes every 20 ms (a 2400-baud UART) complete and in order', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { received } = await openTransport(ptys.clientPath);
    const replies = [patterned(110, 1), patterned(110, 2), patterned(110, 3)];
    for (const reply of replies) {
      for (let offset = 0; offset < reply.length; offset += 5) {
        await peerWrite(peer, reply.subarray(offset, offset + 5));
        await sleep(20);
      }
    }
    const expected = Buffer.concat(replies);
    await until(() => Buffer.concat(received).length >= expected.length, 'three replies');
    expect(Buffer.concat(received).equals(expected)).toBe(true);
    // Bytes arrive as they come off the wire, not once the reply is over.
    expect(received.length).toBeGreaterThan(10);
  });

  it('reads an announced 2400-baud reply in a few reads, and has all of it soon after the last byte', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { transport, received } = await openTransport(ptys.clientPath);
    const reply = patterned(110, 4);
    transport.expectReply(reply.length);
    const pieces = Array.from({ length: Math.ceil(reply.length / 5) }, (_, i) => reply.subarray(i * 5, i * 5 + 5));
    const lastWrittenAt = await writePaced(peer, pieces, 20);
    await until(() => Buffer.concat(received).length >= reply.length, 'the reply');
    const completeAfterMs = performance.now() - lastWrittenAt;
    expect(Buffer.concat(received).equals(reply)).toBe(true);
    // 22 chunks of 5 bytes come off the wire; they are read in a handful of wake-ups (the first chunk, the
    // rest after the time it takes at 2400 baud, a straggler or two when the writer runs late).
    expect(received.length).toBeLessThanOrEqual(6);
    // Paced writes in this test run slower than 2400 baud, so the reader sleeps no longer than the line.
    expect(completeAfterMs).toBeLessThan(200);
  });

  it('delivers a 64 KiB burst, many read buffers long, whole and in order', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { received } = await openTransport(ptys.clientPath);
    const burst = patterned(64 * 1024, 5);
    await peerWrite(peer, burst);
    await until(() => Buffer.concat(received).length >= burst.length, 'the whole burst');
    expect(Buffer.concat(received).equals(burst)).toBe(true);
  });

  it('goes offline once, with a reason, when the far end vanishes mid-reply; then opens again on the new pty', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'voltmon-serial-')), 'ttyV0');
    const first = await pair(link);
    const peer = await openPeer(first.simPath);
    const { transport, received, links } = await openTransport(link);
    await peerWrite(peer, Buffer.from('(230.0 50.0 23'));
    await until(() => Buffer.concat(received).length === 14, 'the first half of the reply');
    await new Promise<void>((resolve) => peer.close(() => resolve()));
    await first.close();
    await until(() => links.length === 2, 'offline');
    await sleep(100);
    expect(links[0]).toEqual(['online', undefined]);
    expect(links[1]?.[0]).toBe('offline');
    expect(links[1]?.[1]).toMatch(new RegExp(`^serial:${link}@2400: (the device hung up|device went away)`));
    expect(links).toHaveLength(2);
    expect(transport.isOpen).toBe(false);
    await expect(transport.write(Buffer.from('QPIGS'))).rejects.toMatchObject({ code: 'notOpen' });

    const second = await pair(link);
    const peer2 = await openPeer(second.simPath);
    await transport.open();
    expect(links.at(-1)).toEqual(['online', undefined]);
    const atPeer: Buffer[] = [];
    peer2.on('data', (chunk: Buffer) => atPeer.push(chunk));
    await transport.write(Buffer.from('QPIGS\r'));
    await peerWrite(peer2, Buffer.from('(ACK9 \r'));
    await until(() => Buffer.concat(received).length === 21 && Buffer.concat(atPeer).length === 6, 'both directions on the new pty');
    expect(Buffer.concat(received).subarray(14).toString('latin1')).toBe('(ACK9 \r');
  });

  it('closed while waiting for bytes: no data or link event after close', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { transport, received, links } = await openTransport(ptys.clientPath);
    await sleep(50);
    await transport.close();
    await peerWrite(peer, Buffer.from('(ACK9 \r'));
    await sleep(200);
    expect(received).toEqual([]);
    expect(links).toEqual([['online', undefined], ['offline', 'closed']]);
  });

  it('closed while waiting for bytes: leaves nothing that keeps the process running', async () => {
    const ptys = await pair();
    await openPeer(ptys.simPath);
    const transportModule = join(process.cwd(), 'src/main/transport/serial.ts');
    const { exitCode, output } = await runModule(
      `import { SerialTransport } from ${JSON.stringify(transportModule)};
       const transport = new SerialTransport({ device: { path: ${JSON.stringify(ptys.clientPath)} }, baudRate: 2400 });
       transport.onData(() => console.log('data after close'));
       await transport.open();
       await new Promise((resolve) => setTimeout(resolve, 100));
       await transport.close();
       console.log('closed');`,
    );
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: 'closed' });
  }, 20_000);
});
