/**
 * `voltmon simulate [--seed N] [--speed X] [--start ISO] [--tcp] [--config FILE]`: the plant and its
 * three devices on ptys (and TCP ports), one JSON line per device on stdout when it is ready, logs on
 * stderr, commands on stdin (docs/simulator.md); runs until SIGINT/SIGTERM.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { applySimControl, parseSimControl } from '../../main/sim/control-channel.js';
import { serveSimulation } from '../../main/sim/serve.js';
import { planSimulation, type SimulateFlags } from '../../main/sim/serve-plan.js';
import type { VoltmonConfig } from '../../shared/config.js';

const USAGE = 'usage: voltmon simulate [--seed N] [--speed X] [--start ISO-TIME] [--tcp] [--config FILE]\n';

const log = (message: string): void => {
  process.stderr.write(`voltmon simulate: ${message}\n`);
};

function parseFlags(argv: string[]): { flags: SimulateFlags; configPath?: string } | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        speed: { type: 'string' },
        start: { type: 'string' },
        tcp: { type: 'boolean', default: false },
        config: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) return `--seed must be an integer from 0 to 4294967295, got ${values.seed}`;
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 100_000) return `--speed must be a number above 0 and at most 100000, got ${values.speed}`;
  const startTsMs = values.start === undefined ? Date.now() : Date.parse(values.start);
  if (!Number.isFinite(startTsMs)) return `--start must be an ISO 8601 time such as 2024-06-21T06:00:00Z, got ${values.start}`;
  return { flags: { seed, speed, startTsMs, tcp: values.tcp ?? false }, configPath: values.config };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseFlags(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`voltmon simulate: ${parsed}\n${USAGE}`);
    return 2;
  }
  let config: VoltmonConfig | null = null;
  if (parsed.configPath !== undefined) {
    const loaded = loadConfigFile(parsed.configPath);
    if (!loaded.ok) {
      for (const line of loaded.error) log(line);
      return 2;
    }
    config = loaded.value;
  }
  const plan = planSimulation(parsed.flags, config);
  if (!plan.ok) {
    log(plan.error);
    return 2;
  }
  for (const note of plan.value.notes) log(note);
  log(`seed ${plan.value.seed}, speed ×${plan.value.speed}, plant time starts ${new Date(plan.value.startTsMs).toISOString()}`);

  let running;
  try {
    running = await serveSimulation(plan.value, (line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const sim = running;
  log('ready; stop with Ctrl-C (SIGINT) or SIGTERM');

  const input = createInterface({ input: process.stdin, terminal: false });
  input.on('line', (text) => {
    if (text.trim() === '') return;
    const command = parseSimControl(text);
    if (!command.ok) return log(`ignored stdin line: ${command.error}`);
    try {
      log(applySimControl(sim.installation, command.value));
    } catch (err) {
      log(`command refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  });

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log(`${signal}: closing`);
  input.close();
  process.stdin.destroy();
  await sim.close();
  return 0;
}
