/**
 * Wire efficiency of the inverter poll loop: the simulator paces its replies at 2400 baud (8N1, ten bits
 * a byte) after its modelled 120 ms of device latency, and the driver polls back to back. For QPIGS alone
 * and for a full cycle (QPIGS, QMOD, QPIWS, QPIRI) it compares the time per poll with the pure wire time
 * (request + reply bytes on the line) and with wire + device latency, and reports the CPU time per cycle.
 * Two links: an in-memory link (simulator in this process: its CPU is counted too) and a socat pty with
 * the simulator in a child process (only the driver and the serial binding are counted; needs socat).
 * Last, the default poll plan on the pty for 20 s: the share of one core the driver takes.
 * Run: npx tsx bench/poll-wire.ts [--cycles N]  -> bench/results/poll-wire.json
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InverterDriver, type InverterPollCommand } from '../src/main/devices/inverter/index.js';
import { encodeRequest } from '../src/main/protocol/pi30/index.js';
import { createPlant, InverterSimulator } from '../src/main/sim/index.js';
import { createMemoryLink } from '../src/main/transport/memory.js';
import { SerialTransport } from '../src/main/transport/serial.js';
import type { Transport } from '../src/main/transport/types.js';

const BAUD = 2400;
const SIM_LATENCY_MS = 120;
const byteMs = (bytes: number): number => (bytes * 10 * 1000) / BAUD;

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '12' } } });
const cycles = Number(values.cycles);

interface Measurement {
  link: string;
  plan: string;
  cycles: number;
  commandsPerCycle: number;
  msPerCycle: number;
  requestBytesPerCycle: number;
  replyBytesPerCycle: number;
  wireMsPerCycle: number;
  /** The reply alone: neither link paces requests, so this plus device latency is the floor here. */
  replyWireMsPerCycle: number;
  deviceLatencyMsPerCycle: number;
  /** msPerCycle − reply wire − device latency: what the driver adds per cycle (the simulator sends its first chunk at once, so ~−20 ms is the floor). */
  overheadMsPerCycle: number;
  /** msPerCycle / wireMsPerCycle: how close to the line rate the loop runs. */
  ratioToWire: number;
  /** msPerCycle / (wire + device latency): 1.0 means our code adds nothing. */
  ratioToWirePlusLatency: number;
  cpuMsPerCycle: number;
}

/** Poll `commands` back to back for `cycles` cycles after a warm-up; times the cycles by their first command's samples. */
async function measure(link: string, transport: Transport, commands: InverterPollCommand[]): Promise<Measurement> {
  const poll = { QPIGS: 0, QMOD: 0, QPIWS: 0, QPIRI: 0, Q1: 0 };
  for (const c of commands) poll[c] = 1;
  const driver = new InverterDriver({ transport, poll, identityCommands: [], replyTimeoutMs: 3000 });
  let replyBytes = 0;
  transport.onData((chunk) => (replyBytes += chunk.length));
  const starts: number[] = [];
  const cpu: NodeJS.CpuUsage[] = [];
  const bytesAt: number[] = [];
  const first = commands[0] as string;
  const done = new Promise<void>((resolve) => {
    driver.onSample((sample) => {
      if (sample.source !== first) return;
      starts.push(performance.now());
      cpu.push(process.cpuUsage());
      bytesAt.push(replyBytes);
      if (starts.length === cycles + 3) resolve();
    });
  });
  await driver.start();
  await done;
  await driver.stop();
  // Skip two warm-up cycles; measure from the third sample on.
  const from = 2;
  const to = starts.length - 1;
  const n = to - from;
  const elapsed = (starts[to] as number) - (starts[from] as number);
  const cpuTo = cpu[to] as NodeJS.CpuUsage;
  const cpuFrom = cpu[from] as NodeJS.CpuUsage;
  const cpuMs = (cpuTo.user - cpuFrom.user + cpuTo.system - cpuFrom.system) / 1000;
  const requestBytes = commands.reduce((sum, c) => sum + encodeRequest(c).length, 0);
  const reply = ((bytesAt[to] as number) - (bytesAt[from] as number)) / n;
  const wire = byteMs(requestBytes + reply);
  const latency = SIM_LATENCY_MS * commands.length;
  const msPerCycle = elapsed / n;
  return {
    link,
    plan: commands.join('+'),
    cycles: n,
    commandsPerCycle: commands.length,
    msPerCycle: round(msPerCycle),
    requestBytesPerCycle: requestBytes,
    replyBytesPerCycle: round(reply),
    wireMsPerCycle: round(wire),
    replyWireMsPerCycle: round(byteMs(reply)),
    deviceLatencyMsPerCycle: latency,
    overheadMsPerCycle: round(msPerCycle - byteMs(reply) - latency),
    ratioToWire: round(msPerCycle / wire, 3),
    ratioToWirePlusLatency: round(msPerCycle / (wire + latency), 3),
    cpuMsPerCycle: round(cpuMs / n, 3),
  };
}

const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

async function overMemory(commands: InverterPollCommand[]): Promise<Measurement> {
  const plant = createPlant({ seed: 1, startTsMs: Date.UTC(2024, 5, 21, 9, 0) });
  const sim = new InverterSimulator(plant, { pacing: true, baud: BAUD, latencyMs: SIM_LATENCY_MS });
  const link = createMemoryLink({ description: 'memory' });
  sim.attach(link.peer);
  try {
    return await measure('memory (simulator in-process)', link.transport, commands);
  } finally {
    sim.close();
  }
}

/** The default plan (QPIGS every second …) for `seconds`: CPU share of one core, the daemon's budget being 1 %. */
async function steadyDefaultPlan(transport: Transport, seconds: number): Promise<{ link: string; plan: string; seconds: number; qpigsSamples: number; cpuPctOfOneCore: number }> {
  const driver = new InverterDriver({ transport });
  let qpigs = 0;
  driver.onSample((s) => (qpigs += s.source === 'QPIGS' ? 1 : 0));
  await driver.start();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const q0 = qpigs;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await driver.stop();
  return {
    link: 'pty (socat, simulator in a child process)',
    plan: 'default (QPIGS 1 s, QMOD/QPIWS 5 s, QPIRI/Q1 60 s)',
    seconds,
    qpigsSamples: qpigs - q0,
    cpuPctOfOneCore: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100, 2),
  };
}

async function withSimulatorProcess<T>(run: (path: string) => Promise<T>): Promise<T> {
  const path = `/tmp/voltmon-bench-poll-wire-${process.pid}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'poll-wire-sim.ts'), path], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => text.includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`simulator process exited (${String(code)}) before its pty was ready`)));
  });
  try {
    return await run(path);
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  }
}

const serial = (path: string): SerialTransport => new SerialTransport({ device: { path }, baudRate: BAUD });
const plans: InverterPollCommand[][] = [['QPIGS'], ['QPIGS', 'QMOD', 'QPIWS', 'QPIRI']];
const figures: object[] = [];
for (const plan of plans) figures.push(await overMemory(plan));
for (const plan of plans) {
  try {
    figures.push(await withSimulatorProcess((path) => measure('pty (socat, simulator in a child process)', serial(path), plan)));
  } catch (err) {
    figures.push({ link: 'pty', plan: plan.join('+'), error: err instanceof Error ? err.message : String(err) });
  }
}
try {
  figures.push(await withSimulatorProcess((path) => steadyDefaultPlan(serial(path), 20)));
} catch (err) {
  figures.push({ link: 'pty', plan: 'default', error: err instanceof Error ? err.message : String(err) });
}

const result = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  baud: BAUD,
  simulatedDeviceLatencyMsPerCommand: SIM_LATENCY_MS,
  note:
    'wire = (request + reply bytes) x 10 bits / 2400 baud. Neither link paces requests, so the floor is reply wire + device latency; ' +
    'CPU is process-wide (main thread and libuv pool) and on the memory link includes the simulator',
  figures,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'poll-wire.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
