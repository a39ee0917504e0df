/** `mysql://user:pass@host:port/db` (or `mariadb://`) to connection settings; the password never leaves here in text meant for people. */
import type { Result } from '../../../shared/result.js';

export interface MariadbTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

const DEFAULT_PORT = 3306;
const DATABASE_NAME = /^[A-Za-z0-9_$-]{1,64}$/;

export function parseMariadbUrl(url: string): Result<MariadbTarget, string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: a mistyped URL may hide its password where redactUrl cannot find it.
    return { ok: false, error: 'not a URL: expected mysql://user:password@host:port/database' };
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    return { ok: false, error: `unsupported scheme ${parsed.protocol} in ${redactUrl(url)}: expected mysql:// or mariadb://` };
  }
  if (!parsed.hostname) return { ok: false, error: `no host in ${redactUrl(url)}` };
  if (parsed.search) return { ok: false, error: `query parameters are not supported in ${redactUrl(url)}` };
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) {
    return { ok: false, error: `expected a database name (letters, digits, _ $ -) after the host in ${redactUrl(url)}` };
  }
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;
  if (!decodeURIComponent(parsed.username)) return { ok: false, error: `no user in ${redactUrl(url)}` };
  return {
    ok: true,
    value: {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database,
    },
  };
}

/** The URL with its password replaced by `***`, for logs and status. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@\s]*):[^@\s]*@/, '$1:***@');
}

/** `user@host:port/database`: how a target is named in messages. */
export const describeTarget = (t: MariadbTarget): string => `${t.user}@${t.host}:${t.port}/${t.database}`;
