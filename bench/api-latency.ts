/**
 * End-to-end latency of a live value: from the last byte of an inverter QPIGS reply leaving the
 * simulated wire to the WebSocket message arriving at a client, with 1 and 50 clients connected.
 * The engine runs here on the simulated plant (real driver, bus, store, stream); the clients run in a
 * separate process and timestamps are compared in epoch ms (performance.timeOrigin + now()).
 * Run as the installed daemon runs, on V8's interpreter only:
 *   node --lite-mode --no-expose-wasm --import tsx bench/api-latency.ts [--seconds 30]  -> bench/results/api-latency.json
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { runsWithoutJit } from '../src/headless/interpreter.js';
import { startEngine } from '../src/main/engine.js';
import { simulatedConfig } from '../src/main/engine/simulated-config.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const seconds = Number(values.seconds);
const CLIENT_COUNTS = [1, 50];
const epochNow = (): number => performance.timeOrigin + performance.now();

const engine = await startEngine({
  config: simulatedConfig('Europe/Berlin'),
  dataDir: mkdtempSync(join(tmpdir(), 'voltmon-bench-latency-')),
  simulate: true,
  logger: pino({ level: 'warn' }),
  host: '127.0.0.1',
  port: 0,
  staticRoot: null,
});
const simulation = engine.simulation;
if (!simulation) throw new Error('no simulation');

// Watch the simulated wire: which command the driver sent, and when the reply's terminator went out.
const peer = simulation.inverter.peer;
let request = '';
let lastCommand = '';
peer.onData((chunk) => {
  request += chunk.toString('latin1');
  const end = request.indexOf('\r');
  if (end >= 0) {
    lastCommand = request.slice(0, Math.max(0, end - 2));
    request = request.slice(end + 1);
  }
});
const pendingQpigsEnds: number[] = [];
const originalWrite = peer.write.bind(peer);
peer.write = (data: Uint8Array) => {
  originalWrite(data);
  if (data.includes(0x0d) && lastCommand === 'QPIGS') pendingQpigsEnds.push(epochNow());
};

// Pair each QPIGS sample on the bus with the frame it came from.
const frameEndBySample = new Map<number, number>();
const wireToBusMs: number[] = [];
engine.bus.on('sample', (sample) => {
  if (sample.device !== 'inverter' || sample.source !== 'QPIGS') return;
  const frameEnd = pendingQpigsEnds.pop();
  pendingQpigsEnds.length = 0;
  if (frameEnd === undefined) return;
  frameEndBySample.set(sample.tsMs, frameEnd);
  wireToBusMs.push(epochNow() - frameEnd);
});

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (v: number): number => Math.round(v * 100) / 100;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
};

const token = engine.tokens.add('viewer', 'bench').token;
await new Promise((r) => setTimeout(r, 3000));
const runs = [];
for (const clients of CLIENT_COUNTS) {
  wireToBusMs.length = 0;
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'api-latency-clients.ts'), String(engine.address.port), token, String(clients), String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const { connected, arrivals } = JSON.parse(output) as { connected: number; arrivals: Array<[number, number]> };
  const latencies = arrivals.flatMap(([tsMs, at]) => {
    const frameEnd = frameEndBySample.get(tsMs);
    return frameEnd === undefined ? [] : [at - frameEnd];
  });
  runs.push({ clients, connected, wireToClient: summary(latencies), wireToBus: summary(wireToBusMs) });
  process.stdout.write(`${clients} client(s): ${JSON.stringify(runs[runs.length - 1])}\n`);
}
await engine.stop();

const result = {
  bench: 'api-latency',
  date: new Date().toISOString(),
  node: process.version,
  v8: runsWithoutJit() ? 'interpreter only (--lite-mode), as the installed bin runs the daemon' : 'with JIT',
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  secondsPerRun: seconds,
  what: 'last byte of a QPIGS reply on the simulated 2400-baud wire -> WebSocket stream message at a client (separate process, loopback)',
  target: 'DESIGN.md §7: under 50 ms to every connected screen',
  runs,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/api-latency.json', JSON.stringify(result, null, 2) + '\n');
