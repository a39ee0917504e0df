/**
 * `voltmon simulate` as a separate process on real ptys (socat) with real clients: Debian's mbpoll as
 * the Modbus master, voltmon's own serial and TCP transports for the inverter and the BMS. Needs socat
 * and mbpoll: without them these tests fail, they do not skip.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDalyResponse, encodeDalyRequest } from '../src/main/protocol/daly/index.js';
import { decodeResponse, encodeRequest } from '../src/main/protocol/pi30/index.js';
import { SerialTransport } from '../src/main/transport/serial.js';
import { TcpTransport } from '../src/main/transport/tcp.js';
import type { Transport } from '../src/main/transport/types.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;

interface ReadyLine {
  device: string;
  protocol: string;
  path?: string;
  baud: number;
  address?: number;
  tcpHost?: string;
  tcpPort?: number;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  devices: Record<string, ReadyLine>;
  stderr: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];
const tempDirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Start `voltmon simulate` from the sources and wait for its ready lines. */
async function simulate(args: string[], expectedDevices: number): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/headless/cli.ts', 'simulate', ...args], { cwd: ROOT });
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  const devices: Record<string, ReadyLine> = {};
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate did not get ready: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`simulate exited with ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as ReadyLine;
      devices[parsed.device] = parsed;
      if (Object.keys(devices).length === expectedDevices) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, devices, stderr: () => stderr };
}

async function stop(running: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  running.child.kill('SIGTERM');
  return exited;
}

async function mbpollFloat(path: string, slaveId: number, register: number): Promise<number> {
  const args = ['-m', 'rtu', '-a', String(slaveId), '-b', '9600', '-P', 'none', '-t', '3:float', '-B', '-0', '-r', String(register), '-c', '1', '-1', '-o', '2', path];
  const { stdout } = await run('mbpoll', args);
  const match = /\[\d+\]:\s+(-?[\d.]+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`mbpoll printed no value: ${stdout}`);
  return Number(match[1]);
}

async function ask(transport: Transport, request: Uint8Array, complete: (reply: Buffer) => boolean): Promise<Buffer> {
  let received = Buffer.alloc(0);
  const off = transport.onData((chunk) => (received = Buffer.concat([received, chunk])));
  await transport.write(request);
  for (let i = 0; i < 300 && !complete(received); i++) await new Promise((r) => setTimeout(r, 10));
  off();
  return received;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('voltmon simulate on real ptys', () => {
  it('prints one ready line per device, answers mbpoll and voltmon transports, obeys stdin and stops cleanly', async () => {
    const running = await simulate(['--seed', '7', '--tcp'], 3);
    const { inverter, bms, meter } = running.devices;
    expect(inverter).toMatchObject({ device: 'inverter', protocol: 'pi30', baud: 2400 });
    expect(bms).toMatchObject({ device: 'bms', protocol: 'daly', baud: 9600 });
    expect(meter).toMatchObject({ device: 'meter', protocol: 'sdm230', baud: 9600, address: 1 });
    for (const line of [inverter, bms, meter]) expect(line?.path).toMatch(/^\/dev\/pts\/\d+$/);

    // Debian's mbpoll as the Modbus master on the meter's pty.
    const voltageV = await mbpollFloat(meter?.path ?? '', 1, 0);
    expect(voltageV).toBeGreaterThan(215);
    expect(voltageV).toBeLessThan(250);

    // The inverter at 2400 baud through voltmon's serial transport.
    const serial = new SerialTransport({ device: { path: inverter?.path ?? '' }, baudRate: 2400 });
    await serial.open();
    try {
      const reply = await ask(serial, encodeRequest('QPIGS'), (r) => r.includes(0x0d));
      const decoded = decodeResponse('QPIGS', reply);
      expect(decoded.ok).toBe(true);
    } finally {
      await serial.close();
    }

    // The BMS on its TCP port.
    const tcp = new TcpTransport({ host: bms?.tcpHost ?? '', port: bms?.tcpPort ?? 0 });
    await tcp.open();
    try {
      const reply = await ask(tcp, encodeDalyRequest(0x90, { address: 0x80 }), (r) => r.length >= 13);
      expect(decodeDalyResponse(0x90, reply).ok).toBe(true);
    } finally {
      await tcp.close();
    }

    // A fault scripted on stdin: the meter stays silent once, then answers again.
    running.child.stdin.write('{"device":"meter","fault":{"kind":"silence","count":1}}\n');
    for (let i = 0; i < 100 && !running.stderr().includes('fault silence injected'); i++) await new Promise((r) => setTimeout(r, 20));
    await expect(mbpollFloat(meter?.path ?? '', 1, 0)).rejects.toThrow();
    expect(await mbpollFloat(meter?.path ?? '', 1, 0)).toBeGreaterThan(215);

    expect(await stop(running)).toBe(0);
    // socat is gone with the simulator: its ptys no longer exist.
    for (const line of [inverter, bms, meter]) expect(existsSync(line?.path ?? '')).toBe(false);
  });

  it('serves the devices a voltmon.yaml describes, where it describes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voltmon-sim-'));
    tempDirs.push(dir);
    const bmsPort = await freePort();
    const configPath = join(dir, 'voltmon.yaml');
    writeFileSync(
      configPath,
      [
        'site: { name: sim-test, timeZone: Europe/Vienna }',
        'battery: { chemistry: lifepo4, cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.6 }',
        'devices:',
        `  meter: { transport: { type: serial, path: ${join(dir, 'meter')}, baud: 9600 }, slaveId: 5 }`,
        `  bms: { transport: { type: tcp, host: 127.0.0.1, port: ${bmsPort} }, address: 64 }`,
        '',
      ].join('\n'),
    );
    const running = await simulate(['--config', configPath], 2);
    expect(running.devices.meter).toMatchObject({ path: join(dir, 'meter'), address: 5 });
    expect(running.devices.bms).toMatchObject({ tcpPort: bmsPort });
    expect(running.devices.inverter).toBeUndefined();
    expect(await mbpollFloat(join(dir, 'meter'), 5, 0)).toBeGreaterThan(215);
    await expect(mbpollFloat(join(dir, 'meter'), 1, 0)).rejects.toThrow();
    const tcp = new TcpTransport({ host: '127.0.0.1', port: bmsPort });
    await tcp.open();
    try {
      const reply = await ask(tcp, encodeDalyRequest(0x90, { address: 0x40 }), (r) => r.length >= 13);
      expect(decodeDalyResponse(0x90, reply).ok).toBe(true);
    } finally {
      await tcp.close();
    }
    expect(await stop(running)).toBe(0);
    expect(existsSync(join(dir, 'meter'))).toBe(false);
  });

  it('refuses a bad command line with a usage line and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/headless/cli.ts', 'simulate', '--speed', 'fast'], { cwd: ROOT });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--speed/);
    expect(stderr).toMatch(/usage: voltmon simulate/);
  });
});
