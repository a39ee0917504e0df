/** GET /api/v1/openapi.json: an OpenAPI 3.1 description generated from the request and response schemas. */
import { z } from 'zod';
import { API_PREFIX } from '../../shared/api.js';
import { ControlActionSchema } from '../../shared/control.js';
import { ControllerUpdateSchema, EnergyQuerySchema, EventsQuerySchema, HistoryQuerySchema } from './request-schemas.js';
import {
  ApiErrorSchema,
  ControlResponseSchema,
  ControllerSettingsResponseSchema,
  EnergyResponseSchema,
  EventsResponseSchema,
  HealthResponseSchema,
  HistoryResponseSchema,
  LiveResponseSchema,
  SessionResponseSchema,
  StreamMessageSchema,
} from './response-schemas.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

function queryParameters(s: z.ZodObject): Json[] {
  return Object.entries(s.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    return {
      name,
      in: 'query',
      required: !fieldSchema.safeParse(undefined).success,
      description: fieldSchema.description,
      schema: { type: 'string' },
    };
  });
}

const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});

const ok = (ref: string): Json => ({
  200: { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } },
  400: errorResponse('invalid parameters or body'),
  401: errorResponse('missing or invalid token'),
  429: errorResponse('too many requests'),
});

const viewer = [{ bearer: [] }];

export function buildOpenApi(version: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'voltmon API',
      version,
      description:
        'Live values, history, energy, events and control of an off-grid solar installation. Every endpoint but ' +
        '/health and the web UI needs `Authorization: Bearer <token>` (`voltmon token add`). Control needs an operator token.',
    },
    servers: [{ url: API_PREFIX }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ApiError: schema(ApiErrorSchema, 'output'),
        HealthResponse: schema(HealthResponseSchema, 'output'),
        LiveResponse: schema(LiveResponseSchema, 'output'),
        HistoryResponse: schema(HistoryResponseSchema, 'output'),
        EnergyResponse: schema(EnergyResponseSchema, 'output'),
        EventsResponse: schema(EventsResponseSchema, 'output'),
        ControlAction: schema(ControlActionSchema, 'input'),
        ControlResponse: schema(ControlResponseSchema, 'output'),
        ControllerUpdate: schema(ControllerUpdateSchema, 'input'),
        ControllerSettingsResponse: schema(ControllerSettingsResponseSchema, 'output'),
        SessionResponse: schema(SessionResponseSchema, 'output'),
        StreamMessage: schema(StreamMessageSchema, 'output'),
      },
    },
    paths: {
      '/health': { get: { summary: 'Status and link state of every device (no token needed)', security: [], responses: ok('HealthResponse') } },
      '/session': {
        get: { summary: 'Name and role of the token, and whether control actions need the kiosk PIN', security: viewer, responses: ok('SessionResponse') },
      },
      '/live': { get: { summary: 'Latest value of every series', security: viewer, responses: ok('LiveResponse') } },
      '/history': {
        get: {
          summary: 'min/avg/max per bucket of one or more series',
          security: viewer,
          parameters: queryParameters(HistoryQuerySchema),
          responses: ok('HistoryResponse'),
        },
      },
      '/energy': {
        get: {
          summary: 'kWh per hour, day or month in the site time zone',
          security: viewer,
          parameters: queryParameters(EnergyQuerySchema),
          responses: ok('EnergyResponse'),
        },
      },
      '/events': {
        get: { summary: 'Faults, warnings, controller and user actions', security: viewer, parameters: queryParameters(EventsQuerySchema), responses: ok('EventsResponse') },
      },
      '/control': {
        post: {
          summary: 'Apply one control action (operator token; X-Voltmon-Pin when a kiosk PIN is set)',
          security: viewer,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ControlAction' } } } },
          responses: { ...ok('ControlResponse'), 403: errorResponse('viewer token or wrong kiosk PIN'), 413: errorResponse('body too large') },
        },
      },
      '/controller': {
        get: { summary: 'Controller mode and thresholds', security: viewer, responses: ok('ControllerSettingsResponse') },
        put: {
          summary: 'Change the controller mode or thresholds (operator token)',
          security: viewer,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ControllerUpdate' } } } },
          responses: { ...ok('ControllerSettingsResponse'), 403: errorResponse('viewer token or wrong kiosk PIN') },
        },
      },
      '/stream': {
        get: {
          summary:
            'WebSocket: a snapshot, then sample/link/event/control messages (StreamMessage). Token as Authorization header, ' +
            '?token=, or a first message {"token": "..."}.',
          security: viewer,
          responses: { 101: { description: 'Switching to WebSocket; messages are StreamMessage JSON' }, 401: errorResponse('invalid token') },
        },
      },
    },
  };
}
