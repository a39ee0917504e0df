/** Every API error is `{ error, message }` with a stable `error` code and a sentence for people. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../shared/api.js';

export type ApiErrorCode =
  | 'badRequest'
  | 'badJson'
  | 'unauthorized'
  | 'forbidden'
  | 'badPin'
  | 'notFound'
  | 'methodNotAllowed'
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'tooManyRequests'
  | 'internal';

const STATUS: Record<ApiErrorCode, number> = {
  badRequest: 400,
  badJson: 400,
  unauthorized: 401,
  forbidden: 403,
  badPin: 403,
  notFound: 404,
  methodNotAllowed: 405,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  tooManyRequests: 429,
  internal: 500,
};

/** Thrown by a port for a request it cannot answer as asked (a range too long, say): answered 400 with the message. */
export class ApiInputError extends Error {
  override readonly name = 'ApiInputError';
}

export function sendError(reply: FastifyReply, code: ApiErrorCode, message: string): FastifyReply {
  const body: ApiError = { error: code, message };
  return reply.code(STATUS[code]).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own errors (body parsing, limits) mapped to ours; anything unexpected is logged, not shown. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiInputError) return sendError(reply, 'badRequest', error.message);
  const status = error.statusCode ?? 500;
  if (status === 413) return sendError(reply, 'payloadTooLarge', 'the request body is larger than this API accepts');
  if (status === 415) return sendError(reply, 'unsupportedMediaType', 'send the body as application/json');
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 'badJson', 'the body is empty, expected JSON');
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendError(reply, 'badJson', 'the body is not valid JSON');
  }
  if (status >= 400 && status < 500) return sendError(reply, 'badRequest', error.message);
  request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
  return sendError(reply, 'internal', 'the server failed to answer this request; see its log');
}
