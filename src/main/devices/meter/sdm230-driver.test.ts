import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../../shared/samples.js';
import { encodeExceptionResponse, encodeReadInputRegistersResponse, float32ToRegisters, parseReadInputRegistersRequest, SDM230_REGISTERS } from '../../protocol/modbus/index.js';
import { createMemoryLink, type MemoryLink } from '../../transport/memory.js';
import { Sdm230Driver } from './sdm230-driver.js';

const READINGS: Record<string, number> = {
  voltageV: 230.2,
  currentA: 4.5,
  activePowerW: -850,
  apparentPowerVA: 1030,
  powerFactor: 0.98,
  frequencyHz: 49.98,
  importActiveEnergyKwh: 1138.5,
  exportActiveEnergyKwh: 512.25,
};

/** An SDM230 slave: answers reads of its id from a value table, with options to misbehave. */
function fakeMeter(link: MemoryLink, slaveId: number) {
  const state = { requests: [] as Array<{ slaveId: number; start: number; count: number }>, noise: false, exception: false };
  link.peer.onData((chunk) => {
    const request = parseReadInputRegistersRequest(chunk);
    if (!request.ok) return;
    state.requests.push(request.value);
    if (request.value.slaveId !== slaveId) return;
    if (state.exception) {
      link.peer.write(encodeExceptionResponse(slaveId, 0x04, 0x02));
      return;
    }
    const registers: number[] = [];
    for (let r = request.value.start; r < request.value.start + request.value.count; r += 2) {
      const field = SDM230_REGISTERS.find((x) => x.address === r)?.field;
      registers.push(...float32ToRegisters(field ? (READINGS[field] ?? 0) : 0));
    }
    const reply = encodeReadInputRegistersResponse(slaveId, registers.slice(0, request.value.count));
    if (state.noise) {
      // Stray zeros from the RS-485 driver, then the reply in two pieces.
      link.peer.write(Uint8Array.of(0x00, 0x00));
      link.peer.write(reply.subarray(0, 7));
      setTimeout(() => link.peer.write(reply.subarray(7)), 3);
    } else link.peer.write(reply);
  });
  return state;
}

let driver: Sdm230Driver | null = null;
afterEach(async () => {
  await driver?.stop();
  driver = null;
});

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

function setup(slaveId = 1, meterId = 1) {
  const link = createMemoryLink();
  const meter = fakeMeter(link, meterId);
  driver = new Sdm230Driver({ transport: link.transport, slaveId, pollMs: 10, replyTimeoutMs: 40, retries: 1 });
  const samples: Sample[] = [];
  driver.onSample((s) => samples.push(s));
  return { meter, driver, samples };
}

describe('Sdm230Driver', () => {
  it('reads everything in two requests per poll and emits one sdm230 sample', async () => {
    const { driver, meter, samples } = setup();
    await driver.start();
    await until(() => samples.length >= 2, 'two samples');
    expect(meter.requests.slice(0, 2)).toEqual([
      { slaveId: 1, start: 0x0000, count: 38 },
      { slaveId: 1, start: 0x0046, count: 10 },
    ]);
    expect(samples[0]).toMatchObject({ device: 'meter', source: 'sdm230' });
    for (const [field, value] of Object.entries(READINGS)) expect(samples[0]?.values[field]).toBeCloseTo(value, 3);
  });

  it('asks the configured slave id and finds its reply among stray zeros and split reads', async () => {
    const { driver, meter, samples } = setup(7, 7);
    meter.noise = true;
    await driver.start();
    await until(() => samples.length >= 2, 'two samples');
    expect(new Set(meter.requests.map((r) => r.slaveId))).toEqual(new Set([7]));
    expect(driver.stats()).toMatchObject({ timeouts: 0, crcErrors: 0 });
  });

  it('goes offline when the id is wrong, without emitting anything', async () => {
    const { driver, samples } = setup(2, 1);
    await driver.start();
    await until(() => driver.linkState() === 'offline', 'offline');
    expect(samples).toEqual([]);
  });

  it('counts an exception reply as a refusal, not as data', async () => {
    const { driver, meter, samples } = setup();
    meter.exception = true;
    await driver.start();
    await until(() => driver.stats().naks >= 2, 'two refusals');
    expect(samples).toEqual([]);
    expect(driver.linkState()).toBe('online');
  });
});
