/**
 * `voltmon query` against device simulators on real ptys (socat required: fails without it), through
 * the command's main() with stdout and stderr captured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/headless/commands/query.js';
import { BmsSimulator, createPlant, exposeOnPty, InverterSimulator, MeterSimulator, type DeviceSimulator, type PtyAttachment } from '../src/main/sim/index.js';

const plant = createPlant({ seed: 3, startTsMs: Date.UTC(2024, 5, 21, 9, 0) });
const sims: Record<'inverter' | 'bms' | 'meter', DeviceSimulator> = {
  inverter: new InverterSimulator(plant, { pacing: false, latencyMs: 5, serialNumber: '92932105105335' }),
  bms: new BmsSimulator(plant, { pacing: false, latencyMs: 5 }),
  meter: new MeterSimulator(plant, { pacing: false, latencyMs: 5 }),
};
const plugs: Partial<Record<keyof typeof sims, PtyAttachment>> = {};
let setupError: unknown = null;
const dir = mkdtempSync(join(tmpdir(), 'voltmon-query-'));

beforeAll(async () => {
  try {
    for (const name of ['inverter', 'bms', 'meter'] as const) plugs[name] = await exposeOnPty(sims[name], { link: join(dir, name) });
  } catch (err) {
    setupError = err;
  }
});
afterAll(async () => {
  for (const p of Object.values(plugs)) await p?.close();
  for (const sim of Object.values(sims)) sim.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const sim of Object.values(sims)) sim.clearFaults();
});

const path = (name: keyof typeof sims): string => {
  const p = plugs[name];
  if (!p) throw setupError ?? new Error(`no pty for ${name}`);
  return p.clientPath;
};

/** Run `voltmon query …` in-process; returns the exit code and what it printed. */
async function query(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

const json = (stdout: string): Record<string, unknown> => {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return JSON.parse(stdout) as Record<string, unknown>;
};

describe('voltmon query --port', () => {
  it('prints the decoded QPIGS reply as one JSON object', async () => {
    const { code, stdout, stderr } = await query('--port', path('inverter'), '--protocol', 'pi30', 'QPIGS');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const reply = json(stdout);
    expect(reply.batteryVoltageV).toEqual(expect.any(Number));
    expect(reply.batteryVoltageV as number).toBeGreaterThan(40);
  });

  it('reads the identity', async () => {
    const { code, stdout } = await query('--port', path('inverter'), '--protocol', 'pi30', 'QID');
    expect(code).toBe(0);
    expect(json(stdout)).toMatchObject({ serialNumber: '92932105105335' });
  });

  it('says NAK in one line and exits 1 for a query the firmware refuses', async () => {
    const { code, stdout, stderr } = await query('--port', path('inverter'), '--protocol', 'pi30', 'QMN');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^pi30 QMN: nak: .*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses to send a setting (exit 2) and sends nothing', async () => {
    const before = sims.inverter.stats().requests;
    const { code, stderr } = await query('--port', path('inverter'), '--protocol', 'pi30', 'POP02');
    expect(code).toBe(2);
    expect(stderr).toContain('not a query');
    expect(sims.inverter.stats().requests).toBe(before);
  });

  it('exits 1 with one line when the device stays silent', async () => {
    sims.inverter.injectFault({ kind: 'silence', count: 5 });
    const { code, stderr } = await query('--port', path('inverter'), '--protocol', 'pi30', '--timeout', '200', 'QPIGS');
    expect(code).toBe(1);
    expect(stderr).toBe('pi30 QPIGS: no reply within 200 ms\n');
  });

  it('asks the BMS for its counts before the cell voltages', async () => {
    const { code, stdout } = await query('--port', path('bms'), '--protocol', 'daly', '--address', '0x80', '0x95');
    expect(code).toBe(0);
    const cells = json(stdout).cellVoltagesV as number[];
    expect(cells).toHaveLength(16);
    expect(cells.every((v) => v > 2.5 && v < 3.7)).toBe(true);
  });

  it('reads SDM230 registers by field name and by range', async () => {
    const byName = await query('--port', path('meter'), '--protocol', 'sdm230', 'voltageV');
    expect(byName.code).toBe(0);
    expect((json(byName.stdout).fields as Record<string, number>).voltageV).toBeGreaterThan(200);
    const byRange = await query('--port', path('meter'), '--protocol', 'sdm230', '--start', '0x0046', '--count', '4', 'read');
    expect(byRange.code).toBe(0);
    expect(Object.keys(json(byRange.stdout).fields as object)).toEqual(['frequencyHz', 'importActiveEnergyKwh']);
  });

  it('names the problem when the port does not exist', async () => {
    const { code, stderr } = await query('--port', join(dir, 'nothing-here'), '--protocol', 'pi30', 'QPIGS');
    expect(code).toBe(1);
    expect(stderr).toContain('no such device');
  });

  it('rejects bad command lines with exit 2', async () => {
    expect((await query('--port', path('inverter'), 'QPIGS')).code).toBe(2);
    expect((await query('--port', path('inverter'), '--protocol', 'modbus', 'QPIGS')).code).toBe(2);
    expect((await query('--port', path('bms'), '--protocol', 'daly', '0xDA')).code).toBe(2);
    expect((await query('--port', path('inverter'), '--protocol', 'pi30', '--timeout', 'soon', 'QPIGS')).code).toBe(2);
    expect((await query('--port', path('meter'), '--protocol', 'sdm230', 'read')).code).toBe(2);
    expect((await query('teapot', 'QPIGS')).code).toBe(2);
  });
});

describe('voltmon query <device> with a config file', () => {
  it('finds the configured port and protocol', async () => {
    const config = join(dir, 'voltmon.yaml');
    writeFileSync(
      config,
      [
        'site: { name: test, timeZone: Europe/Berlin }',
        'devices:',
        `  inverter: { transport: { type: serial, path: ${path('inverter')}, baud: 2400 } }`,
        `  bms: { transport: { type: serial, path: ${path('bms')}, baud: 9600 }, address: 0x80 }`,
        'battery: { chemistry: lifepo4, cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.65 }',
        '',
      ].join('\n'),
    );
    const inverter = await query('inverter', 'QPIRI', '--config', config);
    expect(inverter.stderr).toBe('');
    expect(json(inverter.stdout)).toMatchObject({ batteryBulkVoltageV: expect.any(Number) });
    const bms = await query('bms', '0x90', '--config', config);
    expect(json(bms.stdout)).toMatchObject({ totalVoltageV: expect.any(Number) });
    const meter = await query('meter', 'voltageV', '--config', config);
    expect(meter.code).toBe(2);
    expect(meter.stderr).toContain('configures no meter');
  });
});
