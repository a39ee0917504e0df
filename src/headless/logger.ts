/** Structured logs with pino: readable lines on a terminal, JSON lines for journald and log shippers. */
import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Default: pretty when stdout is a terminal. */
  pretty?: boolean;
}

export async function createLogger(options: LoggerOptions = {}): Promise<Logger> {
  const level = options.level ?? process.env.VOLTMON_LOG_LEVEL ?? 'info';
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY);
  const base = { level, base: undefined, redact: { paths: ['req.headers.authorization', '*.token'], censor: '[hidden]' } };
  if (!usePretty) return pino(base);
  // pino-pretty as a stream in this thread (a transport worker would cost a Pi another ~10 MB), and
  // loaded only on a terminal.
  const { default: pretty } = await import('pino-pretty');
  return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
}
