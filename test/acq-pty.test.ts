/**
 * Acquisition over REAL pseudo-terminals: socat makes the pair, the device simulator holds one end, the
 * driver opens the other through the real `serialport` binding. Every fault the simulators can inject
 * must leave the driver polling, emit no wrong value, and the next good sample must arrive.
 * socat is required: without it these tests fail, they do not skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceStats, Sample } from '../src/shared/samples.js';
import { BmsDriver } from '../src/main/devices/bms/index.js';
import { InverterDriver } from '../src/main/devices/inverter/index.js';
import { Sdm230Driver } from '../src/main/devices/meter/index.js';
import type { DeviceDriver } from '../src/main/devices/types.js';
import { BmsSimulator, createPlant, exposeOnPty, InverterSimulator, MeterSimulator, type DeviceSimulator, type FaultSpec, type PtyAttachment } from '../src/main/sim/index.js';
import { SerialTransport } from '../src/main/transport/serial.js';

const until = async (condition: () => boolean, what: string, limitMs = 8000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const resourceCounts = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
};

/** Resources (timers, handles) alive now that were not alive at `baseline`. */
const leaked = (baseline: Map<string, number>): string[] =>
  [...resourceCounts()].filter(([name, n]) => n > (baseline.get(name) ?? 0)).map(([name, n]) => `${name} +${n - (baseline.get(name) ?? 0)}`);

/** The plant stands still (no clock), so every sample of one source must carry the same values. */
const plant = createPlant({ seed: 11, startTsMs: Date.UTC(2024, 5, 21, 7, 0) });
const link = (device: string): string => `/tmp/voltmon-acq-${process.pid}-${device}`;
const fast = { pacing: false, latencyMs: 5 };
const backoff = { initialMs: 100, maxMs: 400, factor: 2 };

interface Rig {
  sim: DeviceSimulator;
  driver: DeviceDriver;
  samples: Sample[];
  plug: PtyAttachment | null;
  linkPath: string;
  baseline: Map<string, number>;
}

async function startRig(sim: DeviceSimulator, linkPath: string, makeDriver: (transport: SerialTransport) => DeviceDriver): Promise<Rig> {
  const baseline = resourceCounts();
  const rig: Rig = { sim, driver: makeDriver(new SerialTransport({ device: { path: linkPath }, baudRate: sim.baud })), samples: [], plug: null, linkPath, baseline };
  rig.plug = await exposeOnPty(sim, { link: linkPath });
  rig.driver.onSample((s) => rig.samples.push(s));
  await rig.driver.start();
  return rig;
}

async function stopRig(rig: Rig | null): Promise<void> {
  if (!rig) return;
  await rig.driver.stop();
  await rig.plug?.close();
  rig.sim.close();
}

/** Inject a fault, see it counted, then see a fresh sample of `source` on an online link. */
async function recovers(rig: Rig, fault: FaultSpec, counted: (before: DeviceStats, after: DeviceStats) => boolean, source: string): Promise<void> {
  const before = rig.driver.stats();
  rig.sim.injectFault(fault);
  await until(() => counted(before, rig.driver.stats()), `${fault.kind} to be counted`);
  const mark = rig.samples.length;
  await until(() => rig.samples.slice(mark).some((s) => s.source === source) && rig.driver.linkState() === 'online', `a ${source} sample after ${fault.kind}`);
}

const more = (key: keyof DeviceStats) => (before: DeviceStats, after: DeviceStats) => (after[key] ?? 0) > (before[key] ?? 0);

/** Every field of every sample equals that field in the fullest sample (a sample may be partial, never different). */
function expectIdenticalSamples(samples: Sample[], source: string): void {
  const values = samples.filter((s) => s.source === source).map((s) => s.values);
  expect(values.length).toBeGreaterThan(3);
  const fullest = values.reduce((a, b) => (Object.keys(b).length > Object.keys(a).length ? b : a));
  for (const v of values) for (const [field, value] of Object.entries(v)) expect([field, value]).toEqual([field, fullest[field]]);
}

/** Handles of a killed child or a closed port are released a tick after their close events. */
const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('inverter over a pty', () => {
  let rig: Rig | null = null;
  let setupError: unknown = null;
  /** The rig, or the reason it could not be built (socat missing): every test then fails with it. */
  const current = (): Rig => {
    if (rig) return rig;
    throw setupError ?? new Error('the rig was already stopped');
  };
  beforeAll(async () => {
    try {
      const sim = new InverterSimulator(plant, { ...fast, serialNumber: '92932105105335' });
      rig = await startRig(sim, link('inverter'), (transport) =>
        new InverterDriver({ transport, poll: { QPIGS: 100, QMOD: 300, QPIWS: 300, QPIRI: 1000, Q1: 1000 }, replyTimeoutMs: 300, retries: 1, backoff }),
      );
    } catch (err) {
      setupError = err;
    }
  });
  afterAll(() => stopRig(rig));

  it('identifies the unit and polls every command of the plan', async () => {
    const r = current();
    await until(() => ['QPIGS', 'QMOD', 'QPIWS', 'QPIRI', 'Q1'].every((c) => r.samples.some((s) => s.source === c)), 'a sample of every plan command');
    expect((r.driver as InverterDriver).identity()).toMatchObject({ protocolId: 'PI30', serialNumber: '92932105105335' });
    expect(r.samples.find((s) => s.source === 'QPIGS')?.values.batteryVoltageV).toBeGreaterThan(40);
  });

  it('recovers from garbage instead of a reply', () => recovers(current(), { kind: 'garbage' }, more('crcErrors'), 'QPIGS'));
  it('finds a reply behind leading garbage', async () => {
    const r = current();
    const before = r.driver.stats();
    await recovers(r, { kind: 'garbage', keepReply: true, count: 3 }, (_b, a) => a.framesOk >= before.framesOk + 3, 'QPIGS');
    expect(r.driver.stats().timeouts).toBe(before.timeouts);
  });
  it('recovers from a bad CRC', () => recovers(current(), { kind: 'badCrc' }, more('crcErrors'), 'QPIGS'));
  it('recovers from a truncated reply', () => recovers(current(), { kind: 'truncate' }, more('crcErrors'), 'QPIGS'));
  it('recovers from a NAK', () => recovers(current(), { kind: 'nak' }, more('naks'), 'QPIGS'));
  it('recovers from silence', () => recovers(current(), { kind: 'silence' }, more('timeouts'), 'QPIGS'));
  it('waits for a slow reply within the timeout', async () => {
    await recovers(current(), { kind: 'slow', delayMs: 150, count: 2 }, (_b, a) => (a.lastPollLatencyMs ?? 0) >= 150, 'QPIGS');
  });
  it('recovers from a reply slower than the timeout', () => recovers(current(), { kind: 'slow', delayMs: 500 }, more('timeouts'), 'QPIGS'));

  it('goes offline while the device is deaf and comes back', async () => {
    const r = current();
    const states: string[] = [];
    const off = r.driver.onLinkState((s) => states.push(s));
    await recovers(r, { kind: 'disconnect', durationMs: 2500 }, () => r.driver.linkState() === 'offline', 'QPIGS');
    off();
    expect(states).toEqual(['offline', 'online']);
  });

  it('reconnects by itself after the port vanishes and comes back', async () => {
    const r = current();
    const reconnects = r.driver.stats().reconnects;
    await r.plug?.close();
    r.plug = null;
    await until(() => r.driver.linkState() === 'offline', 'offline after the unplug');
    await new Promise((resolve) => setTimeout(resolve, 600));
    r.plug = await exposeOnPty(r.sim, { link: r.linkPath });
    const mark = r.samples.length;
    await until(() => r.driver.linkState() === 'online' && r.samples.slice(mark).some((s) => s.source === 'QPIGS'), 'samples after the re-plug');
    expect(r.driver.stats().reconnects).toBe(reconnects + 1);
  });

  it('emitted no wrong value and stops without leaving a timer or handle', async () => {
    const r = current();
    expectIdenticalSamples(r.samples, 'QPIGS');
    expectIdenticalSamples(r.samples, 'QMOD');
    await stopRig(r);
    rig = null;
    await settled();
    expect(leaked(r.baseline)).toEqual([]);
  });
});

describe('BMS over a pty', () => {
  let rig: Rig | null = null;
  let setupError: unknown = null;
  const current = (): Rig => {
    if (rig) return rig;
    throw setupError ?? new Error('the rig was already stopped');
  };
  const bms = new BmsSimulator(plant, { ...fast, hostAddresses: [0x80] });
  beforeAll(async () => {
    try {
      rig = await startRig(bms, link('bms'), (transport) => new BmsDriver({ transport, address: 0x80, pollMs: 100, cellsPollMs: 100, statusPollMs: 100, replyTimeoutMs: 200, retries: 1, backoff }));
    } catch (err) {
      setupError = err;
    }
  });
  afterAll(() => stopRig(rig));

  it('reads the pack: 16 cells, counts from 0x94', async () => {
    const r = current();
    await until(() => r.samples.some((s) => s.source === '0x95') && r.samples.some((s) => s.source === '0x98'), 'a full cycle');
    const cells = r.samples.find((s) => s.source === '0x95')?.values ?? {};
    expect(Object.keys(cells).filter((k) => k.startsWith('cellVoltagesV['))).toHaveLength(16);
  });

  it('recovers from garbage', () => recovers(current(), { kind: 'garbage' }, more('crcErrors'), '0x90'));
  it('recovers from a bad checksum', () => recovers(current(), { kind: 'badCrc' }, more('crcErrors'), '0x90'));
  it('recovers from a truncated reply', () => recovers(current(), { kind: 'truncate' }, more('crcErrors'), '0x90'));
  // Zeros are the normal answer of 0x97/0x98, so a whole cycle of zeros is needed to be sure some are refused.
  it('discards the zeros of a refusal', () => recovers(current(), { kind: 'nak', count: 9 }, more('implausible'), '0x90'));
  it('recovers from silence', () => recovers(current(), { kind: 'silence' }, more('timeouts'), '0x90'));
  it('recovers from a slow reply', () => recovers(current(), { kind: 'slow', delayMs: 400 }, more('timeouts'), '0x90'));

  it('goes offline while the BMS sleeps and comes back online by itself', async () => {
    const r = current();
    const states: string[] = [];
    const off = r.driver.onLinkState((s) => states.push(s));
    bms.sleep(2500);
    await until(() => r.driver.linkState() === 'offline', 'offline while asleep');
    const asleep = r.samples.length;
    await until(() => !bms.asleep, 'the BMS to wake', 5000);
    expect(r.samples.length).toBe(asleep);
    await until(() => r.driver.linkState() === 'online' && r.samples.slice(asleep).some((s) => s.source === '0x95'), 'cells after waking');
    off();
    expect(states).toEqual(['offline', 'online']);
  });

  it('emitted no wrong value and stops without leaving a timer or handle', async () => {
    const r = current();
    expectIdenticalSamples(r.samples, '0x95');
    expectIdenticalSamples(r.samples, '0x90');
    expectIdenticalSamples(r.samples, '0x93');
    await stopRig(r);
    rig = null;
    await settled();
    expect(leaked(r.baseline)).toEqual([]);
  });
});

describe('SDM230 meter over a pty', () => {
  let rig: Rig | null = null;
  let setupError: unknown = null;
  /** The rig, or the reason it could not be built (socat missing): every test then fails with it. */
  const current = (): Rig => {
    if (rig) return rig;
    throw setupError ?? new Error('the rig was already stopped');
  };
  beforeAll(async () => {
    try {
      const sim = new MeterSimulator(plant, { ...fast });
      rig = await startRig(sim, link('meter'), (transport) => new Sdm230Driver({ transport, slaveId: 1, pollMs: 100, replyTimeoutMs: 200, retries: 1, backoff }));
    } catch (err) {
      setupError = err;
    }
  });
  afterAll(() => stopRig(rig));

  it('reads the meter', async () => {
    const r = current();
    await until(() => r.samples.some((s) => s.source === 'sdm230'), 'a meter sample');
    expect(r.samples[0]?.values.voltageV).toBeGreaterThan(200);
  });

  it('recovers from garbage', () => recovers(current(), { kind: 'garbage' }, more('crcErrors'), 'sdm230'));
  it('recovers from a bad CRC', () => recovers(current(), { kind: 'badCrc' }, more('crcErrors'), 'sdm230'));
  it('recovers from a truncated reply', () => recovers(current(), { kind: 'truncate' }, more('crcErrors'), 'sdm230'));
  it('counts an exception reply as a refusal', () => recovers(current(), { kind: 'nak' }, more('naks'), 'sdm230'));
  it('recovers from silence', () => recovers(current(), { kind: 'silence' }, more('timeouts'), 'sdm230'));
  it('recovers from a slow reply', () => recovers(current(), { kind: 'slow', delayMs: 400 }, more('timeouts'), 'sdm230'));
  it('goes offline while the meter is deaf and comes back', () =>
    recovers(current(), { kind: 'disconnect', durationMs: 2500 }, () => (current()).driver.linkState() === 'offline', 'sdm230'));

  it('emitted no wrong value and stops without leaving a timer or handle', async () => {
    const r = current();
    expectIdenticalSamples(r.samples, 'sdm230');
    await stopRig(r);
    rig = null;
    await settled();
    expect(leaked(r.baseline)).toEqual([]);
  });
});
