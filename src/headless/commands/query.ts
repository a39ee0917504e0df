/**
 * `voltmon query`: send one raw query to a device and print the decoded reply as one JSON object.
 * Exit 0 with the reply on stdout; 1 with a one-line reason on stderr when the device does not answer,
 * answers something undecodable or the port cannot be used; 2 for a bad command line.
 */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../../main/engine/config-file.js';
import { QUERY_PROTOCOLS, queryMbmdOnce, queryOnce, type QueryOptions, type QueryOutcome, type QueryProtocol } from '../../main/devices/query/index.js';
import { createTransport, type Transport } from '../../main/transport/index.js';
import { resolveConfigPath } from '../config-path.js';
import { usageReporter, parseWholeNumber } from '../cli-args.js';

const USAGE =
  'usage: voltmon query <inverter|bms|meter> <COMMAND> [--config FILE] [--timeout MS] [--start REG --count N]\n' +
  '       voltmon query --port PATH --protocol pi30|daly|sdm230 [--baud N] [--address N] [--timeout MS]\n' +
  '                     [--start REG --count N] [--cells N --sensors N] <COMMAND>\n' +
  '  pi30 COMMAND: a query such as QPIGS, QPIRI, QID (settings are refused: they go through the command queue)\n' +
  '  daly COMMAND: a data id 0x90..0x98 (0x95/0x96 ask 0x94 for the counts first); --address is the host address (default 0x80)\n' +
  '  sdm230 COMMAND: read (with --start and --count), a field such as voltageV, or a register; --address is the slave id (default 1)\n';

const DEFAULT_BAUD: Record<QueryProtocol, number> = { pi30: 2400, daly: 9600, sdm230: 9600 };
const DEVICE_PROTOCOL = { inverter: 'pi30', bms: 'daly', meter: 'sdm230' } as const;

const usageError = usageReporter('query', USAGE);

function parseInteger(text: string | undefined, name: string): number | undefined | string {
  if (text === undefined) return undefined;
  return parseWholeNumber(text) ?? `--${name}: got "${text}", expected a whole number (decimal or 0x hex)`;
}

function report(label: string, outcome: QueryOutcome): number {
  if (outcome.ok) {
    process.stdout.write(`${JSON.stringify(outcome.value)}\n`);
    return 0;
  }
  if (outcome.kind === 'request') return usageError(outcome.message);
  process.stderr.write(`${label}: ${outcome.message.replace(/\s+/g, ' ')}\n`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        protocol: { type: 'string' },
        baud: { type: 'string' },
        address: { type: 'string' },
        timeout: { type: 'string' },
        start: { type: 'string' },
        count: { type: 'string' },
        cells: { type: 'string' },
        sensors: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const numbers: Record<string, number | undefined> = {};
  for (const name of ['baud', 'address', 'timeout', 'start', 'count', 'cells', 'sensors'] as const) {
    const value = parseInteger(values[name], name);
    if (typeof value === 'string') return usageError(value);
    numbers[name] = value;
  }
  const common = {
    address: numbers.address,
    timeoutMs: numbers.timeout,
    start: numbers.start,
    count: numbers.count,
    cellCount: numbers.cells,
    temperatureSensorCount: numbers.sensors,
  };

  if (values.port !== undefined) {
    if (values.config !== undefined) return usageError('give either --port or a configured device, not both');
    const protocol = values.protocol;
    if (!protocol || !(QUERY_PROTOCOLS as readonly string[]).includes(protocol)) return usageError('--port needs --protocol pi30, daly or sdm230');
    if (positionals.length !== 1) return usageError('expected exactly one COMMAND after the options');
    const command = positionals[0] as string;
    const chosen = protocol as QueryProtocol;
    const transport = createTransport({ type: 'serial', path: values.port, baud: numbers.baud ?? DEFAULT_BAUD[chosen] });
    return report(`${protocol} ${command}`, await queryOnce(transport, { ...common, protocol: chosen, command }));
  }

  const [device, command, ...rest] = positionals;
  if (!device || !command || rest.length > 0) return usageError('expected a device (inverter, bms, meter) and one COMMAND, or --port');
  if (!Object.hasOwn(DEVICE_PROTOCOL, device)) return usageError(`unknown device "${device}": expected inverter, bms or meter`);
  if (values.protocol !== undefined || values.baud !== undefined) return usageError('--protocol and --baud go with --port; a configured device brings its own');
  const path = resolveConfigPath(values.config);
  const loaded = loadConfigFile(path);
  if (!loaded.ok) {
    process.stderr.write(`voltmon query: ${path} is not usable:\n${loaded.error.map((e) => `  ${e}`).join('\n')}\n`);
    return 1;
  }
  const devices = loaded.value.devices;
  const kind = device as keyof typeof DEVICE_PROTOCOL;
  const label = `${device} ${command}`;
  if (kind === 'meter' && devices.meter?.transport.type === 'mbmd') {
    const { url, meterId, endpoint } = devices.meter.transport;
    return report(label, await queryMbmdOnce({ url, meterId, endpoint, timeoutMs: common.timeoutMs }));
  }
  let transport: Transport;
  const options: QueryOptions = { ...common, protocol: DEVICE_PROTOCOL[kind], command };
  if (kind === 'inverter' && devices.inverter) {
    transport = createTransport(devices.inverter.transport);
    options.timeoutMs ??= devices.inverter.replyTimeoutMs;
  } else if (kind === 'bms' && devices.bms) {
    transport = createTransport(devices.bms.transport);
    options.address ??= devices.bms.address;
    options.invertCurrent = devices.bms.currentSign === 'positiveDischarging';
    options.timeoutMs ??= devices.bms.replyTimeoutMs;
  } else if (kind === 'meter' && devices.meter && devices.meter.transport.type !== 'mbmd') {
    transport = createTransport(devices.meter.transport);
    options.address ??= devices.meter.slaveId;
    options.timeoutMs ??= devices.meter.replyTimeoutMs;
  } else {
    return usageError(`${path} configures no ${device}`);
  }
  return report(label, await queryOnce(transport, options));
}
