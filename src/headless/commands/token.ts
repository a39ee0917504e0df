/**
 * `voltmon token add|list|revoke`: manage API tokens in the data directory. `add` prints the token
 * alone on stdout (so scripts can capture it) and never again; a running daemon accepts it at once.
 */
import { parseArgs } from 'node:util';
import { openTokenStore, ROLES, TokenNameTakenError, type Role, type TokenInfo } from '../../main/auth/token-store.js';
import { ensureDataDir, resolveDataDir } from '../data-dir.js';
import { usageReporter } from '../cli-args.js';

const USAGE =
  'usage: voltmon token add --role viewer|operator [--name NAME] [--data-dir DIR]\n' +
  '       voltmon token list [--data-dir DIR]\n' +
  '       voltmon token revoke <name|id> [--data-dir DIR]\n';

const usageError = usageReporter('token', USAGE);

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { role: { type: 'string' }, name: { type: 'string' }, 'data-dir': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    return usageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const dataDir = resolveDataDir(values['data-dir']);

  switch (sub) {
    case 'add': {
      if (positionals.length > 0) return usageError(`unexpected argument '${positionals[0]}'`);
      const role = values.role;
      if (!role || !(ROLES as readonly string[]).includes(role)) return usageError('--role must be viewer or operator');
      if (values.name !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(values.name)) {
        return usageError('--name must be 1 to 64 letters, digits, ., - or _');
      }
      const store = openTokenStore(ensureDataDir(dataDir));
      try {
        const { token, info } = store.add(role as Role, values.name);
        process.stdout.write(`${token}\n`);
        process.stderr.write(`added ${info.role} token '${info.name}' (id ${info.id}); it is shown only now\n`);
        return 0;
      } catch (err) {
        if (err instanceof TokenNameTakenError) {
          process.stderr.write(`voltmon token: ${err.message}\n`);
          return 1;
        }
        throw err;
      } finally {
        store.close();
      }
    }
    case 'list': {
      if (positionals.length > 0 || values.role || values.name) return usageError('list takes only --data-dir');
      const store = openTokenStore(ensureDataDir(dataDir));
      try {
        process.stdout.write(formatTable(store.list()));
        return 0;
      } finally {
        store.close();
      }
    }
    case 'revoke': {
      const [target, ...extra] = positionals;
      if (!target || extra.length > 0 || values.role || values.name) return usageError('revoke takes one name or id');
      const store = openTokenStore(ensureDataDir(dataDir));
      try {
        const revoked = store.revoke(target);
        if (!revoked) {
          process.stderr.write(`voltmon token: no token named or with id '${target}'\n`);
          return 1;
        }
        process.stderr.write(`revoked ${revoked.role} token '${revoked.name}' (id ${revoked.id})\n`);
        return 0;
      } finally {
        store.close();
      }
    }
    default:
      return usageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand');
  }
}

function formatTable(tokens: TokenInfo[]): string {
  if (tokens.length === 0) return 'no tokens\n';
  const rows = [
    ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED'],
    ...tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      new Date(t.createdTsMs).toISOString(),
      t.lastUsedTsMs === null ? 'never' : new Date(t.lastUsedTsMs).toISOString(),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n') + '\n';
}
