/**
 * `voltmon relay safe|status`: `safe` drives the grid relay to grid-connected and reads it back (systemd
 * runs it as ExecStopPost= so even a SIGKILLed daemon leaves the grid connected); `status` reads the
 * line without changing it. The line comes from the config's `relay` section or from flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { connectedLevel, driveSafe, fileLine, resolveSysfsLine, sysfsLine, type OpenLine, type RelayPolarity } from '../../main/devices/relay/index.js';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { resolveConfigPath } from '../config-path.js';

const USAGE =
  'usage: voltmon relay safe|status [--config FILE] [--bcm-line N] [--polarity activeHigh|activeLow] [--gpio-file PATH]\n';

interface Line {
  polarity: RelayPolarity;
  bcmLine?: number;
  gpioFile?: string;
  label: string;
}

const isPolarity = (v: unknown): v is RelayPolarity => v === 'activeHigh' || v === 'activeLow';

/**
 * The relay section of the config. A config that fails validation elsewhere (an unset secret, say) must
 * not stop the grid from being connected, so the relay section is then read on its own, with a warning.
 */
function relayFromConfig(path: string): { bcmLine: number; polarity: RelayPolarity } | string {
  const loaded = loadConfigFile(path);
  if (loaded.ok) {
    const relay = loaded.value.relay;
    if (!relay) return `${path} configures no relay`;
    if (relay.type !== 'gpio') return `${path}: the relay is on peer '${relay.peer}'; run voltmon relay safe there`;
    return { bcmLine: relay.bcmLine, polarity: relay.polarity };
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    return `${path}: ${loaded.error[0] ?? (err instanceof Error ? err.message : String(err))}`;
  }
  const relay = (raw as { relay?: { type?: unknown; bcmLine?: unknown; polarity?: unknown } } | null)?.relay;
  if (relay?.type === 'gpio' && Number.isInteger(relay.bcmLine) && isPolarity(relay.polarity)) {
    process.stderr.write(`voltmon relay: warning: ${path} has problems (${loaded.error.join('; ')}); using its relay section anyway\n`);
    return { bcmLine: relay.bcmLine as number, polarity: relay.polarity };
  }
  return `${path}: ${loaded.error.join('; ')}`;
}

const SYSFS_ROOT = '/sys/class/gpio';

function readStatus(line: Line): string {
  let level: string;
  if (line.gpioFile !== undefined) {
    level = existsSync(line.gpioFile) ? readFileSync(line.gpioFile, 'utf8').trim() : 'missing';
  } else {
    const resolved = resolveSysfsLine(line.bcmLine as number, { root: SYSFS_ROOT });
    if (!resolved.ok) throw new Error(resolved.error);
    const valuePath = join(SYSFS_ROOT, `gpio${resolved.value.sysfsNumber}`, 'value');
    level = existsSync(valuePath) ? readFileSync(valuePath, 'utf8').trim() : 'not exported';
  }
  const safe = String(connectedLevel(line.polarity));
  const state = level === safe ? 'connected' : level === '0' || level === '1' ? 'disconnected' : 'unknown';
  return `grid ${state} (${line.label}, level ${level})`;
}

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        'bcm-line': { type: 'string' },
        polarity: { type: 'string' },
        'gpio-file': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`voltmon relay: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (sub !== 'safe' && sub !== 'status') {
    process.stderr.write(`voltmon relay: ${sub ? `unknown subcommand '${sub}'` : 'missing subcommand'}\n${USAGE}`);
    return 2;
  }
  if (values.polarity !== undefined && !isPolarity(values.polarity)) {
    process.stderr.write(`voltmon relay: --polarity must be activeHigh or activeLow\n${USAGE}`);
    return 2;
  }
  const bcmFlag = values['bcm-line'] === undefined ? undefined : Number(values['bcm-line']);
  if (bcmFlag !== undefined && (!Number.isInteger(bcmFlag) || bcmFlag < 0 || bcmFlag > 53)) {
    process.stderr.write(`voltmon relay: --bcm-line must be a BCM line number from 0 to 53\n${USAGE}`);
    return 2;
  }

  let polarity = values.polarity as RelayPolarity | undefined;
  let bcmLine = bcmFlag;
  const needConfig = values['gpio-file'] === undefined ? bcmLine === undefined || polarity === undefined : polarity === undefined;
  if (needConfig) {
    const fromConfig = relayFromConfig(resolveConfigPath(values.config));
    if (typeof fromConfig === 'string') {
      process.stderr.write(`voltmon relay: ${fromConfig}\n`);
      return 1;
    }
    polarity ??= fromConfig.polarity;
    bcmLine ??= fromConfig.bcmLine;
  }
  const line: Line =
    values['gpio-file'] !== undefined
      ? { polarity: polarity as RelayPolarity, gpioFile: values['gpio-file'], label: `file ${values['gpio-file']}` }
      : { polarity: polarity as RelayPolarity, bcmLine: bcmLine as number, label: `GPIO ${bcmLine}` };

  if (sub === 'status') {
    try {
      process.stdout.write(`${readStatus(line)}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`voltmon relay: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const open: OpenLine = line.gpioFile !== undefined ? fileLine(line.gpioFile) : sysfsLine(line.bcmLine as number);
  const result = await driveSafe(open, line.polarity);
  if (!result.ok) {
    process.stderr.write(`voltmon relay: could not connect the grid on ${line.label}: ${result.reason}\n`);
    return 1;
  }
  process.stdout.write(`grid connected (${line.label}, level ${result.level})\n`);
  return 0;
}
