import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/events.js';
import type { Sample } from '../../../shared/samples.js';
import { encodeResponse, parseRequestFrame } from '../../protocol/pi30/index.js';
import { createMemoryLink, type MemoryLink } from '../../transport/memory.js';
import { InverterDriver, type InverterDriverOptions } from './inverter-driver.js';

const QPIGS = '230.0 50.0 230.0 50.0 0460 0400 009 390 52.40 010 085 0035 05.5 350.1 52.50 00000 00110110 00 00 00287 010';
const QPIRI = '230.0 21.7 230.0 50.0 21.7 5000 5000 48.0 51.0 48.0 55.2 54.5 2 30 060 0 2 3 - 01 1 0 54.0 0 1 000';

/** A PI30 unit in a few lines: answers from a table, NAKs what it lacks, records every request. */
function fakeInverter(link: MemoryLink, overrides: Record<string, string | null> = {}) {
  const table: Record<string, string | null> = {
    QPI: 'PI30',
    QID: '92932004102453',
    QVFW: 'VERFW:00072.70',
    QMN: null,
    QPIGS,
    QPIRI,
    QMOD: 'B',
    QPIWS: '000000000000000000000000000000000000',
    Q1: '00000 00000 01 01 00 034 033 032 031 00 00 000 0040 0000 0000 49.98 10',
    QMCHGCR: '010 020 030 040 050 060',
    ...overrides,
  };
  const state = { requests: [] as string[], silent: false, table };
  link.peer.onData((chunk) => {
    const request = parseRequestFrame(chunk);
    if (!request.ok) return;
    const command = request.value.commandText;
    state.requests.push(command);
    if (state.silent) return;
    const payload = command.startsWith('P') || command.startsWith('MCHGC') ? (command.endsWith('99') ? 'NAK' : 'ACK') : (table[command] ?? null);
    link.peer.write(encodeResponse(payload ?? 'NAK'));
  });
  return state;
}

const fastPoll = { QPIGS: 20, QMOD: 40, QPIWS: 40, QPIRI: 200, Q1: 200 };

let driver: InverterDriver | null = null;
afterEach(async () => {
  await driver?.stop();
  driver = null;
});

function setup(overrides: Record<string, string | null> = {}, options: Partial<InverterDriverOptions> = {}) {
  const link = createMemoryLink();
  const device = fakeInverter(link, overrides);
  driver = new InverterDriver({ transport: link.transport, poll: fastPoll, replyTimeoutMs: 50, retries: 1, ...options });
  const samples: Sample[] = [];
  const events: EngineEvent[] = [];
  driver.onSample((s) => samples.push(s));
  driver.onEvent((e) => events.push(e));
  return { link, device, driver, samples, events };
}

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe('InverterDriver', () => {
  it('asks who it talks to before polling, and records what the unit lacks', async () => {
    const { driver, device } = setup();
    await driver.start();
    await until(() => device.requests.includes('QPIGS'), 'the first poll');
    expect(device.requests.slice(0, 4)).toEqual(['QPI', 'QID', 'QVFW', 'QMN']);
    expect(driver.identity()).toEqual({ protocolId: 'PI30', serialNumber: '92932004102453', firmwareVersion: '00072.70', modelName: null });
    expect(driver.unsupportedCommands()).toEqual(['QMN']);
  });

  it('emits QPIGS with derived PV and battery power, and enumerations by name', async () => {
    const { driver, samples } = setup();
    await driver.start();
    await until(() => ['QPIGS', 'QPIRI', 'QMOD'].every((s) => samples.some((x) => x.source === s)), 'QPIGS, QPIRI and QMOD samples');
    const qpigs = samples.find((s) => s.source === 'QPIGS');
    expect(qpigs).toMatchObject({ device: 'inverter', values: { batteryVoltageV: 52.4, pvChargingPowerW: 287, pvPowerW: 287, batteryPowerW: 524, 'deviceStatus.loadOn': true } });
    expect(qpigs?.values).not.toHaveProperty('crcRawHex');
    expect(samples.find((s) => s.source === 'QPIRI')?.values).toMatchObject({ outputSourcePriority: 'sbu', chargerSourcePriority: 'solarOnly', batteryBulkVoltageV: 55.2 });
    expect(samples.find((s) => s.source === 'QMOD')?.values).toMatchObject({ mode: 'battery' });
    expect(driver.linkState()).toBe('online');
  });

  it('keeps its cadence: QPIGS far more often than QPIRI', async () => {
    const { driver, device } = setup({}, { poll: { QPIGS: 10, QMOD: 30, QPIWS: 30, QPIRI: 60_000, Q1: 60_000 } });
    await driver.start();
    await until(() => device.requests.filter((r) => r === 'QPIGS').length >= 12, 'twelve QPIGS');
    const count = (c: string) => device.requests.filter((r) => r === c).length;
    expect(count('QPIRI')).toBe(1);
    expect(count('Q1')).toBe(1);
    expect(count('QMOD')).toBeGreaterThanOrEqual(1);
  });

  it('drops a query the firmware NAKs twice from the plan and says so', async () => {
    const { driver, device, events, samples } = setup({ Q1: null });
    await driver.start();
    await until(() => driver.unsupportedCommands().includes('Q1'), 'Q1 marked unsupported');
    const q1Requests = device.requests.filter((r) => r === 'Q1').length;
    await until(() => samples.filter((s) => s.source === 'QPIRI').length >= 3, 'three QPIRI cycles');
    expect(q1Requests).toBe(2);
    expect(device.requests.filter((r) => r === 'Q1').length).toBe(2);
    expect(events.some((e) => e.message.includes('refuses Q1'))).toBe(true);
    expect(driver.stats().naks).toBeGreaterThanOrEqual(3);
  });

  it('counts and reports an implausible QPIGS and never emits it', async () => {
    const { driver, samples, events } = setup({ QPIGS: QPIGS.replace('52.40', '00.50') });
    await driver.start();
    await until(() => driver.stats().implausible >= 2, 'two implausible readings');
    expect(samples.filter((s) => s.source === 'QPIGS')).toEqual([]);
    expect(samples.some((s) => s.source === 'QMOD')).toBe(true);
    expect(events.find((e) => e.message.includes('implausible'))?.message).toContain('batteryVoltageV 0.5 below 40');
    expect(driver.linkState()).toBe('online');
  });

  it('sends a setting ahead of the polls and reads QPIRI back right after', async () => {
    const { driver, device } = setup({}, { poll: { ...fastPoll, QPIRI: 60_000 } });
    await driver.start();
    await until(() => device.requests.includes('QPIRI'), 'the first QPIRI');
    const before = device.requests.length;
    expect(await driver.sendSetting('PBFT54.0')).toEqual({ ok: true });
    await until(() => device.requests.slice(before).includes('QPIRI'), 'the QPIRI read-back');
    const after = device.requests.slice(before);
    expect(after.indexOf('PBFT54.0')).toBeLessThan(after.indexOf('QPIRI'));
    expect(await driver.sendSetting('POP99')).toMatchObject({ ok: false, reason: 'nak' });
  });

  it('refuses malformed or non-setting text without sending it', async () => {
    const { driver, device } = setup();
    await driver.start();
    await until(() => device.requests.includes('QPIGS'), 'the first poll');
    const sent = device.requests.length;
    expect(await driver.sendSetting('PCVV53.800000000000004')).toMatchObject({ ok: false, reason: 'error' });
    expect(await driver.sendSetting('QPIGS')).toMatchObject({ ok: false, reason: 'error' });
    expect(await driver.sendSetting('PBFT5\r4.0')).toMatchObject({ ok: false, reason: 'error' });
    expect(device.requests.slice(sent).some((r) => r.startsWith('P'))).toBe(false);
  });

  it('reads settings and charge current options on demand', async () => {
    const { driver, device } = setup();
    await driver.start();
    await until(() => device.requests.includes('QPIGS'), 'the first poll');
    expect(await driver.readSettings()).toMatchObject({ batteryFloatVoltageV: 54.5, maxChargingCurrentA: 60 });
    expect(await driver.readChargeCurrentOptions('battery')).toEqual([10, 20, 30, 40, 50, 60]);
    expect(await driver.readChargeCurrentOptions('utility')).toBeNull();
  });

  it('answers offline for a setting while the inverter is unplugged', async () => {
    const { driver, link } = setup();
    await driver.start();
    await until(() => driver.linkState() === 'online', 'online');
    link.peer.disconnect();
    expect(await driver.sendSetting('PBFT54.0')).toMatchObject({ ok: false, reason: 'offline' });
    expect(await driver.readSettings()).toBeNull();
  });

  it('probes a silent inverter with QPIGS only, and resumes the full plan when it answers', async () => {
    const { driver, device } = setup({}, { offlineAfterFailures: 2 });
    await driver.start();
    await until(() => driver.linkState() === 'online', 'online');
    device.silent = true;
    await until(() => driver.linkState() === 'offline', 'offline');
    const mark = device.requests.length;
    await until(() => device.requests.length >= mark + 6, 'six probes');
    expect(new Set(device.requests.slice(mark))).toEqual(new Set(['QPIGS']));
    device.silent = false;
    await until(() => driver.linkState() === 'online', 'online again');
  });

  it('warns when a different inverter answers after a reconnect', async () => {
    const { driver, link, events, device } = setup();
    await driver.start();
    await until(() => driver.identity()?.serialNumber === '92932004102453', 'identity');
    link.peer.disconnect();
    device.table.QID = '92932004109999';
    link.peer.reconnect();
    await until(() => driver.identity()?.serialNumber === '92932004109999', 'the new identity');
    expect(events.find((e) => e.message.includes('different inverter'))).toMatchObject({
      kind: 'warning',
      data: { previous: '92932004102453', current: '92932004109999' },
    });
  });
});
