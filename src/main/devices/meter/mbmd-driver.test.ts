import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/samples.js';
import { MbmdDriver } from './mbmd-driver.js';

const GOOD = JSON.stringify({
  Timestamp: '2023-03-29T10:15:02.123+02:00',
  Unix: 1680077702,
  ApparentPower: 385.84613,
  Cosphi: 0.442065,
  Current: 1.617,
  Export: 0,
  Frequency: 50,
  Import: 1138.66394,
  Power: 170.5,
  Voltage: 235.100006,
});

/** A stand-in mbmd: `respond` decides each answer; `hang` never answers. */
async function fakeMbmd() {
  const state = {
    paths: [] as string[],
    respond: { status: 200, body: GOOD } as { status: number; body: string } | 'hang',
  };
  const server: Server = createServer((req, res) => {
    state.paths.push(req.url ?? '');
    if (state.respond === 'hang') return;
    res.writeHead(state.respond.status, { 'content-type': 'application/json' });
    res.end(state.respond.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { state, port, url: `http://127.0.0.1:${port}`, close, server };
}

let driver: MbmdDriver | null = null;
let closeServer: (() => Promise<void>) | null = null;
afterEach(async () => {
  await driver?.stop();
  await closeServer?.();
  driver = null;
  closeServer = null;
});

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

async function setup() {
  const mbmd = await fakeMbmd();
  closeServer = mbmd.close;
  driver = new MbmdDriver({ url: `${mbmd.url}/`, meterId: 'SDM2301.1', pollMs: 10, timeoutMs: 100, offlineAfterFailures: 2 });
  const samples: Sample[] = [];
  driver.onSample((s) => samples.push(s));
  return { mbmd, driver, samples };
}

describe('MbmdDriver', () => {
  it('polls /api/last/<id> and emits the readings with the time mbmd read them', async () => {
    const { mbmd, driver, samples } = await setup();
    await driver.start();
    await until(() => samples.length >= 2, 'two samples');
    expect(mbmd.state.paths[0]).toBe('/api/last/SDM2301.1');
    expect(samples[0]).toEqual({
      device: 'meter',
      tsMs: Date.parse('2023-03-29T08:15:02.123Z'),
      source: 'sdm230',
      values: { apparentPowerVA: 385.84613, powerFactor: 0.442065, currentA: 1.617, exportActiveEnergyKwh: 0, frequencyHz: 50, importActiveEnergyKwh: 1138.66394, activePowerW: 170.5, voltageV: 235.100006 },
    });
    expect(driver.linkState()).toBe('online');
  });

  it('types every failure, keeps polling, and recovers', async () => {
    const { mbmd, driver, samples } = await setup();
    mbmd.state.respond = { status: 400, body: 'all meters are inactive' };
    await driver.start();
    await until(() => driver.linkState() === 'offline', 'offline');
    expect(driver.lastError()).toMatchObject({ kind: 'decode', code: 'noData' });
    mbmd.state.respond = { status: 200, body: GOOD.replace('170.500000', 'NaN').replace('170.5', 'NaN') };
    await until(() => driver.lastError()?.kind === 'decode' && (driver.lastError() as { code: string }).code === 'badJson', 'the NaN body');
    mbmd.state.respond = { status: 500, body: 'internal error' };
    await until(() => driver.lastError()?.kind === 'http', 'the HTTP error');
    expect(driver.lastError()).toMatchObject({ status: 500 });
    mbmd.state.respond = 'hang';
    await until(() => driver.lastError()?.kind === 'timeout', 'the timeout');
    expect(samples).toEqual([]);
    mbmd.state.respond = { status: 200, body: GOOD };
    await until(() => samples.length > 0 && driver.linkState() === 'online', 'recovery');
    expect(driver.lastError()).toBeNull();
    const stats = driver.stats();
    expect(Math.min(stats.naks, stats.crcErrors, stats.timeouts)).toBeGreaterThan(0);
  });

  it('reports a network error when nothing listens, and stop() leaves no timer', async () => {
    const { mbmd, driver } = await setup();
    await mbmd.close();
    closeServer = null;
    const baseline = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await driver.start();
    await until(() => driver.lastError()?.kind === 'network', 'a network error');
    await driver.stop();
    expect(driver.linkState()).toBe('offline');
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(baseline);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new MbmdDriver({ url: 'ftp://meter' })).toThrow(RangeError);
  });
});
