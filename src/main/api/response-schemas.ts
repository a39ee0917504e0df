/**
 * The response shapes of src/shared/api.ts as zod schemas, for the OpenAPI description and for tests
 * that check every answer. The type assertions at the end make the build fail if the two drift apart.
 */
import { z } from 'zod';
import type {
  ApiError,
  ControlResponse,
  ControllerSettingsResponse,
  EnergyResponse,
  EventsResponse,
  HealthResponse,
  HistoryResponse,
  LiveResponse,
  SessionResponse,
  StreamMessage,
} from '../../shared/api.js';
import { ControlActionSchema } from '../../shared/control.js';
import { DEVICE_KINDS } from '../../shared/samples.js';
import { CONTROLLER_MODES } from '../../shared/config.js';
import { ENERGY_PERIODS } from './request-schemas.js';

const DeviceKindSchema = z.enum(DEVICE_KINDS);
const LinkStateSchema = z.enum(['connecting', 'online', 'offline']);
const FieldValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const ModeSchema = z.enum(CONTROLLER_MODES);

const DeviceStatsSchema = z.object({
  framesOk: z.number(),
  crcErrors: z.number(),
  timeouts: z.number(),
  naks: z.number(),
  implausible: z.number(),
  reconnects: z.number(),
  lastPollLatencyMs: z.number().nullable(),
});

export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  site: z.string(),
  version: z.string(),
  uptimeS: z.number(),
  simulated: z.boolean(),
  devices: z.array(
    z.object({
      device: DeviceKindSchema,
      link: LinkStateSchema,
      description: z.string(),
      stats: DeviceStatsSchema,
      lastSampleTsMs: z.number().nullable(),
    }),
  ),
  sync: z.object({ enabled: z.boolean(), connected: z.boolean(), backlog: z.number(), lastError: z.string().nullable() }),
  controller: z.object({ mode: ModeSchema }),
});

export const LiveResponseSchema = z.object({
  tsMs: z.number(),
  values: z.record(z.string(), FieldValueSchema).optional(),
  series: z.record(z.string(), z.object({ value: FieldValueSchema, tsMs: z.number() })),
  links: z.partialRecord(DeviceKindSchema, LinkStateSchema),
});

const HistoryPointSchema = z.object({ tsMs: z.number(), min: z.number(), avg: z.number(), max: z.number(), count: z.number() });

export const HistoryResponseSchema = z.object({
  from: z.number(),
  to: z.number(),
  level: z.enum(['raw', '1m', '1h', '1d']),
  bucketMs: z.number(),
  series: z.record(z.string(), z.array(HistoryPointSchema)),
  changes: z.record(z.string(), z.array(z.object({ tsMs: z.number(), value: FieldValueSchema }))).optional(),
});

const EnergyTotalsSchema = z.object({
  pvProduced: z.number(),
  loadConsumed: z.number(),
  gridImported: z.number(),
  gridExported: z.number(),
  batteryCharged: z.number(),
  batteryDischarged: z.number(),
});

export const EnergyResponseSchema = z.object({
  period: z.enum(ENERGY_PERIODS),
  timeZone: z.string(),
  rows: z.array(
    z.object({
      startTsMs: z.number(),
      label: z.string(),
      kwh: EnergyTotalsSchema,
      selfConsumptionPct: z.number().nullable(),
      selfSufficiencyPct: z.number().nullable(),
    }),
  ),
});

const EngineEventSchema = z.object({
  id: z.number(),
  tsMs: z.number(),
  kind: z.enum(['fault', 'warning', 'link', 'control', 'controller', 'system']),
  device: DeviceKindSchema.optional(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const EventsResponseSchema = z.object({ events: z.array(EngineEventSchema) });

const ControlOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied'), before: z.unknown(), after: z.unknown(), message: z.string() }),
  z.object({ status: z.literal('refused'), reason: z.string() }),
  z.object({ status: z.literal('failed'), reason: z.string(), before: z.unknown(), after: z.unknown() }),
  z.object({ status: z.literal('unchanged'), reason: z.string() }),
  z.object({ status: z.literal('dryRun'), message: z.string() }),
]);

export const ControlResponseSchema = z.object({ id: z.number(), action: ControlActionSchema, outcome: ControlOutcomeSchema });

export const ControllerSettingsResponseSchema = z.object({ mode: ModeSchema, thresholds: z.record(z.string(), z.number()) });

export const SessionResponseSchema = z.object({ name: z.string(), role: z.enum(['viewer', 'operator']), pinRequired: z.boolean() });

const SampleSchema = z.object({
  device: DeviceKindSchema,
  tsMs: z.number(),
  source: z.string(),
  values: z.record(z.string(), FieldValueSchema),
});

export const StreamMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), live: LiveResponseSchema, health: HealthResponseSchema }),
  z.object({ type: z.literal('sample'), sample: SampleSchema }),
  z.object({ type: z.literal('link'), device: DeviceKindSchema, state: LinkStateSchema, tsMs: z.number() }),
  z.object({ type: z.literal('event'), event: EngineEventSchema }),
  z.object({ type: z.literal('control'), result: ControlResponseSchema }),
]);

export const ApiErrorSchema = z.object({ error: z.string(), message: z.string() });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type ResponseSchemasMatchContracts = [
  Assert<Same<z.infer<typeof HealthResponseSchema>, HealthResponse>>,
  Assert<Same<z.infer<typeof LiveResponseSchema>, LiveResponse>>,
  Assert<Same<z.infer<typeof HistoryResponseSchema>, HistoryResponse>>,
  Assert<Same<z.infer<typeof EnergyResponseSchema>, EnergyResponse>>,
  Assert<Same<z.infer<typeof EventsResponseSchema>, EventsResponse>>,
  Assert<Same<z.infer<typeof ControlResponseSchema>, ControlResponse>>,
  Assert<Same<z.infer<typeof ControllerSettingsResponseSchema>, ControllerSettingsResponse>>,
  Assert<Same<z.infer<typeof SessionResponseSchema>, SessionResponse>>,
  Assert<Same<z.infer<typeof StreamMessageSchema>, StreamMessage>>,
  Assert<Same<z.infer<typeof ApiErrorSchema>, ApiError>>,
];
