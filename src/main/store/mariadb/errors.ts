/** Why talking to MariaDB failed, in words for status and logs (never containing the password). */
import { SchemaTooNewError } from './migrations.js';

export type FailureKind = 'unreachable' | 'connectionLost' | 'timeout' | 'accessDenied' | 'noDatabase' | 'schema' | 'data' | 'query' | 'outbox';

export interface Failure {
  kind: FailureKind;
  message: string;
  /** The connection cannot be used any more. */
  fatal: boolean;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const LOST = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED']);
const DENIED = /^ER_\w*ACCESS_DENIED/;
/** Server refused one row's values; the connection is fine. */
const DATA = new Set([
  'ER_DATA_TOO_LONG',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_BAD_NULL_ERROR',
  'ER_CONSTRAINT_FAILED',
  'ER_CHECK_CONSTRAINT_VIOLATED',
  'ER_INVALID_JSON_TEXT',
]);

/** The local outbox (SQLite) failed, not MariaDB. */
export class OutboxError extends Error {
  constructor(cause: unknown) {
    super(`the local outbox failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'OutboxError';
  }
}

export function describeFailure(err: unknown, target: string): Failure {
  if (err instanceof SchemaTooNewError) return { kind: 'schema', message: err.message, fatal: false };
  if (err instanceof OutboxError) return { kind: 'outbox', message: err.message, fatal: false };
  const e = err as { code?: string; message?: string; fatal?: boolean } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const detail = firstLine(e?.message ?? String(err));
  if (UNREACHABLE.has(code)) return { kind: 'unreachable', message: `cannot reach MariaDB at ${target} (${code})`, fatal: true };
  if (LOST.has(code)) return { kind: 'connectionLost', message: `connection to MariaDB at ${target} lost (${code})`, fatal: true };
  if (code === 'PROTOCOL_SEQUENCE_TIMEOUT') return { kind: 'timeout', message: `MariaDB at ${target} did not answer in time`, fatal: true };
  if (DENIED.test(code)) return { kind: 'accessDenied', message: `MariaDB refused ${target}: ${detail}`, fatal: true };
  if (code === 'ER_BAD_DB_ERROR') return { kind: 'noDatabase', message: `MariaDB at ${target}: ${detail}`, fatal: true };
  if (DATA.has(code)) return { kind: 'data', message: `MariaDB refused a value: ${detail}`, fatal: false };
  return { kind: 'query', message: `MariaDB at ${target}: ${detail}${code ? ` (${code})` : ''}`, fatal: e?.fatal === true };
}

const firstLine = (s: string): string => s.split('\n')[0] ?? s;
