import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/samples.js';
import { encodeDalyFrame, parseDalyRequest } from '../../protocol/daly/index.js';
import { createMemoryLink, type MemoryLink } from '../../transport/memory.js';
import { BmsDriver, type BmsDriverOptions } from './bms-driver.js';

const CELLS_MV = Array.from({ length: 16 }, (_, i) => 3300 + i);

/** A 16S Daly BMS with 4 sensors, in a few lines; `mode` switches it to sleeping behaviours. */
function fakeBms(link: MemoryLink) {
  const state = {
    mode: 'awake' as 'awake' | 'zeros' | 'silent',
    sixteenFrames: false,
    echo: false,
    chargeMos: true,
    obeysMos: true,
    requests: [] as Array<{ address: number; dataId: number }>,
  };
  const reply = (dataId: number, data: number[]): Uint8Array => encodeDalyFrame(0x01, dataId, Uint8Array.from({ length: 8 }, (_, i) => data[i] ?? 0));
  const replies = (dataId: number): Uint8Array[] => {
    if (state.mode === 'zeros') return [reply(dataId, [])];
    switch (dataId) {
      case 0x90:
        return [reply(0x90, [0x02, 0x10, 0, 0, 0x75, 0x94, 0x02, 0x9e])]; // 52.8 V, raw 30100 → -10 A, 67.0 %
      case 0x91:
        return [reply(0x91, [0x0c, 0xf3, 16, 0x0c, 0xe4, 1])];
      case 0x92:
        return [reply(0x92, [62, 1, 60, 3])];
      case 0x93:
        return [reply(0x93, [2, state.chargeMos ? 1 : 0, 1, 7, 0x00, 0x02, 0xbf, 0x20])];
      case 0x94:
        return [reply(0x94, [16, 4, 0, 1, 0, 0x00, 0x2a])];
      case 0x95: {
        const frames = state.sixteenFrames ? 16 : 6;
        return Array.from({ length: frames }, (_, f) => {
          const cells = [0, 1, 2].map((k) => CELLS_MV[f * 3 + k] ?? 0);
          return reply(0x95, [f + 1, ...cells.flatMap((mv) => [mv >> 8, mv & 0xff])]);
        });
      }
      case 0x96:
        return [reply(0x96, [1, 61, 62, 60, 61])];
      case 0x97:
        return [reply(0x97, [0x90])];
      case 0x98:
        return [reply(0x98, [])];
      case 0xda:
        return [reply(0xda, [state.chargeMos ? 1 : 0, 1])];
      default:
        return [];
    }
  };
  link.peer.onData((chunk) => {
    const request = parseDalyRequest(chunk);
    if (!request.ok) return;
    state.requests.push({ address: request.value.address, dataId: request.value.dataId });
    if (state.mode === 'silent') return;
    if (request.value.dataId === 0xda && state.obeysMos) state.chargeMos = request.value.data[0] === 1;
    if (state.echo) link.peer.write(chunk);
    link.peer.write(Buffer.concat(replies(request.value.dataId)));
  });
  return state;
}

let driver: BmsDriver | null = null;
afterEach(async () => {
  await driver?.stop();
  driver = null;
});

function setup(options: Partial<BmsDriverOptions> = {}) {
  const link = createMemoryLink();
  const bms = fakeBms(link);
  driver = new BmsDriver({ transport: link.transport, pollMs: 10, cellsPollMs: 10, statusPollMs: 10, replyTimeoutMs: 40, retries: 1, offlineAfterFailures: 3, ...options });
  const samples: Sample[] = [];
  driver.onSample((s) => samples.push(s));
  return { link, bms, driver, samples };
}

/**
 * For tests in which the BMS always answers: a reply that is merely late on a busy machine must not time out
 * and be asked again (which would add a request, a timeout, or drop a sample the test counts).
 */
const PATIENT = { replyTimeoutMs: 1000 } as const;

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

const bySource = (samples: Sample[], source: string) => samples.filter((s) => s.source === source);

describe('BmsDriver', () => {
  it('reads 0x94 first, then every data id, with 16 cells and 4 sensors', async () => {
    const { driver, bms, samples } = setup(PATIENT);
    await driver.start();
    await until(() => bySource(samples, '0x98').length >= 1, 'a full cycle');
    expect(bms.requests.slice(0, 9).map((r) => r.dataId)).toEqual([0x94, 0x90, 0x91, 0x92, 0x93, 0x95, 0x96, 0x97, 0x98]);
    expect(bms.requests[0]?.address).toBe(0x80);
    const cells = bySource(samples, '0x95')[0]?.values ?? {};
    expect(Object.keys(cells).filter((k) => k.startsWith('cellVoltagesV['))).toHaveLength(16);
    expect(cells['cellVoltagesV[15]']).toBe(3.315);
    expect(bySource(samples, '0x96')[0]?.values).toEqual({ 'temperaturesC[0]': 21, 'temperaturesC[1]': 22, 'temperaturesC[2]': 20, 'temperaturesC[3]': 21 });
    expect(bySource(samples, '0x90')[0]?.values).toMatchObject({ totalVoltageV: 52.8, currentA: -10, socPct: 67 });
    expect(bySource(samples, '0x93')[0]?.values).toMatchObject({ state: 'discharging', chargeMosOn: true, remainingCapacityAh: 180 });
    expect(bySource(samples, '0x97')[0]?.values).toMatchObject({ balancingCells: '5,8' });
    expect(driver.packLayout()).toEqual({ cellCount: 16, temperatureSensorCount: 4 });
  });

  it('uses the configured host address and current sign', async () => {
    const { driver, bms, samples } = setup({ address: 0x40, currentSign: 'positiveDischarging' });
    await driver.start();
    await until(() => bySource(samples, '0x90').length >= 1, 'a 0x90 sample');
    expect(new Set(bms.requests.map((r) => r.address))).toEqual(new Set([0x40]));
    expect(bySource(samples, '0x90')[0]?.values.currentA).toBe(10);
  });

  it('discards the zeros of a sleeping BMS, goes offline, and comes back by itself', async () => {
    const { driver, bms, samples } = setup();
    await driver.start();
    await until(() => driver.linkState() === 'online', 'online');
    bms.mode = 'zeros';
    await until(() => driver.linkState() === 'offline', 'offline while asleep');
    const asleepAt = samples.length;
    const probesFrom = bms.requests.length;
    await until(() => driver.stats().implausible >= 6, 'more zero replies');
    expect(samples.slice(asleepAt)).toEqual([]);
    // Probed only with tables whose zeros give a sleeping BMS away, never with 0x97/0x98 ("no balancing, no alarm").
    const probes = bms.requests.slice(probesFrom).map((r) => r.dataId);
    expect(probes).not.toContain(0x97);
    expect(probes).not.toContain(0x98);
    expect(samples.filter((s) => s.source === '0x93').every((s) => s.values.remainingCapacityAh === 180)).toBe(true);
    bms.mode = 'awake';
    await until(() => driver.linkState() === 'online' && bySource(samples.slice(asleepAt), '0x95').length > 0, 'cells after waking');
    const awake = samples.slice(asleepAt);
    expect(bySource(awake, '0x90').every((s) => s.values.totalVoltageV === 52.8)).toBe(true);
    expect(bySource(awake, '0x95').flatMap((s) => Object.values(s.values))).not.toContain(0);
  });

  it('probes a sleeping BMS with 0x90, not with the 0x97/0x98 that fall due in between, and stores none of their zeros', async () => {
    // 0x97/0x98 are due ten times as often as 0x90, so most turns while offline have only them due.
    const { driver, bms, samples } = setup({ dataIds: [0x90, 0x97, 0x98], pollMs: 100, statusPollMs: 10 });
    await driver.start();
    await until(() => bySource(samples, '0x90').length >= 1, 'a 0x90 sample');
    const before = driver.stats().implausible;
    bms.mode = 'zeros';
    // Zeros of 0x97/0x98 asked before the next 0x90 cannot be told from "no balancing, no alarm"; the first refused 0x90 can.
    await until(() => driver.stats().implausible > before, 'a refused 0x90');
    const asleepAt = samples.length;
    await until(() => driver.linkState() === 'offline', 'offline while asleep');
    const probesFrom = bms.requests.length;
    await until(() => bms.requests.slice(probesFrom).length >= 3, 'three probes');
    expect(samples.slice(asleepAt)).toEqual([]);
    expect(new Set(bms.requests.slice(probesFrom).map((r) => r.dataId))).toEqual(new Set([0x90]));
    expect(driver.linkState()).toBe('offline');
    bms.mode = 'awake';
    await until(() => driver.linkState() === 'online' && bySource(samples.slice(asleepAt), '0x97').length > 0, '0x97 after waking');
    expect(bySource(samples.slice(asleepAt), '0x97').every((s) => s.values.balancingCells === '5,8')).toBe(true);
  });

  it('goes offline when the BMS falls silent and online when it answers again', async () => {
    const { driver, bms } = setup();
    await driver.start();
    await until(() => driver.linkState() === 'online', 'online');
    bms.mode = 'silent';
    await until(() => driver.linkState() === 'offline', 'offline');
    expect(driver.stats().timeouts).toBeGreaterThanOrEqual(3);
    bms.mode = 'awake';
    await until(() => driver.linkState() === 'online', 'online again');
  });

  it('reads the live values more often than the cells, and the cells more often than the alarms', async () => {
    const { driver, samples } = setup({ ...PATIENT, pollMs: 10, cellsPollMs: 100, statusPollMs: 400 });
    await driver.start();
    // Three: the second read comes on the plan's grid of whole intervals, which may be right after the first.
    await until(() => bySource(samples, '0x98').length >= 3, 'three alarm reads');
    const count = (source: string): number => bySource(samples, source).length;
    // Intervals 1:10:40; the loose factors leave room for a slow machine without making the plan pass by accident.
    expect(count('0x90')).toBeGreaterThan(3 * count('0x95'));
    expect(count('0x93')).toBeGreaterThan(3 * count('0x91'));
    expect(count('0x95')).toBeGreaterThan(count('0x98'));
    expect(count('0x94')).toBe(count('0x98'));
  });

  it('keeps 0x94 in the turns of the other status tables when the clock moves between open and the first turn', async () => {
    // The first turn starts 5 ms after the link opened (a busy machine): 0x94, asked first for the counts, keeps its slot.
    let calls = 0;
    const clock = (): number => Date.now() + (calls++ === 0 ? 0 : 5);
    const { driver, samples } = setup({ ...PATIENT, pollMs: 10, cellsPollMs: 100, statusPollMs: 400, clock });
    await driver.start();
    await until(() => bySource(samples, '0x98').length >= 2, 'two alarm reads');
    const turnsWith94 = new Set(bySource(samples, '0x94').map((s) => s.tsMs));
    expect(bySource(samples, '0x98').map((s) => turnsWith94.has(s.tsMs))).toEqual([true, true]);
  });

  it('copes with a BMS that sends 16 cell frames and an adapter that echoes requests', async () => {
    const { driver, bms, samples } = setup(PATIENT);
    bms.sixteenFrames = true;
    bms.echo = true;
    await driver.start();
    await until(() => bySource(samples, '0x98').length >= 3, 'three full cycles');
    expect(bySource(samples, '0x95')[2]?.values['cellVoltagesV[0]']).toBe(3.3);
    expect(driver.stats()).toMatchObject({ timeouts: 0, crcErrors: 0, implausible: 0 });
  });

  it('switches the charge MOS and confirms it from 0x93', async () => {
    const { driver, bms } = setup(PATIENT);
    await driver.start();
    await until(() => driver.linkState() === 'online', 'online');
    expect(await driver.setChargeMos(false)).toEqual({ ok: true, chargeMosOn: false });
    expect(bms.chargeMos).toBe(false);
    bms.obeysMos = false;
    expect(await driver.setChargeMos(true)).toMatchObject({ ok: false, reason: 'notConfirmed' });
  });
});

describe('BmsDriver and a 0x93 of zeros', () => {
  it('drops it as implausible instead of reporting both MOSFETs off', async () => {
    // Never offline, so the whole cycle (0x93 included) keeps being asked while the BMS answers zeros.
    const { driver, bms, samples } = setup({ offlineAfterFailures: 1000 });
    await driver.start();
    await until(() => bySource(samples, '0x93').length >= 1, 'a 0x93 sample');
    bms.mode = 'zeros';
    const before = driver.stats().implausible;
    await until(() => driver.stats().implausible >= before + 20, 'zero replies counted');
    bms.mode = 'awake';
    await until(() => bySource(samples, '0x93').length >= 3, 'more 0x93 samples');
    expect(bySource(samples, '0x93').map((s) => s.values.chargeMosOn)).not.toContain(false);
  });

  it('drops the zero 0x97/0x98 of the same sleeping BMS too, and keeps real zeros of an awake one', async () => {
    const { driver, bms, samples } = setup({ offlineAfterFailures: 1000 });
    await driver.start();
    await until(() => bySource(samples, '0x98').length >= 1, 'a full cycle');
    // An awake BMS without alarms sends a zero 0x98: a value, stored.
    expect(bySource(samples, '0x98')[0]?.values).toMatchObject({ activeAlarms: '', faultCode: 0 });
    const before = driver.stats().implausible;
    bms.mode = 'zeros';
    // A cycle already under way may still store a zero 0x97/0x98 before any table gives the sleep away.
    await until(() => driver.stats().implausible > before, 'a refused table');
    const asleepAt = samples.length;
    await until(() => driver.stats().implausible >= before + 30, 'zero replies counted');
    expect(samples.slice(asleepAt)).toEqual([]);
    bms.mode = 'awake';
    await until(() => bySource(samples.slice(asleepAt), '0x97').length >= 1, '0x97 after waking');
    expect(bySource(samples.slice(asleepAt), '0x97')[0]?.values).toMatchObject({ balancingCells: '5,8' });
  });
});
