import { afterEach, describe, expect, it } from 'vitest';
import {
  DalyFrameAssembler,
  decodeDalyResponse,
  encodeDalyFrame,
  encodeDalyRequest,
  encodeSetChargeMos,
  encodeSetDischargeMos,
  encodeSetSoc,
} from '../src/main/protocol/daly/index.js';
import { BmsSimulator, createPlant, type Plant } from '../src/main/sim/index.js';
import { connect, dalyComplete, never } from './sim-helpers.js';

const EVENING = Date.UTC(2024, 5, 21, 18);
const simulators: BmsSimulator[] = [];
afterEach(() => simulators.splice(0).forEach((s) => s.close()));

function setup(options: ConstructorParameters<typeof BmsSimulator>[1] = {}): { plant: Plant; sim: BmsSimulator } {
  const plant = createPlant({ seed: 31, startTsMs: EVENING, battery: { initialSocPct: 70 } });
  plant.setOverrides({ pvAvailableW: 0, loadDemandW: 1500 });
  plant.step(120_000);
  const sim = new BmsSimulator(plant, { pacing: false, latencyMs: 0, ...options });
  simulators.push(sim);
  return { plant, sim };
}

const unwrap = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
};

describe('BMS simulator (Daly over a memory link)', () => {
  it('answers 0x90-0x98 with frames the real codec decodes to the plant values', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const ask = async (dataId: number, frames = 1) => client.ask(encodeDalyRequest(dataId, { address: 0x80 }), dalyComplete(frames));
    const r = plant.bms.readings();
    expect(r.currentA).toBeLessThan(-10);
    expect(unwrap(decodeDalyResponse(0x90, await ask(0x90)))).toMatchObject({
      totalVoltageV: r.totalVoltageV,
      currentA: r.currentA,
      socPct: r.socPct,
    });
    expect(unwrap(decodeDalyResponse(0x91, await ask(0x91)))).toMatchObject({
      maxCellVoltageV: r.maxCellVoltageV,
      maxCellNumber: r.maxCellNumber,
      minCellVoltageV: r.minCellVoltageV,
      minCellNumber: r.minCellNumber,
    });
    expect(unwrap(decodeDalyResponse(0x92, await ask(0x92)))).toMatchObject({ maxTemperatureC: r.maxTemperatureC, minTemperatureC: r.minTemperatureC });
    expect(unwrap(decodeDalyResponse(0x93, await ask(0x93)))).toMatchObject({
      state: 2,
      chargeMosOn: true,
      dischargeMosOn: true,
      remainingCapacityAh: r.remainingCapacityAh,
    });
    const status = unwrap(decodeDalyResponse(0x94, await ask(0x94)));
    expect(status).toMatchObject({ cellCount: 16, temperatureSensorCount: 2, loadConnected: true, cycleCount: r.cycleCount });
    const cells = unwrap(decodeDalyResponse(0x95, await ask(0x95, 6), { cellCount: 16 }));
    expect(cells.cellVoltagesV).toEqual(r.cellVoltagesV);
    expect(cells.frameCount).toBe(6);
    const temperatures = unwrap(decodeDalyResponse(0x96, await ask(0x96), { temperatureSensorCount: 2 }));
    expect(temperatures.temperaturesC).toEqual(r.temperaturesC);
    expect(unwrap(decodeDalyResponse(0x97, await ask(0x97)))).toMatchObject({ balancingCells: r.balancingCells });
    expect(unwrap(decodeDalyResponse(0x98, await ask(0x98)))).toMatchObject({ activeAlarms: r.activeAlarms, faultCode: 0 });
  });

  it('reports balancing cells and alarms as bits the codec reads back by name', async () => {
    const { plant, sim } = setup();
    plant.setOverrides({ pvAvailableW: 4000, loadDemandW: 100 });
    plant.inverter.applySetting('PCVV57.6');
    plant.inverter.applySetting('PBFT57.6');
    // Charge hard to the top: the fullest cells climb first and the balancer bleeds them.
    let r = plant.bms.readings();
    for (let i = 0; i < 24 * 60 && r.balancingCells.length === 0; i++) {
      plant.step(60_000);
      r = plant.bms.readings();
    }
    expect(r.balancingCells.length).toBeGreaterThan(0);
    const client = await connect(sim);
    const balancing = unwrap(decodeDalyResponse(0x97, await client.ask(encodeDalyRequest(0x97), dalyComplete(1))));
    expect(balancing.balancingCells).toEqual(plant.bms.readings().balancingCells);
    const failures = unwrap(decodeDalyResponse(0x98, await client.ask(encodeDalyRequest(0x98), dalyComplete(1))));
    expect(failures.activeAlarms).toEqual(plant.bms.readings().activeAlarms);
  });

  it('sends 16 cell frames when configured like the BMSs that always do', async () => {
    const { sim } = setup({ cellVoltageFrames: 'all' });
    const client = await connect(sim);
    const reply = await client.ask(encodeDalyRequest(0x95), dalyComplete(16));
    expect(new DalyFrameAssembler().push(reply)).toHaveLength(16);
    expect(unwrap(decodeDalyResponse(0x95, reply, { cellCount: 16 })).cellVoltagesV).toHaveLength(16);
  });

  it('switches its MOSFETs on 0xD9/0xDA, echoes the state and shows it in 0x93', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const off = await client.ask(unwrap(encodeSetChargeMos(false)), dalyComplete(1));
    expect(off[2]).toBe(0xda);
    expect(off[4]).toBe(0x00);
    expect(plant.bms.readings().chargeMosOn).toBe(false);
    await client.ask(unwrap(encodeSetDischargeMos(false)), dalyComplete(1));
    const mos = unwrap(decodeDalyResponse(0x93, await client.ask(encodeDalyRequest(0x93), dalyComplete(1))));
    expect(mos).toMatchObject({ chargeMosOn: false, dischargeMosOn: false });
    const on = await client.ask(unwrap(encodeSetChargeMos(true)), dalyComplete(1));
    expect(on[4]).toBe(0x01);
    expect(plant.bms.readings().chargeMosOn).toBe(true);
  });

  it('sets its SOC on 0x21', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const reply = await client.ask(unwrap(encodeSetSoc(100)), dalyComplete(1));
    expect(reply[4]).toBe(1);
    expect(plant.bms.readings().socPct).toBe(100);
  });

  it('ignores other host addresses, broken checksums and unknown data ids', async () => {
    const { sim } = setup({ hostAddresses: [0x40] });
    const client = await connect(sim);
    expect((await client.ask(encodeDalyRequest(0x90, { address: 0x80 }), never, 150)).length).toBe(0);
    const broken = encodeDalyRequest(0x90, { address: 0x40 });
    broken[12] = ((broken[12] ?? 0) + 1) & 0xff;
    expect((await client.ask(broken, never, 150)).length).toBe(0);
    expect((await client.ask(encodeDalyRequest(0x50, { address: 0x40 }), never, 150)).length).toBe(0);
    expect(decodeDalyResponse(0x90, await client.ask(encodeDalyRequest(0x90, { address: 0x40 }), dalyComplete(1))).ok).toBe(true);
  });

  it('keeps stale bytes of the previous reply in reserved bytes, as the real BMS does', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const packStatus = await client.ask(encodeDalyRequest(0x90), dalyComplete(1));
    const extremes = await client.ask(encodeDalyRequest(0x91), dalyComplete(1));
    // 0x91 uses data bytes 0-5; bytes 6-7 still hold the SOC of the 0x90 reply.
    expect([...extremes.subarray(10, 12)]).toEqual([...packStatus.subarray(10, 12)]);
    expect(decodeDalyResponse(0x91, extremes).ok).toBe(true);
  });

  it('does not answer while asleep and loses the first request after waking', async () => {
    let nowMs = 0;
    const { sim } = setup({ now: () => nowMs });
    const client = await connect(sim);
    sim.sleep(60_000);
    expect((await client.ask(encodeDalyRequest(0x90), never, 100)).length).toBe(0);
    nowMs = 59_999;
    expect((await client.ask(encodeDalyRequest(0x90), never, 100)).length).toBe(0);
    nowMs = 60_000;
    expect(sim.asleep).toBe(false);
    expect((await client.ask(encodeDalyRequest(0x90), never, 100)).length).toBe(0);
    expect(decodeDalyResponse(0x90, await client.ask(encodeDalyRequest(0x90), dalyComplete(1))).ok).toBe(true);
  });

  it('breaks the checksum, zeroes the data or truncates on request', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    sim.injectFault({ kind: 'badCrc' });
    const bad = decodeDalyResponse(0x90, await client.ask(encodeDalyRequest(0x90), dalyComplete(1)));
    expect(bad.ok ? 'ok' : bad.error.code).toBe('checksum');
    sim.injectFault({ kind: 'nak' });
    const zeros = await client.ask(encodeDalyRequest(0x90), dalyComplete(1));
    expect(zeros).toEqual(Buffer.from(encodeDalyFrame(0x01, 0x90, new Uint8Array(8))));
    sim.injectFault({ kind: 'truncate' });
    const cut = await client.ask(encodeDalyRequest(0x95), never, 150);
    expect(cut.length).toBeLessThan(13 * 6);
    expect(decodeDalyResponse(0x95, cut, { cellCount: 16 }).ok).toBe(false);
  });

  it('can send the current with the opposite sign, like one reported firmware', async () => {
    const { plant, sim } = setup({ currentSign: 'inverted' });
    const client = await connect(sim);
    const pack = unwrap(decodeDalyResponse(0x90, await client.ask(encodeDalyRequest(0x90), dalyComplete(1))));
    expect(pack.currentA).toBeCloseTo(-plant.bms.readings().currentA, 5);
    const corrected = unwrap(decodeDalyResponse(0x90, await client.ask(encodeDalyRequest(0x90), dalyComplete(1)), { invertCurrent: true }));
    expect(corrected.currentA).toBeCloseTo(plant.bms.readings().currentA, 5);
  });
});
