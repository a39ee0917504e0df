/**
 * The daemon at steady state, polling once a second with no client connected: its RSS and CPU share of
 * one core, read from /proc after a warm-up. DESIGN.md §7 targets < 60 MB RSS and < 1 % of a core.
 * Two set-ups, both with the built CLI:
 *   ptys      `voltmon simulate` serves inverter, BMS and meter on ptys in another process and the
 *             daemon reads them through serialport with a config file: the daemon as on a Pi.
 *   simulate  `voltmon run --simulate`: the plant and the device simulators run inside the daemon.
 * Run: npm run build:node && npx tsx bench/daemon-steady.ts [--full | --minutes N] [--mode ptys|simulate|both]
 *   default 2 minutes measured per set-up after 30 s of warm-up; --full measures the 10 minutes.
 *   -> bench/results/daemon-steady.json
 * This VM's CPU figures move by half from one run to the next (a wake-up costs more on an idle host), so
 * a change is judged side by side: --baseline OTHER/dist/voltmon/cli.js (e.g. a `git worktree` of an
 * earlier commit, built) runs that daemon at the same time on its own simulator, and both are reported
 * with their ratio -> bench/results/daemon-steady-vs-baseline.json
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    minutes: { type: 'string' },
    mode: { type: 'string', default: 'both' },
    baseline: { type: 'string' },
  },
});
const measureMinutes = values.minutes !== undefined ? Number(values.minutes) : values.full ? 10 : 2;
const modes = values.mode === 'both' ? ['ptys', 'simulate'] : [values.mode ?? 'ptys'];
const WARMUP_MS = 30_000;
const SAMPLE_EVERY_MS = 5000;
const CLI = 'dist/voltmon/cli.js';
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:node first`);

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;
const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? NaN) / 1024;
};

interface Health {
  devices: Array<{ device: string; link: string; stats: { framesOk: number; crcErrors: number; timeouts: number } }>;
}

/** `voltmon simulate` on ptys; resolves with the pty path of each device once all three are announced. */
async function startPtySimulator(): Promise<{ child: ChildProcess; paths: Record<string, string> }> {
  const child = spawn(process.execPath, [CLI, 'simulate'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const paths: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('voltmon simulate announced no devices within 20 s')), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const d = JSON.parse(line) as { device: string; path: string };
        paths[d.device] = d.path;
      } catch {
        return;
      }
      if (paths.inverter && paths.bms && paths.meter) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, paths };
}

async function measure(mode: string, cli = CLI) {
  const dataDir = mkdtempSync(join(tmpdir(), `voltmon-bench-steady-${mode}-`));
  const port = await freePort();
  let simulator: ChildProcess | null = null;
  let args: string[];
  if (mode === 'ptys') {
    const sim = await startPtySimulator();
    simulator = sim.child;
    const config = join(dataDir, 'voltmon.yaml');
    writeFileSync(
      config,
      [
        'site: { name: bench, timeZone: Europe/Berlin }',
        'devices:',
        `  inverter: { transport: { type: serial, path: ${sim.paths.inverter}, baud: 2400 } }`,
        `  bms: { transport: { type: serial, path: ${sim.paths.bms}, baud: 9600 } }`,
        `  meter: { transport: { type: serial, path: ${sim.paths.meter}, baud: 9600 } }`,
        'battery: { chemistry: lifepo4, cellsInSeries: 16, capacityAh: 280, cellMinV: 2.8, cellMaxV: 3.6 }',
        '',
      ].join('\n'),
    );
    args = ['run', '--config', config];
  } else {
    args = ['run', '--simulate'];
  }
  // The bin itself, as systemd starts it: its #! line's Node flags apply.
  const daemon = spawn(cli, [...args, '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = daemon.pid;
  if (pid === undefined) throw new Error('the daemon did not start');
  const health = async (): Promise<Health> => (await (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).json()) as Health;

  await sleep(WARMUP_MS);
  const before = await health();
  const startTicks = cpuTicks(pid);
  const startMs = performance.now();
  const rss: number[] = [];
  while (performance.now() - startMs < measureMinutes * 60_000) {
    rss.push(rssMb(pid));
    await sleep(SAMPLE_EVERY_MS);
  }
  const elapsedS = (performance.now() - startMs) / 1000;
  const cpuS = (cpuTicks(pid) - startTicks) / clockTicks;
  const after = await health();
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.on('exit', r));
  simulator?.kill('SIGTERM');

  const framesBefore = Object.fromEntries(before.devices.map((d) => [d.device, d.stats.framesOk]));
  return {
    mode,
    setup:
      mode === 'ptys'
        ? 'daemon with a config: inverter, BMS, meter on ptys served by `voltmon simulate` (another process); no relay, no clients'
        : 'voltmon run --simulate: plant + device simulators + relay on a file line inside the daemon; no clients',
    measuredS: round(elapsedS, 0),
    rssMb: { min: round(Math.min(...rss), 1), avg: round(rss.reduce((a, b) => a + b, 0) / rss.length, 1), max: round(Math.max(...rss), 1) },
    cpuPctOfOneCore: round((cpuS / elapsedS) * 100),
    framesPerSecond: Object.fromEntries(after.devices.map((d) => [d.device, round((d.stats.framesOk - (framesBefore[d.device] ?? 0)) / elapsedS)])),
    links: Object.fromEntries(after.devices.map((d) => [d.device, d.link])),
  };
}

const bareNodeRssMb = round(
  Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'], { encoding: 'utf8' })) / 1024 / 1024,
  1,
);
if (values.baseline !== undefined) {
  const baseline = values.baseline;
  if (!existsSync(baseline)) throw new Error(`${baseline} is missing: build the baseline first`);
  const pairs = [];
  for (const mode of modes) {
    const [current, before] = await Promise.all([measure(mode), measure(mode, baseline)]);
    const pair = { mode, current, baseline: before, cpuRatioToBaseline: round(current.cpuPctOfOneCore / before.cpuPctOfOneCore), rssAvgDiffMb: round(current.rssMb.avg - before.rssMb.avg, 1) };
    process.stdout.write(`${JSON.stringify(pair)}\n`);
    pairs.push(pair);
  }
  const sideBySide = { bench: 'daemon-steady side by side', date: new Date().toISOString(), node: process.version, cores: cpus().length, warmupS: WARMUP_MS / 1000, measuredMinutesPerRun: measureMinutes, current: CLI, baseline, pairs };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/daemon-steady-vs-baseline.json', JSON.stringify(sideBySide, null, 2) + '\n');
  process.exit(0);
}
const runs = [];
for (const mode of modes) {
  const run = await measure(mode);
  process.stdout.write(`${JSON.stringify(run)}\n`);
  runs.push(run);
}
// The previous result stays in the file as `previous` (without its own `previous`), so a change that
// moves the figures shows its before and after; across sessions the machine may differ, so compare with care.
const RESULT_FILE = 'bench/results/daemon-steady.json';
const previous = existsSync(RESULT_FILE) ? (JSON.parse(readFileSync(RESULT_FILE, 'utf8')) as Record<string, unknown>) : null;
if (previous) delete previous.previous;
const result = {
  bench: 'daemon-steady',
  startedAs: `${CLI} executed directly, as systemd starts /usr/bin/voltmon: its #! line runs node ${readFileSync(CLI, 'utf8').split('\n', 1)[0]?.replace(/^#!\/usr\/bin\/env -S node /, '')}`,
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  warmupS: WARMUP_MS / 1000,
  measuredMinutesPerRun: measureMinutes,
  fullTenMinutes: measureMinutes >= 10,
  bareNodeRssMb,
  runs,
  target: 'DESIGN.md §7: < 60 MB RSS, < 1 % of a core at 1 Hz polling',
  previous,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(RESULT_FILE, JSON.stringify(result, null, 2) + '\n');
