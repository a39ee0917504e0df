import { afterEach, describe, expect, it } from 'vitest';
import { decodeResponse, encodeRequest, Pi30FrameAssembler } from '../src/main/protocol/pi30/index.js';
import { createPlant, InverterSimulator, type Plant } from '../src/main/sim/index.js';
import { capturedPi30Payload, connect, never, pi30Complete, shapeOf } from './sim-helpers.js';

const NOON = Date.UTC(2024, 5, 21, 10);
const simulators: InverterSimulator[] = [];
afterEach(() => simulators.splice(0).forEach((s) => s.close()));

function setup(options: ConstructorParameters<typeof InverterSimulator>[1] = {}, plant?: Plant) {
  const p = plant ?? createPlant({ seed: 21, startTsMs: NOON });
  p.step(60_000);
  const sim = new InverterSimulator(p, { pacing: false, latencyMs: 0, ...options });
  simulators.push(sim);
  return { plant: p, sim };
}

const fields = (reply: Buffer): string[] => reply.subarray(1, reply.length - 3).toString('latin1').split(' ');

describe('inverter simulator (PI30 over a memory link)', () => {
  it('answers every query with a frame the real codec decodes, carrying the plant values', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const decoded: Record<string, Record<string, unknown>> = {};
    for (const command of ['QPI', 'QID', 'QVFW', 'QVFW2', 'QPIGS', 'QPIRI', 'QMOD', 'QPIWS', 'Q1', 'QFLAG', 'QDI', 'QMCHGCR', 'QMUCHGCR']) {
      const reply = await client.ask(encodeRequest(command), pi30Complete);
      const result = decodeResponse(command, reply);
      expect(result.ok, `${command}: ${JSON.stringify(result)}`).toBe(true);
      if (result.ok) decoded[command] = result.value;
    }
    const qpigs = plant.inverter.qpigs();
    expect(decoded.QPIGS).toMatchObject({
      gridVoltageV: qpigs.gridVoltageV,
      acOutputActivePowerW: qpigs.acOutputActivePowerW,
      batteryVoltageV: qpigs.batteryVoltageV,
      batteryChargingCurrentA: qpigs.batteryChargingCurrentA,
      pvChargingPowerW: qpigs.pvChargingPowerW,
      deviceStatusBits: qpigs.deviceStatusBits,
      fieldCount: 21,
    });
    expect(qpigs.pvChargingPowerW).toBeGreaterThan(0);
    expect(decoded.QPIRI).toMatchObject({ batteryBulkVoltageV: 55.2, batteryFloatVoltageV: 54, outputSourcePriority: 2, fieldCount: 27 });
    expect(decoded.QMOD).toMatchObject({ mode: plant.inverter.qmod() });
    expect(decoded.QPIWS).toMatchObject({ bitCount: 36, severity: 'ok' });
    expect(decoded.Q1).toMatchObject({ fieldCount: 27 });
    expect(decoded.QMCHGCR).toMatchObject({ optionsA: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120] });
    expect(decoded.QPI).toMatchObject({ protocolId: 'PI30' });
  });

  it('formats fields with the widths of captured replies', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const cases: Array<[string, string]> = [
      ['QPIGS', 'pi30-qpigs-21f-max'],
      ['Q1', 'pi30-q1-27f-constructed'],
      ['QDI', 'pi30-qdi-26f'],
      ['QMCHGCR', 'pi30-qmchgcr-1'],
    ];
    for (const [command, fixture] of cases) {
      const ours = fields(await client.ask(encodeRequest(command), pi30Complete)).map(shapeOf);
      const captured = capturedPi30Payload(fixture).split(' ').map(shapeOf);
      expect(ours, command).toEqual(captured);
    }
    // QPIRI: fields 0-24 as on a VM III, 25-26 as on the 27-field capture.
    const qpiri = fields(await client.ask(encodeRequest('QPIRI'), pi30Complete)).map(shapeOf);
    const vmiii = capturedPi30Payload('pi30-qpiri-25f-vmiii').split(' ').map(shapeOf);
    const longer = capturedPi30Payload('pi30-qpiri-27f-120v-split').split(' ').map(shapeOf);
    expect(qpiri.slice(0, 25)).toEqual(vmiii);
    expect(qpiri.slice(25)).toEqual(longer.slice(25));
  });

  it('applies settings with ACK, refuses bad values and bad CRCs with NAK', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const ask = (bytes: Uint8Array) => client.ask(bytes, pi30Complete);
    expect((await ask(encodeRequest('POP00'))).toString('latin1', 0, 4)).toBe('(ACK');
    expect(plant.inverter.qpiri().outputSourcePriority).toBe(0);
    expect((await ask(encodeRequest('PBFT58.5'))).toString('latin1', 0, 4)).toBe('(NAK');
    expect((await ask(encodeRequest('QXYZ'))).toString('latin1', 0, 4)).toBe('(NAK');
    const corrupted = encodeRequest('POP01');
    corrupted[5] = (corrupted[5] ?? 0) ^ 0x40;
    expect((await ask(corrupted)).toString('latin1', 0, 4)).toBe('(NAK');
    expect(plant.inverter.qpiri().outputSourcePriority).toBe(0);
  });

  it("refuses the original installation's POP02 frame (reserved CRC byte sent unincremented) and accepts the correct one", async () => {
    const { plant, sim } = setup();
    plant.inverter.applySetting('POP00');
    const client = await connect(sim);
    const original = Buffer.from('504f503032e20a0d', 'hex');
    expect((await client.ask(original, pi30Complete)).toString('latin1', 0, 4)).toBe('(NAK');
    expect(plant.inverter.qpiri().outputSourcePriority).toBe(0);
    const correct = Buffer.from('504f503032e20b0d', 'hex');
    expect((await client.ask(correct, pi30Complete)).toString('latin1', 0, 4)).toBe('(ACK');
    expect(plant.inverter.qpiri().outputSourcePriority).toBe(2);
  });

  it('reassembles requests split over chunks and answers two requests sent together in order', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const qmod = encodeRequest('QMOD');
    await client.transport.write(qmod.subarray(0, 2));
    const reply = await client.ask(qmod.subarray(2), pi30Complete);
    expect(decodeResponse('QMOD', reply).ok).toBe(true);
    const both = Buffer.concat([encodeRequest('QPI'), encodeRequest('QMOD')]);
    const twoReplies = await client.ask(both, (r) => r.filter((b) => b === 0x0d).length >= 2);
    const frames = new Pi30FrameAssembler().push(twoReplies);
    expect(frames).toHaveLength(2);
    expect(decodeResponse('QPI', frames[0] as Uint8Array).ok).toBe(true);
    expect(decodeResponse('QMOD', frames[1] as Uint8Array).ok).toBe(true);
  });

  it('ends replies with LF when configured like the units that do', async () => {
    const { sim } = setup({ terminator: 'LF' });
    const client = await connect(sim);
    const reply = await client.ask(encodeRequest('QPIGS'), pi30Complete);
    expect(reply[reply.length - 1]).toBe(0x0a);
    expect(reply.includes(0x0d)).toBe(false);
    expect(decodeResponse('QPIGS', reply).ok).toBe(true);
  });

  it('paces replies at the line rate when pacing is on', async () => {
    const { sim } = setup({ pacing: true, latencyMs: 0, speed: 20 });
    const client = await connect(sim);
    const chunks: number[] = [];
    client.transport.onData((chunk) => chunks.push(chunk.length));
    const reply = await client.ask(encodeRequest('QPIGS'), pi30Complete);
    expect(decodeResponse('QPIGS', reply).ok).toBe(true);
    // 2400 baud × 20 = 4800 bytes/s in 20 ms slices: ~96 bytes per write, so a QPIGS reply needs two writes.
    expect(chunks.length).toBeGreaterThan(1);
    expect(Math.max(...chunks)).toBeLessThan(reply.length);
  });

  it('injects each fault kind on the next reply only, then answers normally', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const qpigs = encodeRequest('QPIGS');
    const expectError = async (kind: 'badCrc' | 'truncate' | 'nak', code: string) => {
      sim.injectFault({ kind });
      const reply = await client.ask(qpigs, kind === 'truncate' ? never : pi30Complete, kind === 'truncate' ? 200 : 2000);
      const result = decodeResponse('QPIGS', reply);
      expect(result.ok, kind).toBe(false);
      if (!result.ok) expect(result.error.code, kind).toBe(code);
      expect(decodeResponse('QPIGS', await client.ask(qpigs, pi30Complete)).ok, `${kind} then normal`).toBe(true);
    };
    await expectError('badCrc', 'crc');
    await expectError('truncate', 'truncated');
    await expectError('nak', 'nak');

    sim.injectFault({ kind: 'silence' });
    expect((await client.ask(qpigs, never, 200)).length).toBe(0);
    expect(decodeResponse('QPIGS', await client.ask(qpigs, pi30Complete)).ok).toBe(true);

    sim.injectFault({ kind: 'garbage' });
    const garbage = await client.ask(qpigs, never, 200);
    expect(garbage.length).toBeGreaterThan(0);
    expect(new Pi30FrameAssembler().push(garbage).some((f) => decodeResponse('QPIGS', f).ok)).toBe(false);

    sim.injectFault({ kind: 'garbage', keepReply: true });
    const noisy = await client.ask(qpigs, (r) => new Pi30FrameAssembler().push(r).some((f) => decodeResponse('QPIGS', f).ok));
    expect(new Pi30FrameAssembler().push(noisy).some((f) => decodeResponse('QPIGS', f).ok)).toBe(true);

    sim.injectFault({ kind: 'slow', delayMs: 400 });
    expect((await client.ask(qpigs, never, 100)).length).toBe(0);
    const late = await client.ask(new Uint8Array(0), pi30Complete, 3000);
    expect(decodeResponse('QPIGS', late).ok).toBe(true);
    expect(sim.stats().faultsApplied).toBe(7);
  });

  it('applies a fault to `count` replies, or to the replies within `durationMs`', async () => {
    let nowMs = 0;
    const { sim } = setup({ now: () => nowMs });
    const client = await connect(sim);
    const qmod = encodeRequest('QMOD');
    sim.injectFault({ kind: 'nak', count: 3 });
    for (let i = 0; i < 3; i++) expect((await client.ask(qmod, pi30Complete)).toString('latin1', 0, 4)).toBe('(NAK');
    expect(decodeResponse('QMOD', await client.ask(qmod, pi30Complete)).ok).toBe(true);

    sim.injectFault({ kind: 'silence', durationMs: 10_000 });
    expect((await client.ask(qmod, never, 100)).length).toBe(0);
    nowMs = 9_999;
    expect((await client.ask(qmod, never, 100)).length).toBe(0);
    nowMs = 10_000;
    expect(decodeResponse('QMOD', await client.ask(qmod, pi30Complete)).ok).toBe(true);
  });

  it('unplugs a memory link on disconnect and plugs it back after the duration', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const states: string[] = [];
    client.transport.onLinkState((state) => states.push(state));
    sim.injectFault({ kind: 'disconnect', durationMs: 150 });
    expect(states).toEqual(['offline']);
    expect(client.peer.connected).toBe(false);
    await expect(client.transport.open()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.peer.connected).toBe(true);
    await client.transport.open();
    expect(decodeResponse('QMOD', await client.ask(encodeRequest('QMOD'), pi30Complete)).ok).toBe(true);
  });

  it('refuses a malformed fault script loudly', () => {
    const { sim } = setup();
    expect(() => sim.injectFault({ kind: 'melt' as never })).toThrow(RangeError);
    expect(() => sim.injectFault({ kind: 'slow', delayMs: -1 })).toThrow(RangeError);
  });
});
