/**
 * API tokens: random 32-byte bearer tokens with a role, kept only as SHA-256 hashes in `tokens.db`
 * (SQLite, mode 0600) in the data directory. The CLI adds and revokes while the daemon runs: the daemon
 * notices another connection's commit through `PRAGMA data_version` and reloads before it answers.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdTsMs: number;
  lastUsedTsMs: number | null;
}

export interface TokenStore {
  /** Creates a token; the clear text exists only in the return value. Throws when the name is taken. */
  add(role: Role, name?: string): { token: string; info: TokenInfo };
  list(): TokenInfo[];
  /** Removes the token with this name or id; null when there is none. */
  revoke(nameOrId: string): TokenInfo | null;
  /** The token's identity, or null; compares hashes in constant time. */
  verify(token: string): TokenInfo | null;
  close(): void;
}

export const TOKEN_FILE = 'tokens.db';
const TOKEN_PREFIX = 'vmt_';
/** Writing "last used" on every request would wear an SD card for nothing. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface Row {
  id: string;
  name: string;
  role: Role;
  hash: Buffer;
  created_ms: number;
  last_used_ms: number | null;
}

const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

const toInfo = (row: Row): TokenInfo => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdTsMs: row.created_ms,
  lastUsedTsMs: row.last_used_ms,
});

export class TokenNameTakenError extends Error {}

export function openTokenStore(dataDir: string, now: () => number = Date.now): TokenStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, TOKEN_FILE);
  let db: Database.Database;
  try {
    // Create the file owner-only before SQLite opens it; SQLite gives its journal the same mode.
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    db = new Database(file);
  } catch (err) {
    throw new Error(
      `cannot open ${file}: ${err instanceof Error ? err.message : String(err)} (was it made by another user? run voltmon token as the service's user)`,
      { cause: err },
    );
  }
  db.pragma('journal_mode = WAL');
  // better-sqlite3 waits synchronously: keep a daemon's wait for the CLI's short write brief.
  db.pragma('busy_timeout = 1000');
  db.exec(`CREATE TABLE IF NOT EXISTS api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator')),
    hash BLOB NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    last_used_ms INTEGER
  )`);

  const insert = db.prepare('INSERT INTO api_tokens (id, name, role, hash, created_ms) VALUES (?, ?, ?, ?, ?)');
  const selectAll = db.prepare<[], Row>('SELECT * FROM api_tokens ORDER BY created_ms, name');
  const selectOne = db.prepare<[string, string], Row>('SELECT * FROM api_tokens WHERE name = ? OR id = ?');
  const remove = db.prepare('DELETE FROM api_tokens WHERE id = ?');
  const touch = db.prepare('UPDATE api_tokens SET last_used_ms = ? WHERE id = ?');
  const dataVersion = db.prepare<[], { data_version: number }>('PRAGMA data_version');

  let cache: Row[] = [];
  let cachedVersion = -1;
  const refresh = (): void => {
    const version = dataVersion.get()?.data_version ?? -1;
    if (version === cachedVersion) return;
    cache = selectAll.all();
    cachedVersion = version;
  };
  const reload = (): void => {
    cache = selectAll.all();
    cachedVersion = dataVersion.get()?.data_version ?? -1;
  };

  return {
    add(role, name) {
      const id = randomBytes(4).toString('hex');
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const tokenName = name ?? `${role}-${id}`;
      const createdTsMs = now();
      try {
        insert.run(id, tokenName, role, hashToken(token), createdTsMs);
      } catch (err) {
        if (err instanceof Error && /UNIQUE constraint failed: api_tokens.name/.test(err.message)) {
          throw new TokenNameTakenError(`a token named '${tokenName}' already exists`);
        }
        throw err;
      }
      reload();
      return { token, info: { id, name: tokenName, role, createdTsMs, lastUsedTsMs: null } };
    },
    list() {
      return selectAll.all().map(toInfo);
    },
    revoke(nameOrId) {
      const row = selectOne.get(nameOrId, nameOrId);
      if (!row) return null;
      remove.run(row.id);
      reload();
      return toInfo(row);
    },
    verify(token) {
      refresh();
      const candidate = hashToken(token);
      let match: Row | null = null;
      // Compare against every hash so the time taken says nothing about which one (if any) matched.
      for (const row of cache) {
        if (row.hash.length === candidate.length && timingSafeEqual(row.hash, candidate)) match = row;
      }
      if (!match) return null;
      const t = now();
      if (match.last_used_ms === null || t - match.last_used_ms >= LAST_USED_RESOLUTION_MS) {
        match.last_used_ms = t;
        try {
          touch.run(t, match.id);
        } catch {
          // Only the "last used" column is lost (the file was busy or read-only); the token is valid.
        }
      }
      return toInfo(match);
    },
    close() {
      db.close();
    },
  };
}
