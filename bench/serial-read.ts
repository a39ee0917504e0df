/**
 * The serial read path at idle polling: over a socat pty pair a writer sends a 110-byte reply as 5-byte
 * pieces every 20 ms (a 2400-baud inverter, as the simulator paces it) once a second, and a reader in a
 * child process of its own takes it with
 *   serialport     `new SerialPort(...)` and its 'data' event (the stream over bindings-cpp's thread-pool reads)
 *   transport      voltmon's SerialTransport (reads on the main thread when the fd is readable)
 *   announced      the same, told the reply's length before each reply (Transport.expectReply), as the
 *                  daemon's request queue does once it has seen a command's reply: read in ~2 wake-ups
 *   idle           no port at all: the floor of a Node process (under tsx) that only waits
 *   timerWakes     no port, but woken by a timer as often and when the readers are woken (22 times in
 *                  the first 440 ms of each second): what a wake-up alone costs on this machine
 * The five run side by side, each on its own pty pair (their pieces 5 ms apart), so a change in the
 * shared machine's load hits all of them alike: compare them as ratios within a round.
 * Reported per variant: CPU ms per second of wall time (process.cpuUsage over the counted seconds, after
 * a warm-up: V8 tidies its startup heap for the first ~12 s), RSS and heap after the round, and, from a
 * separate shorter round under `strace -f -c`, syscalls per second (strace slows the traced processes,
 * so that round gives no CPU figure).
 * Run: npx tsx bench/serial-read.ts [--seconds 60] [--rounds 3] [--warmup-seconds 15] [--strace-seconds 20]
 *   -> bench/results/serial-read.json
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPLY_BYTES = 110;
const PIECE_BYTES = 5;
const PIECE_EVERY_MS = 20;
const VARIANTS = ['idle', 'timerWakes', 'serialport', 'transport', 'announced'] as const;
const READERS = ['serialport', 'transport', 'announced'] as const;
type Variant = (typeof VARIANTS)[number];

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    path: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    'warmup-seconds': { type: 'string', default: '15' },
    'strace-seconds': { type: 'string', default: '20' },
  },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;
const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

interface ChildReport {
  variant: Variant;
  wallMs: number;
  userMs: number;
  systemMs: number;
  bytes: number;
  chunks: number;
  rssMb: number;
  heapUsedMb: number;
}

/**
 * The reader: opens the port, says `ready`, counts what arrives between the parent's `start` and `stop`
 * lines on stdin, then prints one JSON report and exits.
 */
async function runChild(variant: Variant, path: string): Promise<void> {
  let bytes = 0;
  let chunks = 0;
  const onChunk = (chunk: Buffer): void => {
    bytes += chunk.length;
    chunks++;
  };
  let close = (): Promise<void> => Promise.resolve();
  if (variant === 'serialport') {
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path, baudRate: 2400, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', onChunk);
    close = () => new Promise<void>((resolve) => port.close(() => resolve()));
  } else if (variant === 'transport' || variant === 'announced') {
    const { SerialTransport } = await import('../src/main/transport/serial.js');
    const transport = new SerialTransport({ device: { path }, baudRate: 2400 });
    await transport.open();
    let replyBytes = 0;
    const announce = (): void => {
      if (variant === 'announced') transport.expectReply(REPLY_BYTES);
    };
    transport.onData((chunk) => {
      onChunk(chunk);
      // The next reply is announced once this one is complete, as the request queue does with its next request.
      replyBytes += chunk.length;
      if (replyBytes >= REPLY_BYTES) {
        replyBytes %= REPLY_BYTES;
        announce();
      }
    });
    announce();
    close = () => transport.close();
  } else if (variant === 'timerWakes') {
    const piecesPerReply = Math.ceil(REPLY_BYTES / PIECE_BYTES);
    let wakes = 0;
    let timer: NodeJS.Timeout;
    const wake = (): void => {
      wakes++;
      timer = setTimeout(wake, wakes % piecesPerReply === 0 ? 1000 - (piecesPerReply - 1) * PIECE_EVERY_MS : PIECE_EVERY_MS);
    };
    wake();
    close = async () => clearTimeout(timer);
  }
  let startCpu = process.cpuUsage();
  let startMs = performance.now();
  const lines = createInterface({ input: process.stdin });
  console.log('ready');
  for await (const line of lines) {
    if (line === 'start') {
      bytes = 0;
      chunks = 0;
      startCpu = process.cpuUsage();
      startMs = performance.now();
    } else if (line === 'stop') {
      const cpu = process.cpuUsage(startCpu);
      const wallMs = performance.now() - startMs;
      const memory = process.memoryUsage();
      const report: ChildReport = { variant, wallMs, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, bytes, chunks, rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed) };
      console.log(JSON.stringify(report));
      break;
    }
  }
  lines.close();
  await close();
}

/** socat's pty pair, from the simulator's helper (it also stops socat if this process dies). */
async function ptyPair() {
  const { openPtyPair } = await import('../src/main/sim/index.js');
  return openPtyPair();
}

function startReader(variant: Variant, path: string): Promise<{ child: ChildProcess; lines: AsyncIterator<string> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--child', variant, '--path', path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return lines.next().then((first) => {
    if (first.value !== 'ready') throw new Error(`${variant} reader did not start: ${String(first.value)}`);
    return { child, lines };
  });
}

/**
 * `seconds` replies, one a second, each as 5-byte pieces 20 ms apart, to every fd (the i-th fd 5·i ms
 * later), on a schedule that does not drift; `onSecond(s)` runs at the start of second s. Returns the bytes
 * written to each fd from second `countFrom` on. The fds are non-blocking: where nothing reads (idle,
 * timerWakes) the pty fills up and pieces are dropped rather than stall the bench.
 */
async function writeReplies(fds: number[], seconds: number, countFrom: number, onSecond: (s: number) => void): Promise<number[]> {
  const reply = Buffer.from(Array.from({ length: REPLY_BYTES }, (_, i) => 0x20 + (i % 90)));
  const t0 = performance.now();
  const written = fds.map(() => 0);
  for (let s = 0; s < seconds; s++) {
    await sleep(Math.max(0, t0 + s * 1000 - performance.now()));
    onSecond(s);
    for (let offset = 0; offset < REPLY_BYTES; offset += PIECE_BYTES) {
      for (const [i, fd] of fds.entries()) {
        const dueMs = t0 + s * 1000 + (offset / PIECE_BYTES) * PIECE_EVERY_MS + i * 5;
        await sleep(Math.max(0, dueMs - performance.now()));
        try {
          const n = writeSync(fd, reply, offset, Math.min(PIECE_BYTES, REPLY_BYTES - offset));
          if (s >= countFrom) written[i] = (written[i] ?? 0) + n;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        }
      }
    }
  }
  await sleep(Math.max(0, t0 + seconds * 1000 - performance.now()));
  return written;
}

/** strace's -c table: calls per syscall name. */
function parseStraceSummary(text: string): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?(\w+)\s*$/.exec(line);
    if (m?.[1] && m[3] && m[3] !== 'total') calls[m[3]] = Number(m[1]);
  }
  return calls;
}

interface Run extends ChildReport {
  round: number;
  writtenBytes: number;
  cpuMsPerS: number;
}

interface Measured {
  report: ChildReport;
  writtenBytes: number;
  syscalls?: Record<string, number>;
}

/** One round: every variant on its own pty pair at once; with `traceCalls`, each child under strace. */
async function measure(variants: readonly Variant[], warmupSeconds: number, seconds: number, traceCalls: boolean): Promise<Measured[]> {
  const pairs = await Promise.all(variants.map(() => ptyPair()));
  try {
    const readers = await Promise.all(variants.map((variant, i) => startReader(variant, pairs[i]?.clientPath ?? '')));
    const writers = pairs.map((pair) => openSync(pair.simPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK));
    const straceDir = mkdtempSync(join(tmpdir(), 'voltmon-bench-strace-'));
    const tracers: ChildProcess[] = [];
    const writtenBytes = await writeReplies(writers, warmupSeconds + seconds, warmupSeconds, (s) => {
      if (s !== warmupSeconds) return;
      for (const [i, { child }] of readers.entries()) {
        // strace counts from here to its SIGINT: the counted seconds only, not the start-up of the reader.
        if (traceCalls) tracers.push(spawn('strace', ['-f', '-c', '-o', join(straceDir, `${i}.txt`), '-p', String(child.pid)], { stdio: 'ignore' }));
        child.stdin!.write('start\n');
      }
    });
    for (const { child } of readers) child.stdin!.write('stop\n');
    const reports = await Promise.all(readers.map(({ lines }) => lines.next()));
    await Promise.all(
      tracers.map((tracer) => {
        const exited = new Promise((resolve) => tracer.once('exit', resolve));
        tracer.kill('SIGINT');
        return exited;
      }),
    );
    for (const fd of writers) closeSync(fd);
    await Promise.all(readers.map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    return reports.map((line, i) => ({
      report: JSON.parse(String(line.value)) as ChildReport,
      writtenBytes: writtenBytes[i] ?? 0,
      ...(traceCalls ? { syscalls: parseStraceSummary(readFileSync(join(straceDir, `${i}.txt`), 'utf8')) } : {}),
    }));
  } finally {
    await Promise.all(pairs.map((pair) => pair.close()));
  }
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const straceSeconds = Number(values['strace-seconds']);
  const warmupSeconds = Number(values['warmup-seconds']);
  const runs: Run[] = [];
  for (let r = 1; r <= rounds; r++) {
    for (const { report, writtenBytes } of await measure(VARIANTS, warmupSeconds, seconds, false)) {
      const run: Run = { ...report, round: r, writtenBytes, cpuMsPerS: round(((report.userMs + report.systemMs) / report.wallMs) * 1000) };
      runs.push(run);
      console.error(`${report.variant} round ${r}: ${run.cpuMsPerS} CPU ms/s, ${report.bytes}/${writtenBytes} bytes in ${report.chunks} chunks`);
    }
  }
  const syscalls: Partial<Record<Variant, { seconds: number; perSecond: Record<string, number>; totalPerSecond: number }>> = {};
  let straceAvailable = true;
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
  } catch {
    straceAvailable = false;
  }
  if (straceAvailable && straceSeconds > 0) {
    for (const { report, syscalls: calls = {} } of await measure(READERS, warmupSeconds, straceSeconds, true)) {
      const perSecond = Object.fromEntries(
        Object.entries(calls)
          .sort((x, y) => y[1] - x[1])
          .map(([name, n]) => [name, round(n / straceSeconds, 1)]),
      );
      syscalls[report.variant] = { seconds: straceSeconds, perSecond, totalPerSecond: round(Object.values(calls).reduce((x, y) => x + y, 0) / straceSeconds, 1) };
      console.error(`${report.variant} syscalls/s: ${JSON.stringify(perSecond)}`);
    }
  }
  const mean = (variant: Variant, pick: (run: Run) => number): number => {
    const mine = runs.filter((run) => run.variant === variant);
    return round(mine.reduce((sum, run) => sum + pick(run), 0) / mine.length);
  };
  const perVariant = (pick: (run: Run) => number): Record<Variant, number> =>
    Object.fromEntries(VARIANTS.map((variant) => [variant, mean(variant, pick)])) as Record<Variant, number>;
  const cpuMsPerS = perVariant((r) => r.cpuMsPerS);
  const readingCpuMsPerS = {
    serialport: round(cpuMsPerS.serialport - cpuMsPerS.idle),
    transport: round(cpuMsPerS.transport - cpuMsPerS.idle),
    announced: round(cpuMsPerS.announced - cpuMsPerS.idle),
  };
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    setup: {
      replyBytes: REPLY_BYTES,
      pieceBytes: PIECE_BYTES,
      pieceEveryMs: PIECE_EVERY_MS,
      repliesPerSecond: 1,
      warmupSeconds,
      secondsPerRun: seconds,
      rounds,
      note: 'each variant in its own child process (node --import tsx) on its own socat pty pair, all five at once; CPU is process.cpuUsage of the child over the counted seconds (main thread and libuv pool); syscalls from a separate round under strace -f -c; readingCpuMsPerS subtracts the idle process',
    },
    summary: {
      cpuMsPerS,
      readingCpuMsPerS,
      cpuShareOfOneCorePercent: Object.fromEntries(VARIANTS.map((variant) => [variant, round(cpuMsPerS[variant] / 10, 2)])),
      transportToSerialportCpuRatio: round(cpuMsPerS.transport / cpuMsPerS.serialport),
      transportToSerialportReadingCpuRatio: round(readingCpuMsPerS.transport / readingCpuMsPerS.serialport),
      announcedToTransportReadingCpuRatio: round(readingCpuMsPerS.announced / readingCpuMsPerS.transport),
      // The spread of the per-round ratios shows how much the machine's noise moves the ratio.
      transportToSerialportCpuRatioPerRound: Array.from({ length: rounds }, (_, i) => {
        const inRound = (variant: Variant): number => runs.find((run) => run.round === i + 1 && run.variant === variant)?.cpuMsPerS ?? Number.NaN;
        return round(inRound('transport') / inRound('serialport'));
      }),
      syscallsPerSecond: Object.fromEntries(Object.entries(syscalls).map(([variant, calls]) => [variant, calls.totalPerSecond])),
      rssMb: perVariant((r) => r.rssMb),
      heapUsedMb: perVariant((r) => r.heapUsedMb),
    },
    runs,
    syscalls,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/serial-read.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.summary, null, 2));
}

if (values.child) {
  if (!VARIANTS.includes(values.child as Variant) || !values.path) throw new Error(`--child needs one of ${VARIANTS.join(', ')} and --path`);
  await runChild(values.child as Variant, values.path);
} else {
  await main();
}
