/**
 * The transports on real links: serial (locking, busy and missing ports, lookup by USB serial number)
 * and hidraw framing over socat ptys, TCP against the simulator's serial-over-IP server.
 * socat is required: without it these tests fail, they do not skip.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import type { Sample } from '../src/shared/samples.js';
import { InverterDriver } from '../src/main/devices/inverter/index.js';
import { createPlant, InverterSimulator, openPtyPair, serveTcp } from '../src/main/sim/index.js';
import { HidrawTransport } from '../src/main/transport/hidraw.js';
import { SerialTransport } from '../src/main/transport/serial.js';
import { TcpTransport } from '../src/main/transport/tcp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A socat pty pair (socat missing: rejects, so the test fails): `a` and `b` are its two ends. */
async function pair(): Promise<{ a: string; b: string }> {
  const made = await openPtyPair();
  cleanups.push(() => made.close());
  return { a: made.simPath, b: made.clientPath };
}

async function openPeer(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('error', () => undefined);
  cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  return port;
}

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 8000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('SerialTransport on a pty', () => {
  it('carries bytes both ways and holds an exclusive lock', async () => {
    const { a, b } = await pair();
    const peer = await openPeer(b);
    const transport = new SerialTransport({ device: { path: a }, baudRate: 2400 });
    cleanups.push(() => transport.close());
    await transport.open();
    const received: Buffer[] = [];
    transport.onData((c) => received.push(c));
    const atPeer: Buffer[] = [];
    peer.on('data', (c: Buffer) => atPeer.push(c));
    await transport.write(Buffer.from('QPIGS\xb7\xa9\r', 'latin1'));
    peer.write(Buffer.from('(ACK9 \r', 'latin1'));
    await until(() => Buffer.concat(received).length === 7 && Buffer.concat(atPeer).length === 8, 'both directions');
    expect(Buffer.concat(received).toString('latin1')).toBe('(ACK9 \r');

    const second = new SerialTransport({ device: { path: a }, baudRate: 2400 });
    await expect(second.open()).rejects.toMatchObject({ code: 'busy', message: expect.stringContaining('another program has it open') });
  });

  it('says a port is missing, and finds an adapter by its USB serial number', async () => {
    await expect(new SerialTransport({ device: { path: '/dev/voltmon-no-such-port' }, baudRate: 2400 }).open()).rejects.toMatchObject({ code: 'missing' });
    const { a } = await pair();
    const bySerial = new SerialTransport({
      device: { usbSerialNumber: 'A10KX9QJ' },
      baudRate: 9600,
      listPorts: async () => [
        { path: '/dev/ttyUSB7', serialNumber: 'OTHER' },
        { path: a, serialNumber: 'A10KX9QJ' },
      ],
    });
    cleanups.push(() => bySerial.close());
    await bySerial.open();
    expect(bySerial.isOpen).toBe(true);
    expect(bySerial.description).toBe('serial:usb-serial=A10KX9QJ@9600');
  });
});

describe('HidrawTransport framing (on a pty standing in for /dev/hidraw)', () => {
  it('writes 8-byte reports padded with zeros and strips the padding of replies', async () => {
    const { a, b } = await pair();
    const peer = await openPeer(b);
    const transport = new HidrawTransport({ path: a });
    cleanups.push(() => transport.close());
    await transport.open();
    const atPeer: Buffer[] = [];
    peer.on('data', (c: Buffer) => atPeer.push(c));
    const received: Buffer[] = [];
    transport.onData((c) => received.push(c));
    await transport.write(Buffer.from('QPIGS2\x68\x2d\r', 'latin1'));
    await until(() => Buffer.concat(atPeer).length >= 16, 'two reports');
    expect(Buffer.concat(atPeer).toString('hex')).toBe(Buffer.from('QPIGS2\x68\x2d\r\0\0\0\0\0\0\0', 'latin1').toString('hex'));
    peer.write(Buffer.from('(ACK9 \r\0', 'latin1'));
    await until(() => received.length > 0, 'the reply');
    expect(Buffer.concat(received).toString('latin1')).toBe('(ACK9 \r');
  });

  it('reports the device gone when its node disappears', async () => {
    const { a, b } = await pair();
    await openPeer(b);
    const transport = new HidrawTransport({ path: a });
    cleanups.push(() => transport.close());
    const states: string[] = [];
    transport.onLinkState((s) => states.push(s));
    await transport.open();
    await cleanups.splice(0, 1)[0]?.();
    await until(() => states.includes('offline'), 'offline');
    expect(transport.isOpen).toBe(false);
  });
});

describe('TcpTransport against the serial-over-IP simulator', () => {
  it('polls the inverter over TCP and reconnects after the bridge drops the connection', async () => {
    const plant = createPlant({ seed: 5, startTsMs: Date.UTC(2024, 5, 21, 7, 0) });
    const sim = new InverterSimulator(plant, { pacing: false, latencyMs: 5 });
    const server = await serveTcp(sim);
    cleanups.push(() => server.close());
    cleanups.push(() => sim.close());
    const driver = new InverterDriver({
      transport: new TcpTransport({ host: server.host, port: server.port }),
      poll: { QPIGS: 50, QMOD: 200, QPIWS: 200, QPIRI: 1000, Q1: 1000 },
      replyTimeoutMs: 300,
      backoff: { initialMs: 100, maxMs: 400, factor: 2 },
    });
    cleanups.push(() => driver.stop());
    const samples: Sample[] = [];
    driver.onSample((s) => samples.push(s));
    await driver.start();
    await until(() => samples.some((s) => s.source === 'QPIGS'), 'a QPIGS sample');
    expect(driver.description).toBe(`inverter (PI30) on tcp:${server.host}:${server.port}`);
    sim.injectFault({ kind: 'disconnect', durationMs: 500 });
    await until(() => driver.linkState() === 'offline', 'offline');
    const mark = samples.length;
    await until(() => driver.linkState() === 'online' && samples.slice(mark).some((s) => s.source === 'QPIGS'), 'samples after the reconnect');
    expect(driver.stats().reconnects).toBe(1);
  });
});
