/**
 * HidrawTransport over REAL socat ptys standing in for /dev/hidraw*: replies as 8-byte reports padded after
 * the terminator, paced like the inverter's 2400-baud UART, no reads while the line is idle, the far end
 * vanishing mid-reply, close while waiting. The peer is opened through `serialport`, so the far end is not
 * the code under test. socat is required: without it these tests fail, they do not skip.
 */
import { mkdtempSync, readdirSync, readlinkSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerWrite, ptyKit, runModule, sleep, until, writePaced } from '../../../test/pty-kit.js';
import { toHidReports } from './hid-reports.js';
import { HidrawTransport, type HidrawTransportOptions } from './hidraw.js';
import type { ReadSync } from './serial-reader.js';

const { pair, openPeer, defer } = ptyKit();

interface Opened {
  transport: HidrawTransport;
  received: Buffer[];
  links: Array<[string, string | undefined]>;
  /** read(2) calls the transport made. */
  reads: { count: number };
}

async function openTransport(path: string, options: Partial<HidrawTransportOptions> = {}): Promise<Opened> {
  const reads = { count: 0 };
  const countingRead: ReadSync = (fd, buffer, offset, length, position) => {
    reads.count++;
    return readSync(fd, buffer, offset, length, position);
  };
  const transport = new HidrawTransport({ path, readSync: countingRead, ...options });
  defer(() => transport.close());
  const received: Buffer[] = [];
  const links: Array<[string, string | undefined]> = [];
  transport.onData((chunk) => received.push(chunk));
  transport.onLinkState((state, reason) => links.push([state, reason]));
  await transport.open();
  return { transport, received, links, reads };
}

/** A PI30-like reply of `length` bytes ending in CR, with 0x00 inside (as a CRC byte may be): it must survive. */
const reply = (length: number, seed = 0): Buffer => {
  const bytes = Buffer.from(Array.from({ length }, (_, i) => 0x20 + ((i * 7 + seed) % 90)));
  bytes[0] = 0x28; // '('
  bytes[length - 3] = 0x00;
  bytes[length - 1] = 0x0d;
  return bytes;
};

describe('HidrawTransport reading a pty standing in for /dev/hidraw', () => {
  it('passes on a reply sent as 8-byte reports, without the padding after the terminator, and writes requests as padded reports', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { transport, received } = await openTransport(ptys.clientPath);
    const atPeer: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => atPeer.push(chunk));
    await transport.write(Buffer.from('QPIGS\xb7\xa9\r', 'latin1'));
    await transport.write(Buffer.from('QMOD\x49\xc1\r', 'latin1'));
    await until(() => Buffer.concat(atPeer).length >= 16, 'two reports');
    expect(Buffer.concat(atPeer).toString('latin1')).toBe('QPIGS\xb7\xa9\rQMOD\x49\xc1\r\0');

    const answer = reply(21, 1);
    const reports = toHidReports(answer);
    expect(reports).toHaveLength(3);
    for (const report of reports) await peerWrite(peer, report);
    await until(() => Buffer.concat(received).length >= answer.length, 'the reply');
    await sleep(50);
    expect(Buffer.concat(received).toString('hex')).toBe(answer.toString('hex'));
  });

  it('delivers reports as they come when no reply is announced', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { received } = await openTransport(ptys.clientPath);
    const answer = reply(110, 2);
    for (const report of toHidReports(answer)) {
      await peerWrite(peer, report);
      await sleep(33);
    }
    await until(() => Buffer.concat(received).length >= answer.length, 'the reply');
    expect(Buffer.concat(received).equals(answer)).toBe(true);
    expect(received.length).toBeGreaterThan(10);
  });

  it('reads an announced reply paced like 2400 baud in a few wake-ups, and has all of it soon after the last report', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { transport, received } = await openTransport(ptys.clientPath);
    const answer = reply(110, 3);
    const reports = toHidReports(answer);
    expect(reports).toHaveLength(14);
    transport.expectReply(answer.length);
    const lastWrittenAt = await writePaced(peer, reports, 33);
    await until(() => Buffer.concat(received).length >= answer.length, 'the reply');
    const completeAfterMs = performance.now() - lastWrittenAt;
    expect(Buffer.concat(received).equals(answer)).toBe(true);
    // 14 reports, one every ~33 ms: the first, the rest after the time they take at 2400 baud, a straggler
    // or two when the writer runs late.
    expect(received.length).toBeLessThanOrEqual(6);
    expect(completeAfterMs).toBeLessThan(200);
  });

  it('reads nothing while the line is idle', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { received, reads } = await openTransport(ptys.clientPath);
    await sleep(300);
    expect(reads.count).toBe(0);
    await peerWrite(peer, Buffer.from('(ACK9 \r\0', 'latin1'));
    await until(() => received.length > 0, 'the reply');
    const afterReply = reads.count;
    // One report, then the read that finds the queue empty.
    expect(afterReply).toBeGreaterThan(0);
    expect(afterReply).toBeLessThanOrEqual(3);
    await sleep(300);
    expect(reads.count).toBe(afterReply);
    expect(Buffer.concat(received).toString('latin1')).toBe('(ACK9 \r');
  });

  it('goes offline once, with a reason, when the far end vanishes mid-reply; then opens again on the new pty', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'voltmon-hidraw-')), 'hidraw0');
    const first = await pair(link);
    const peer = await openPeer(first.simPath);
    const { transport, received, links } = await openTransport(link);
    await peerWrite(peer, Buffer.from('(230.0 50.0 23', 'latin1').subarray(0, 8));
    await peerWrite(peer, Buffer.from('0.0 50.0', 'latin1'));
    await until(() => Buffer.concat(received).length === 16, 'the first half of the reply');
    await new Promise<void>((resolve) => peer.close(() => resolve()));
    await first.close();
    await until(() => links.length === 2, 'offline');
    await sleep(100);
    expect(links[0]).toEqual(['online', undefined]);
    expect(links[1]?.[0]).toBe('offline');
    expect(links[1]?.[1]).toMatch(new RegExp(`^hidraw:${link}: (the device hung up|device went away)`));
    expect(links).toHaveLength(2);
    expect(transport.isOpen).toBe(false);
    await expect(transport.write(Buffer.from('QPIGS\r'))).rejects.toMatchObject({ code: 'notOpen' });

    const second = await pair(link);
    const peer2 = await openPeer(second.simPath);
    await transport.open();
    expect(links.at(-1)).toEqual(['online', undefined]);
    const atPeer: Buffer[] = [];
    peer2.on('data', (chunk: Buffer) => atPeer.push(chunk));
    await transport.write(Buffer.from('QPIGS\r'));
    await peerWrite(peer2, Buffer.from('(ACK9 \r\0', 'latin1'));
    await until(() => Buffer.concat(received).length === 23 && Buffer.concat(atPeer).length === 8, 'both directions on the new pty');
    expect(Buffer.concat(received).subarray(16).toString('latin1')).toBe('(ACK9 \r');
  });

  it('says a node is missing, and refuses one that cannot be polled without keeping it open', async () => {
    const missing = new HidrawTransport({ path: '/dev/voltmon-no-such-hidraw' });
    await expect(missing.open()).rejects.toMatchObject({ code: 'missing', message: 'hidraw:/dev/voltmon-no-such-hidraw: no such device (unplugged, or wrong path?)' });
    expect(missing.isOpen).toBe(false);

    const file = join(mkdtempSync(join(tmpdir(), 'voltmon-hidraw-')), 'not-a-device');
    writeFileSync(file, '');
    const regular = new HidrawTransport({ path: file });
    await expect(regular.open()).rejects.toMatchObject({ code: 'io', message: expect.stringContaining(`hidraw:${file}: `) });
    expect(regular.isOpen).toBe(false);
    const openFiles = readdirSync('/proc/self/fd').map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(openFiles).not.toContain(file);
  });

  it('closed while waiting for bytes: no data or link event after close', async () => {
    const ptys = await pair();
    const peer = await openPeer(ptys.simPath);
    const { transport, received, links } = await openTransport(ptys.clientPath);
    await sleep(50);
    await transport.close();
    await peerWrite(peer, Buffer.from('(ACK9 \r\0', 'latin1'));
    await sleep(200);
    expect(received).toEqual([]);
    expect(links).toEqual([['online', undefined], ['offline', 'closed']]);
  });

  it('closed while waiting for bytes: leaves nothing that keeps the process running', async () => {
    const ptys = await pair();
    await openPeer(ptys.simPath);
    const transportModule = join(process.cwd(), 'src/main/transport/hidraw.ts');
    const { exitCode, output } = await runModule(
      `import { HidrawTransport } from ${JSON.stringify(transportModule)};
       const transport = new HidrawTransport({ path: ${JSON.stringify(ptys.clientPath)} });
       transport.onData(() => console.log('data after close'));
       await transport.open();
       transport.expectReply(110);
       await new Promise((resolve) => setTimeout(resolve, 100));
       await transport.close();
       console.log('closed');`,
    );
    expect({ exitCode, output }).toEqual({ exitCode: 0, output: 'closed' });
  }, 20_000);
});
