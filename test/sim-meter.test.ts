import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeReadInputRegistersResponse,
  encodeReadInputRegisters,
  registersToFloat32,
  SDM230_REGISTERS,
  withCrc,
} from '../src/main/protocol/modbus/index.js';
import { createPlant, MeterSimulator, serveTcp, type Plant } from '../src/main/sim/index.js';
import { TcpTransport } from '../src/main/transport/tcp.js';
import { connect, modbusComplete, never } from './sim-helpers.js';

const NIGHT = Date.UTC(2024, 0, 15, 20);
const simulators: MeterSimulator[] = [];
afterEach(() => simulators.splice(0).forEach((s) => s.close()));

function setup(options: ConstructorParameters<typeof MeterSimulator>[1] = {}): { plant: Plant; sim: MeterSimulator } {
  // Utility first on a winter evening: the house runs on the grid, so the meter has power to count.
  const plant = createPlant({ seed: 41, startTsMs: NIGHT, inverterSettings: { outputSourcePriority: 0, chargerSourcePriority: 0 } });
  plant.setOverrides({ loadDemandW: 800 });
  plant.step(5 * 60_000);
  const sim = new MeterSimulator(plant, { pacing: false, latencyMs: 0, ...options });
  simulators.push(sim);
  return { plant, sim };
}

const replyLength = (count: number) => 5 + 2 * count;

describe('meter simulator (SDM230, Modbus RTU over a memory link)', () => {
  it('serves every SDM230 register with the plant value as float32', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const readings = plant.meter.readings() as unknown as Record<string, number>;
    expect(readings.activePowerW).toBeGreaterThan(800);
    for (const register of SDM230_REGISTERS) {
      const reply = await client.ask(encodeReadInputRegisters(1, register.address, 2), modbusComplete(replyLength(2)));
      const decoded = decodeReadInputRegistersResponse(reply, { start: register.address, slaveId: 1, count: 2 });
      if (!decoded.ok) throw new Error(`${register.field}: ${decoded.error.message}`);
      expect(decoded.value.fields[register.field], register.field).toBe(Math.fround(readings[register.field] ?? NaN));
    }
  });

  it('reads several values in one request, as in the 8-register energy block', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const reply = await client.ask(encodeReadInputRegisters(1, 0x48, 8), modbusComplete(replyLength(8)));
    const decoded = decodeReadInputRegistersResponse(reply, { start: 0x48, slaveId: 1, count: 8 });
    expect(decoded.ok && decoded.value.fields.importActiveEnergyKwh).toBe(Math.fround(plant.meter.readings().importActiveEnergyKwh));
    expect(decoded.ok && Object.keys(decoded.value.fields)).toEqual([
      'importActiveEnergyKwh',
      'exportActiveEnergyKwh',
      'importReactiveEnergyKvarh',
      'exportReactiveEnergyKvarh',
    ]);
  });

  it('answers exceptions for other functions, bad addresses and bad counts', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const exception = async (request: Uint8Array) => {
      const reply = await client.ask(request, modbusComplete(5));
      return [reply[1], reply[2]];
    };
    expect(await exception(withCrc(Uint8Array.of(1, 0x03, 0, 0, 0, 2)))).toEqual([0x83, 1]);
    expect(await exception(encodeReadInputRegisters(1, 0x0002, 2))).toEqual([0x84, 2]);
    expect(await exception(encodeReadInputRegisters(1, 0x0000, 1))).toEqual([0x84, 2]);
    expect(await exception(encodeReadInputRegisters(1, 0x0158, 4))).toEqual([0x84, 2]);
    expect(await exception(withCrc(Uint8Array.of(1, 0x04, 0, 0, 0, 0)))).toEqual([0x84, 3]);
    const decoded = decodeReadInputRegistersResponse(await client.ask(encodeReadInputRegisters(1, 0x0002, 2), modbusComplete(5)), { start: 2 });
    expect(decoded.ok ? 'ok' : decoded.error.code).toBe('exception');
  });

  it('reads registers between mapped values as 0, like the unused phases of three-phase models', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    const reply = await client.ask(encodeReadInputRegisters(1, 0x0000, 8), modbusComplete(replyLength(8)));
    const regs = Array.from({ length: 8 }, (_, i) => ((reply[3 + 2 * i] ?? 0) << 8) | (reply[4 + 2 * i] ?? 0));
    expect(registersToFloat32(regs[0] ?? 0, regs[1] ?? 0)).toBe(Math.fround(plant.meter.readings().voltageV));
    expect(registersToFloat32(regs[2] ?? 0, regs[3] ?? 0)).toBe(0);
    expect(registersToFloat32(regs[6] ?? 0, regs[7] ?? 0)).toBe(Math.fround(plant.meter.readings().currentA));
  });

  it('answers only its own slave id, and any configured one', async () => {
    const { sim } = setup({ slaveId: 7 });
    const client = await connect(sim);
    expect((await client.ask(encodeReadInputRegisters(1, 0, 2), never, 150)).length).toBe(0);
    const reply = await client.ask(encodeReadInputRegisters(7, 0, 2), modbusComplete(replyLength(2)));
    expect(decodeReadInputRegistersResponse(reply, { start: 0, slaveId: 7 }).ok).toBe(true);
  });

  it('resynchronises after line noise before a request', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    const noisy = Buffer.concat([Buffer.from([0x00, 0x00, 0x13]), encodeReadInputRegisters(1, 0x0c, 2)]);
    const reply = await client.ask(noisy, modbusComplete(replyLength(2)));
    expect(decodeReadInputRegistersResponse(reply, { start: 0x0c, slaveId: 1 }).ok).toBe(true);
  });

  it('is dead during a grid outage (it is powered by the line it measures)', async () => {
    const { plant, sim } = setup();
    const client = await connect(sim);
    plant.setGridOutage(true);
    expect((await client.ask(encodeReadInputRegisters(1, 0, 2), never, 150)).length).toBe(0);
    plant.setGridOutage(false);
    expect((await client.ask(encodeReadInputRegisters(1, 0, 2), modbusComplete(9))).length).toBe(9);
  });

  it('answers a device-failure exception for a nak fault and a bad CRC for badCrc', async () => {
    const { sim } = setup();
    const client = await connect(sim);
    sim.injectFault({ kind: 'nak' });
    const failure = await client.ask(encodeReadInputRegisters(1, 0, 2), modbusComplete(5));
    expect([failure[1], failure[2]]).toEqual([0x84, 4]);
    sim.injectFault({ kind: 'badCrc' });
    const bad = decodeReadInputRegistersResponse(await client.ask(encodeReadInputRegisters(1, 0, 2), modbusComplete(9)), { start: 0 });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('crc');
  });

  it('serves TCP clients and drops them on a disconnect fault', async () => {
    const { sim } = setup();
    const server = await serveTcp(sim);
    const transport = new TcpTransport({ host: server.host, port: server.port });
    try {
      await transport.open();
      let received = Buffer.alloc(0);
      transport.onData((chunk) => (received = Buffer.concat([received, chunk])));
      const states: string[] = [];
      transport.onLinkState((state) => states.push(state));
      await transport.write(encodeReadInputRegisters(1, 0, 2));
      for (let i = 0; i < 100 && received.length < 9; i++) await new Promise((r) => setTimeout(r, 10));
      expect(decodeReadInputRegistersResponse(received, { start: 0, slaveId: 1 }).ok).toBe(true);
      sim.injectFault({ kind: 'disconnect', durationMs: 200 });
      for (let i = 0; i < 100 && !states.includes('offline'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(states).toContain('offline');
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
