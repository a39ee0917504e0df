/**
 * `voltmon.yaml`: the schema of an instance's configuration and the errors a person reads when it is
 * wrong. Pure (no Node imports): the file is read, secrets are substituted and YAML is parsed in
 * src/main/engine/config-file.ts; this module only validates the resulting plain object.
 */
import { z } from 'zod';
import { DEFAULT_PORT } from './api.js';
import type { Result } from './result.js';
import { isValidTimeZone } from './zone.js';

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const BATTERY_CHEMISTRIES = ['lifepo4', 'nmc', 'leadAcid'] as const;
export const CONTROLLER_MODES = ['off', 'on', 'dryRun'] as const;

/** Each leaf carries the phrase that completes "expected …" in an error line. */
const intIn = (min: number, max: number) => {
  const what = `an integer from ${min} to ${max}`;
  return z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what });
};
const numberIn = (min: number, max: number, unit: string) => {
  const what = `a number from ${min} to ${max}${unit ? ` ${unit}` : ''}`;
  return z.number({ error: what }).min(min, { error: what }).max(max, { error: what });
};
const text = (what: string, pattern?: RegExp) => {
  const s = z.string({ error: what }).min(1, { error: what });
  return pattern ? s.regex(pattern, { error: what }) : s;
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` });
const baud = (fallback: number) =>
  z
    .number({ error: `one of ${BAUD_RATES.join(', ')}` })
    .refine((b) => (BAUD_RATES as readonly number[]).includes(b), { error: `one of ${BAUD_RATES.join(', ')}` })
    .default(fallback);

const transportUnion = <T extends readonly [z.ZodObject, ...z.ZodObject[]]>(options: T, names: string) =>
  z.discriminatedUnion('type', options, { error: `a transport with type ${names}` });

/**
 * The schema, built for each validation: a daemon validates its config once at start-up, and zod schemas
 * are heavy objects (~0.4 MB of heap for this one) that would otherwise stay in memory for months.
 */
function buildSchemas() {
  const absolutePath = text('an absolute path (starting with /)', /^\//);
  const httpUrl = text('an http:// or https:// URL', /^https?:\/\/[^\s/]+/);
  const hostName = text('a host name or IP address', /^[A-Za-z0-9.:_-]+$/);
  const tcpPort = intIn(1, 65535);
  const intervalMs = intIn(200, 86_400_000);

  const timeZone = z
    .string({ error: 'an IANA time zone such as Europe/Berlin' })
    .refine(isValidTimeZone, { error: 'an IANA time zone such as Europe/Berlin' });

  const serialTransport = (defaultBaud: number) =>
    z.object({ type: z.literal('serial'), path: absolutePath, baud: baud(defaultBaud) }).strict();
  const tcpTransport = z.object({ type: z.literal('tcp'), host: hostName, port: tcpPort }).strict();
  const hidrawTransport = z.object({ type: z.literal('hidraw'), path: absolutePath }).strict();
  const mbmdTransport = z
    .object({
      type: z.literal('mbmd'),
      url: httpUrl,
      meterId: text('an mbmd meter id such as SDM2301.1').default('SDM2301.1'),
      /** `last` reading, or mbmd's `avg` over its cache window (what the original installation read). */
      endpoint: oneOf(['last', 'avg'] as const).default('last'),
    })
    .strict();

  const InverterSchema = z
    .object({
      transport: transportUnion([serialTransport(2400), tcpTransport, hidrawTransport], 'serial, tcp or hidraw'),
      /** Interval per query command; protocols.md §1.5 gives the usual cadence. */
      poll: z
        .object({
          QPIGS: intervalMs.default(1000),
          QPIRI: intervalMs.default(60_000),
          QMOD: intervalMs.default(5000),
          QPIWS: intervalMs.default(5000),
          Q1: intervalMs.default(60_000),
        })
        .strict()
        .default({ QPIGS: 1000, QPIRI: 60_000, QMOD: 5000, QPIWS: 5000, Q1: 60_000 }),
      replyTimeoutMs: intIn(200, 10_000).default(2000),
    })
    .strict();

  const BmsSchema = z
    .object({
      transport: transportUnion([serialTransport(9600), tcpTransport], 'serial or tcp'),
      /** Host address byte: 0x80 on the UART adapter, 0x40 on RS-485 (protocols.md §6). */
      address: intIn(0, 255).default(0x80),
      /** Which direction a positive current means; one firmware is reported with the opposite sign. */
      currentSign: oneOf(['positiveCharging', 'positiveDischarging'] as const).default('positiveCharging'),
      /** Live values (0x90, 0x93); the cells (0x91, 0x95) and the slow tables (0x92, 0x94, 0x96-0x98) have their own. */
      pollMs: intervalMs.default(1000),
      cellsPollMs: intervalMs.default(5000),
      statusPollMs: intervalMs.default(10_000),
      replyTimeoutMs: intIn(200, 10_000).default(1000),
    })
    .strict();

  const MeterSchema = z
    .object({
      transport: transportUnion([serialTransport(9600), tcpTransport, mbmdTransport], 'serial, tcp or mbmd'),
      slaveId: intIn(1, 247).default(1),
      pollMs: intervalMs.default(1000),
      replyTimeoutMs: intIn(200, 10_000).default(1000),
    })
    .strict();


  const BatterySchema = z
    .object({
      chemistry: oneOf(BATTERY_CHEMISTRIES),
      cellsInSeries: intIn(4, 32),
      capacityAh: numberIn(1, 10_000, 'Ah'),
      /** The safe window: no command may set a voltage outside cells × [cellMinV, cellMaxV]. */
      cellMinV: numberIn(1.5, 4.5, 'V'),
      cellMaxV: numberIn(1.5, 4.5, 'V'),
    })
    .strict()
    .refine((b) => b.cellMinV < b.cellMaxV, { error: 'a voltage above cellMinV', path: ['cellMaxV'] });

  const nullableDays = z.union([intIn(1, 36_500), z.null()], { error: 'an integer from 1 to 36500, or null (forever)' });

  const StoreSchema = z
    .object({
      /** SQLite file; default `voltmon.db` in the data directory. */
      path: absolutePath.optional(),
      retentionDays: z
        .object({
          raw: intIn(1, 36_500).default(30),
          minute: intIn(1, 36_500).default(730),
          hour: nullableDays.default(null),
          day: nullableDays.default(null),
        })
        .strict()
        .default({ raw: 30, minute: 730, hour: null, day: null }),
      batchMs: intIn(100, 600_000).default(5000),
    })
    .strict();

  const MariadbSchema = z
    .object({
      url: text('a mysql:// or mariadb:// URL', /^(mysql|mariadb):\/\/\S+$/),
    })
    .strict();

  const ApiSchema = z
    .object({
      /** 127.0.0.1 unless set: a Pi serving its LAN must say 0.0.0.0 on purpose. */
      host: hostName.default('127.0.0.1'),
      port: intIn(0, 65535).default(DEFAULT_PORT),
      corsOrigins: z.array(text('an origin such as http://kiosk.local:48211', /^https?:\/\/[^\s/]+$/)).default([]),
      tls: z.object({ cert: absolutePath, key: absolutePath }).strict().optional(),
      /** When set, POST /control also needs the header `X-Voltmon-Pin`. */
      kioskPin: text('4 to 12 digits', /^\d{4,12}$/).optional(),
      /** Requests per minute allowed for one token. */
      requestsPerMinute: intIn(10, 100_000).default(1200),
    })
    .strict();

  const peerName = text('a name of letters, digits, - or _', /^[A-Za-z0-9_-]{1,64}$/);

  /** `token` is needed only to act on the peer (its relay); health needs none. */
  const PeerSchema = z.object({ name: peerName, url: httpUrl, token: text('an API token').optional() }).strict();

  const RelaySchema = z.discriminatedUnion(
    'type',
    [
      z
        .object({
          type: z.literal('gpio'),
          bcmLine: intIn(0, 27),
          /** `activeHigh`: a high line connects the grid. */
          polarity: oneOf(['activeHigh', 'activeLow'] as const),
          /** The controller host this instance watches; its silence connects the grid. */
          watchdog: z
            .object({ peer: peerName, timeoutS: intIn(10, 3600).default(120), pollS: intIn(1, 600).default(10) })
            .strict()
            .optional(),
        })
        .strict(),
      z.object({ type: z.literal('peer'), peer: peerName }).strict(),
    ],
    { error: 'a relay with type gpio or peer' },
  );


  const ControllerSchema = z
    .object({
      mode: oneOf(CONTROLLER_MODES).default('off'),
      /** Validated by the controller's own schema in the engine; here only their shape. */
      thresholds: z.record(z.string(), z.number({ error: 'a number' })).default({}),
    })
    .strict();

  const SiteSchema = z
    .object({
      name: text('a name of letters, digits, space, . - or _', /^[A-Za-z0-9 ._-]{1,64}$/),
      timeZone,
    })
    .strict();

  const ConfigSchema = z
    .object({
      site: SiteSchema,
      devices: z
        .object({ inverter: InverterSchema.optional(), bms: BmsSchema.optional(), meter: MeterSchema.optional() })
        .strict()
        .default({}),
      battery: BatterySchema,
      store: StoreSchema.default({
        retentionDays: { raw: 30, minute: 730, hour: null, day: null },
        batchMs: 5000,
      }),
      mariadb: MariadbSchema.optional(),
      api: ApiSchema.default({ host: '127.0.0.1', port: DEFAULT_PORT, corsOrigins: [], requestsPerMinute: 1200 }),
      peers: z.array(PeerSchema).default([]),
      relay: RelaySchema.optional(),
      controller: ControllerSchema.default({ mode: 'off', thresholds: {} }),
    })
    .strict()
    .superRefine((config, ctx) => {
      const names = config.peers.map((p) => p.name);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['peers', i, 'name'], input: name, message: 'a name no other peer has' });
      });
      const known = `the name of a peer in peers (${names.length ? names.join(', ') : 'none configured'})`;
      const relay = config.relay;
      if (relay?.type === 'peer' && !names.includes(relay.peer)) {
        ctx.addIssue({ code: 'custom', path: ['relay', 'peer'], input: relay.peer, message: known });
      }
      const owner = relay?.type === 'peer' ? config.peers.find((p) => p.name === relay.peer) : undefined;
      if (owner && !owner.token) {
        const i = config.peers.indexOf(owner);
        ctx.addIssue({ code: 'custom', path: ['peers', i, 'token'], input: undefined, message: `an operator token of ${owner.name}, which owns the relay` });
      }
      if (relay?.type === 'gpio' && relay.watchdog && !names.includes(relay.watchdog.peer)) {
        ctx.addIssue({ code: 'custom', path: ['relay', 'watchdog', 'peer'], input: relay.watchdog.peer, message: known });
      }
    });
  return { ConfigSchema, InverterSchema, BmsSchema, MeterSchema, BatterySchema, RelaySchema, PeerSchema, ApiSchema, ControllerSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;

export type VoltmonConfig = z.output<Schemas['ConfigSchema']>;
export type InverterConfig = z.output<Schemas['InverterSchema']>;
export type BmsConfig = z.output<Schemas['BmsSchema']>;
export type MeterConfig = z.output<Schemas['MeterSchema']>;
export type BatteryConfig = z.output<Schemas['BatterySchema']>;
export type RelayConfig = z.output<Schemas['RelaySchema']>;
export type PeerConfig = z.output<Schemas['PeerSchema']>;
export type ApiConfig = z.output<Schemas['ApiSchema']>;
export type ControllerConfig = z.output<Schemas['ControllerSchema']>;

/** Validate a parsed YAML document; every error is one line naming the key, the value and what is allowed. */
export function parseConfig(raw: unknown): Result<VoltmonConfig, string[]> {
  const { ConfigSchema } = buildSchemas();
  const parsed = ConfigSchema.safeParse(raw, { reportInput: true, error: genericExpectation });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => formatIssue(ConfigSchema, issue, raw)) };
}

type Issue = z.core.$ZodIssue;

/** Fallback phrases for issues the schema gives no words of its own. */
function genericExpectation(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return `${article(issue.expected)} ${issue.expected}`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return undefined;
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === '(hidden)') return value;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

function formatIssue(configSchema: z.core.$ZodType, issue: Issue, raw: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(configSchema, issue.path, raw);
    const keys = issue.keys.map((k) => `'${k}'`).join(', ');
    return `${path}: unknown key ${keys}${allowed ? `, expected one of ${allowed.join(', ')}` : ''}`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    const input = valueAt(raw, issue.path);
    return `${path}: got ${describeValue(input)}, expected ${issue.message}`;
  }
  // A refinement of an object reports the whole object as its input; the value at the path is what counts.
  const input = issue.code !== 'custom' && 'input' in issue ? issue.input : valueAt(raw, issue.path);
  if (input === undefined) return `${path}: missing, expected ${issue.message}`;
  return `${path}: got ${describeValue(redact(issue.path, input))}, expected ${issue.message}`;
}

const SECRET_KEYS = new Set(['token', 'kioskPin']);

/** Error lines end up in logs: never print a secret, nor the password inside a URL. */
function redact(path: readonly PropertyKey[], value: unknown): unknown {
  const key = path[path.length - 1];
  if (typeof key === 'string' && SECRET_KEYS.has(key)) return value === '' ? value : '(hidden)';
  if (typeof value === 'string') return value.replace(/\/\/([^:/@\s]*):[^@/\s]*@/, '//$1:***@');
  return value;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The keys an object at `path` may have, found by walking the schema alongside the input. */
function allowedKeys(configSchema: z.core.$ZodType, path: readonly PropertyKey[], raw: unknown): string[] | null {
  let schema: z.core.$ZodType = configSchema;
  let node: unknown = raw;
  const steps = [...path];
  for (;;) {
    schema = unwrap(schema, node);
    const step = steps.shift();
    if (step === undefined) break;
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[step] : undefined;
    if (schema instanceof z.ZodObject) {
      const next: z.core.$ZodType | undefined = schema.shape[String(step)];
      if (!next) return null;
      schema = next;
    } else if (schema instanceof z.ZodArray) {
      schema = schema.element;
    } else {
      return null;
    }
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : null;
}

function unwrap(schema: z.core.$ZodType, node: unknown): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.core.$ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.core.$ZodType;
    } else if (current instanceof z.ZodDiscriminatedUnion) {
      const type = node !== null && typeof node === 'object' ? (node as Record<string, unknown>).type : undefined;
      const match = current.options.find(
        (o) => o instanceof z.ZodObject && (o.shape as Record<string, z.ZodType>).type instanceof z.ZodLiteral &&
          ((o.shape as Record<string, z.ZodType>).type as z.ZodLiteral).values.has(type as never),
      );
      if (!match) return current;
      current = match as z.core.$ZodType;
    } else {
      return current;
    }
  }
}
