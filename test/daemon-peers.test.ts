import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlResponse, LiveResponse } from '../src/shared/api.js';
import { parseConfig, type VoltmonConfig } from '../src/shared/config.js';
import { openTokenStore } from '../src/main/auth/token-store.js';
import { startEngine, type Engine } from '../src/main/engine.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const battery = { chemistry: 'lifepo4', cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.6 };
const config = (raw: object): VoltmonConfig => {
  const parsed = parseConfig({ battery, ...raw });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  return parsed.value;
};
const quiet = pino({ level: 'silent' });

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, seconds = 30): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const json = async (url: string, token: string, init: RequestInit = {}): Promise<unknown> => {
  const res = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
  return res.json();
};

/** A gridbox with the relay (simulated GPIO line) watching a logger; the logger drives that relay through the gridbox's API. */
async function startPair(watchdogTimeoutS: number, loggerRole: 'viewer' | 'operator' = 'operator') {
  const [loggerPort, gridboxPort] = [await freePort(), await freePort()];
  const loggerDir = mkdtempSync(join(tmpdir(), 'voltmon-logger-'));
  const gridboxDir = mkdtempSync(join(tmpdir(), 'voltmon-gridbox-'));
  const gridboxTokens = openTokenStore(gridboxDir);
  const loggerToken = gridboxTokens.add(loggerRole, 'logger').token;
  const gridboxViewer = gridboxTokens.add('viewer', 'test').token;
  gridboxTokens.close();

  const gridbox = await startEngine({
    config: config({
      site: { name: 'gridbox', timeZone: 'Europe/Berlin' },
      api: { host: '127.0.0.1', port: gridboxPort },
      peers: [{ name: 'logger', url: `http://127.0.0.1:${loggerPort}` }],
      relay: { type: 'gpio', bcmLine: 26, polarity: 'activeHigh', watchdog: { peer: 'logger', timeoutS: watchdogTimeoutS, pollS: 1 } },
    }),
    dataDir: gridboxDir,
    simulate: true,
    logger: quiet,
    staticRoot: null,
  });
  engines.push(gridbox);
  const logger = await startEngine({
    config: config({
      site: { name: 'logger', timeZone: 'Europe/Berlin' },
      devices: { inverter: { transport: { type: 'serial', path: '/dev/axpert' } }, bms: { transport: { type: 'serial', path: '/dev/bms' } } },
      api: { host: '127.0.0.1', port: loggerPort },
      peers: [{ name: 'gridbox', url: `http://127.0.0.1:${gridboxPort}`, token: loggerToken }],
      relay: { type: 'peer', peer: 'gridbox' },
    }),
    dataDir: loggerDir,
    simulate: true,
    logger: quiet,
    staticRoot: null,
  });
  engines.push(logger);
  const loggerOperator = logger.tokens.add('operator', 'test').token;
  const relayFile = join(gridboxDir, 'simulated-relay.gpio');
  return { logger, gridbox, loggerPort, gridboxPort, loggerOperator, gridboxViewer, relayFile };
}

describe('peers: the logger switches the relay of the gridbox', () => {
  it('carries a control request from the logger API to the gridbox relay and reports the relay back', async () => {
    const pair = await startPair(120);
    const loggerLive = (): Promise<LiveResponse> => json(`http://127.0.0.1:${pair.loggerPort}/api/v1/live`, pair.loggerOperator) as Promise<LiveResponse>;
    await waitFor('the logger to see the gridbox relay', async () => ((await loggerLive()).values?.['relay.gridConnected'] === true ? true : null));

    const result = (await json(`http://127.0.0.1:${pair.loggerPort}/api/v1/control`, pair.loggerOperator, {
      method: 'POST',
      body: JSON.stringify({ action: 'setGridRelay', value: 'disconnected' }),
    })) as ControlResponse;
    expect(result.outcome).toMatchObject({ status: 'applied', after: false });
    expect(readFileSync(pair.relayFile, 'utf8').trim()).toBe('0');

    const gridboxEvents = (await json(`http://127.0.0.1:${pair.gridboxPort}/api/v1/events?kind=control`, pair.gridboxViewer)) as { events: Array<{ message: string }> };
    expect(gridboxEvents.events.some((e) => e.message.includes('user logger') && e.message.includes('setGridRelay'))).toBe(true);
    await waitFor('the logger to report the relay disconnected', async () => ((await loggerLive()).values?.['relay.gridConnected'] === false ? true : null));
  });

  it('connects the grid when the logger stops answering for the watchdog time', async () => {
    const pair = await startPair(10);
    const result = (await json(`http://127.0.0.1:${pair.loggerPort}/api/v1/control`, pair.loggerOperator, {
      method: 'POST',
      body: JSON.stringify({ action: 'setGridRelay', value: 'disconnected' }),
    })) as ControlResponse;
    expect(result.outcome.status).toBe('applied');
    expect(readFileSync(pair.relayFile, 'utf8').trim()).toBe('0');

    await pair.logger.stop();
    await waitFor('the watchdog to connect the grid', async () => (readFileSync(pair.relayFile, 'utf8').trim() === '1' ? true : null), 40);
    const events = (await json(`http://127.0.0.1:${pair.gridboxPort}/api/v1/events?kind=control`, pair.gridboxViewer)) as { events: Array<{ message: string }> };
    expect(events.events.some((e) => /grid connected for safety: no heartbeat from the logger/.test(e.message))).toBe(true);
  }, 60_000);

  it('reports a refusal by the gridbox (a viewer token configured) as a failed command, the relay untouched', async () => {
    const pair = await startPair(120, 'viewer');
    const result = (await json(`http://127.0.0.1:${pair.loggerPort}/api/v1/control`, pair.loggerOperator, {
      method: 'POST',
      body: JSON.stringify({ action: 'setGridRelay', value: 'disconnected' }),
    })) as ControlResponse;
    expect(result.outcome.status).toBe('failed');
    expect(result.outcome.status === 'failed' && result.outcome.reason).toContain('gridbox answered 403');
    expect(readFileSync(pair.relayFile, 'utf8').trim()).toBe('1');
  });
});
