/**
 * Reads `voltmon.yaml`: YAML, then secrets, then the schema (src/shared/config.ts).
 * Secrets never sit in the file: a string may name environment variables as `${VOLTMON_DB_PASSWORD}`,
 * and any key `<name>_file` is replaced by `<name>` with the contents of a file that only its owner
 * may read (a group- or world-readable secret file is refused).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { describeValue, formatPath, parseConfig, type VoltmonConfig } from '../../shared/config.js';
import type { Result } from '../../shared/result.js';
import { ControllerThresholdsSchema, DEFAULT_THRESHOLDS } from '../control/thresholds.js';

const ENV_REFERENCE = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FILE_SUFFIX = '_file';

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** Reads a secret file after checking its mode; injectable for tests. */
  readSecretFile?: (path: string) => Result<string, string>;
}

export function loadConfigFile(path: string, sources: SecretSources = { env: process.env }): Result<VoltmonConfig, string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, error: [`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`] };
  }
  return parseConfigText(text, sources, path);
}

export function parseConfigText(text: string, sources: SecretSources, name = 'config'): Result<VoltmonConfig, string[]> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, error: doc.errors.map((e) => `${name}: ${e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : ''}${firstLine(e.message)}`) };
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, error: [`${name}: expected a mapping of settings (site, battery, devices, ...)`] };
  }
  const errors: string[] = [];
  const resolved = resolveSecrets(raw, [], sources, errors);
  if (errors.length > 0) return { ok: false, error: errors };
  const parsed = parseConfig(resolved);
  return parsed.ok ? checkThresholds(parsed.value) : parsed;
}

/** The controller's own schema judges its thresholds (ranges and their order); errors keep our format. */
function checkThresholds(config: VoltmonConfig): Result<VoltmonConfig, string[]> {
  const given = config.controller.thresholds;
  const merged: Record<string, unknown> = { ...DEFAULT_THRESHOLDS, ...given };
  const parsed = ControllerThresholdsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, value: config };
  return {
    ok: false,
    error: parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `controller.thresholds: unknown key ${issue.keys.map((k) => `'${k}'`).join(', ')}, expected one of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`;
      }
      const key = String(issue.path[0] ?? '');
      const value = `got ${describeValue(merged[key])}${Object.prototype.hasOwnProperty.call(given, key) ? '' : ' (the default)'}`;
      const where = `controller.thresholds.${key}`;
      if (issue.code === 'too_big') return `${where}: ${value}, expected at most ${String(issue.maximum)}`;
      if (issue.code === 'too_small') return `${where}: ${value}, expected at least ${String(issue.minimum)}`;
      if (issue.code === 'invalid_type') return `${where}: ${value}, expected a number`;
      return `${where}: ${value}, but ${issue.message}`;
    }),
  };
}

const firstLine = (s: string): string => s.split('\n')[0] ?? s;

function resolveSecrets(node: unknown, path: PropertyKey[], sources: SecretSources, errors: string[]): unknown {
  if (typeof node === 'string') return substituteEnv(node, path, sources.env, errors);
  if (Array.isArray(node)) return node.map((item, i) => resolveSecrets(item, [...path, i], sources, errors));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const entries = Object.entries(node as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (!key.endsWith(FILE_SUFFIX) || key.length === FILE_SUFFIX.length) {
      out[key] = resolveSecrets(value, [...path, key], sources, errors);
      continue;
    }
    const target = key.slice(0, -FILE_SUFFIX.length);
    const where = formatPath([...path, key]);
    if (Object.prototype.hasOwnProperty.call(node, target)) {
      errors.push(`${where}: both ${target} and ${key} are set, expected only one of them`);
      continue;
    }
    if (typeof value !== 'string' || !value.startsWith('/')) {
      errors.push(`${where}: got ${JSON.stringify(value)}, expected an absolute path to a file holding the secret`);
      continue;
    }
    const secret = (sources.readSecretFile ?? readSecretFile)(value);
    if (secret.ok) out[target] = secret.value;
    else errors.push(`${where}: ${secret.error}`);
  }
  return out;
}

function substituteEnv(value: string, path: PropertyKey[], env: NodeJS.ProcessEnv, errors: string[]): string {
  return value.replace(ENV_REFERENCE, (match, name: string) => {
    const where = formatPath(path);
    if (!ENV_NAME.test(name)) {
      errors.push(`${where}: got ${match}, expected \${NAME} with NAME made of letters, digits and _`);
      return match;
    }
    const found = env[name];
    if (found === undefined || found === '') {
      errors.push(`${where}: environment variable ${name} is not set, expected it to hold the value`);
      return match;
    }
    return found;
  });
}

/** A secret file must be a regular file that its group and others cannot read or write. */
export function readSecretFile(path: string): Result<string, string> {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, error: `${path} is not a regular file` };
    const mode = st.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      return {
        ok: false,
        error: `${path} has mode ${mode.toString(8).padStart(4, '0')}, expected a file only its owner can read (chmod 600 ${path})`,
      };
    }
    const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    if (text.length === 0) return { ok: false, error: `${path} is empty, expected the secret in it` };
    return { ok: true, value: text };
  } catch (err) {
    return { ok: false, error: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}
