/**
 * Request schemas: query strings and bodies, checked strictly (an unknown field is an error).
 * The OpenAPI description is generated from these.
 */
import { z } from 'zod';
import type { EventKind } from '../../shared/events.js';
import { isKnownSeries } from '../../shared/series.js';
import { CONTROLLER_MODES } from '../../shared/config.js';

export const MAX_HISTORY_POINTS = 5000;
export const DEFAULT_HISTORY_POINTS = 500;
export const MAX_HISTORY_SERIES = 32;
export const MAX_EVENTS = 1000;
export const DEFAULT_EVENTS = 200;
export const EVENT_KINDS: readonly EventKind[] = ['fault', 'warning', 'link', 'control', 'controller', 'system'];

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** UTC ms (digits) or ISO 8601 (a date alone is UTC midnight; a date-time needs its offset or Z). */
export function parseTimeParam(text: string): number | null {
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  if (!ISO_8601.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

const time = z
  .string()
  .describe('UTC milliseconds, or ISO 8601 (2026-01-31, 2026-01-31T12:00:00Z, 2026-01-31T13:00:00+01:00)')
  .transform((text, ctx) => {
    const ms = parseTimeParam(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `'${text}' is neither UTC milliseconds nor an ISO 8601 date-time with offset` });
      return z.NEVER;
    }
    return ms;
  });

const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { message: 'expected a whole number' })
    .transform(Number)
    .refine((n) => n >= 1, { message: 'expected at least 1' })
    .transform((n) => Math.min(n, max));

const commaList = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

export const HistoryQuerySchema = z
  .object({
    series: commaList
      .describe('comma-separated series names such as inverter.batteryVoltageV,bms.socPct')
      .refine((list) => list.length >= 1, { message: 'name at least one series' })
      .refine((list) => list.length <= MAX_HISTORY_SERIES, { message: `at most ${MAX_HISTORY_SERIES} series per request` })
      .superRefine((list, ctx) => {
        const unknown = list.filter((name) => !isKnownSeries(name));
        if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown series: ${unknown.join(', ')}` });
      }),
    from: time.optional(),
    to: time.optional(),
    points: positiveInt(MAX_HISTORY_POINTS).optional().describe(`at most this many buckets (capped at ${MAX_HISTORY_POINTS})`),
  })
  .strict();

export const ENERGY_PERIODS = ['hour', 'day', 'month'] as const;

export const EnergyQuerySchema = z
  .object({ period: z.enum(ENERGY_PERIODS), from: time.optional(), to: time.optional() })
  .strict();

export const EventsQuerySchema = z
  .object({
    from: time.optional(),
    to: time.optional(),
    kind: commaList
      .describe(`comma-separated: ${EVENT_KINDS.join(', ')}`)
      .superRefine((list, ctx) => {
        const unknown = list.filter((k) => !(EVENT_KINDS as readonly string[]).includes(k));
        if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown event kind: ${unknown.join(', ')} (known: ${EVENT_KINDS.join(', ')})` });
      })
      .optional(),
    limit: positiveInt(MAX_EVENTS).optional(),
  })
  .strict();

export const ControllerUpdateSchema = z
  .object({
    mode: z.enum(CONTROLLER_MODES).optional(),
    thresholds: z.record(z.string(), z.number().finite()).optional(),
  })
  .strict();

export const StreamAuthMessageSchema = z.object({ token: z.string().min(1).max(512) }).strict();

/** Longest window each energy period may cover in one request, so an answer stays small. */
export const ENERGY_MAX_RANGE_MS: Record<(typeof ENERGY_PERIODS)[number], number> = {
  hour: 93 * 86_400_000,
  day: 10 * 366 * 86_400_000,
  month: 100 * 366 * 86_400_000,
};

/** Without from/to: the last day of history, the last 2 days of hours, 31 days of days, 366 days of months. */
export const DEFAULT_WINDOW_MS = {
  history: 86_400_000,
  hour: 2 * 86_400_000,
  day: 31 * 86_400_000,
  month: 366 * 86_400_000,
} as const;

/** One line from a zod error, naming the parameter: `points: expected a whole number`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
