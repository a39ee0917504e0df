/**
 * The system's compiled zone files (TZDIR, else /usr/share/zoneinfo) as the source of local time, so the
 * daemon never loads ICU's time-zone code and data (about 9 MB of RSS on first use). Where a zone has no
 * readable file (Windows, an alias spelled in another case) the caller falls back to Intl.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { useZoneRules, type OffsetLookup } from '../../shared/zone.js';
import { offsetAtMs, parseTzif, type ZoneRules } from './tzif.js';

const DEFAULT_ZONE_DIR = '/usr/share/zoneinfo';
/**
 * What a zone name looks like (`UTC`, `Etc/GMT+5`, `America/Argentina/Buenos_Aires`): segments of
 * letters, digits, `_`, `+` and `-` joined by `/`, starting with a letter. No dots, backslashes, NUL or
 * leading slash, so a name cannot leave the zone directory.
 */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/** Files of the zoneinfo tree that are no zone Intl knows; `right/` counts leap seconds. */
const NOT_ZONES = new Set(['Factory', 'localtime', 'posixrules']);
const NOT_ZONE_DIRS = /^(?:posix|right)\//;

/** Parsed files (null: missing or unusable) by directory and name; zones do not change while running. */
const loaded = new Map<string, ZoneRules | null>();

function zoneDir(): string {
  // An empty TZDIR would make names relative to the working directory.
  return process.env.TZDIR || DEFAULT_ZONE_DIR;
}

export function isZoneName(name: string): boolean {
  return ZONE_NAME.test(name) && !NOT_ZONES.has(name) && !NOT_ZONE_DIRS.test(name);
}

/** The rules of zone `timeZone` from its file, or null when the name is refused or the file is missing or malformed. */
export function loadSystemZone(timeZone: string): ZoneRules | null {
  if (!isZoneName(timeZone)) return null;
  const dir = zoneDir();
  const key = `${dir}\0${timeZone}`;
  let rules = loaded.get(key);
  if (rules === undefined) {
    try {
      rules = parseTzif(readFileSync(join(dir, timeZone)));
    } catch {
      rules = null;
    }
    loaded.set(key, rules);
  }
  return rules;
}

/** A ZoneRulesLoader (src/shared/zone.ts) over the system's zone files. */
export function systemZoneLookup(timeZone: string): OffsetLookup | null {
  const rules = loadSystemZone(timeZone);
  return rules ? (tsMs) => offsetAtMs(rules, tsMs) : null;
}

/** Every zone clock of this process reads the system's zone files first (called once at start-up). */
export function installSystemZoneRules(): void {
  useZoneRules(systemZoneLookup);
}

export interface SystemZoneSources {
  /** Symlink into the zoneinfo tree; default /etc/localtime. */
  localtimePath?: string;
  /** Debian's one-line zone name; default /etc/timezone. */
  timezonePath?: string;
}

/**
 * The machine's zone name from `TZ` (`Europe/Berlin`, `:Europe/Berlin`, or a path into the zoneinfo
 * tree), else from the target of /etc/localtime, else from /etc/timezone; each only when it names a zone
 * file. Null when none does, and when TZ is set to something else (a POSIX rule such as `CET-1CEST`):
 * local time then follows TZ, which only Intl reads.
 */
export function systemTimeZone(sources: SystemZoneSources = {}): string | null {
  const tz = process.env.TZ;
  // An empty TZ means UTC to the C library and to Node alike.
  if (tz !== undefined) return usableZone(tz === '' ? 'UTC' : nameInTree(tz.replace(/^:/, '')));
  let linked: string | null = null;
  try {
    linked = usableZone(nameInTree(readlinkSync(sources.localtimePath ?? '/etc/localtime')));
  } catch {
    // Not a symlink (a copied file) or absent: no name to read from it.
  }
  if (linked) return linked;
  try {
    return usableZone(readFileSync(sources.timezonePath ?? '/etc/timezone', 'utf8').trim());
  } catch {
    return null;
  }
}

/** `Europe/Berlin` from `/usr/share/zoneinfo/Europe/Berlin`, `../usr/share/zoneinfo/posix/Europe/Berlin` or `$TZDIR/Europe/Berlin`. */
function nameInTree(path: string): string {
  const dir = `${zoneDir()}/`;
  const at = path.lastIndexOf('zoneinfo/');
  const name = path.startsWith(dir) ? path.slice(dir.length) : at < 0 ? path : path.slice(at + 'zoneinfo/'.length);
  return name.replace(/^posix\//, '');
}

function usableZone(name: string): string | null {
  return loadSystemZone(name) ? name : null;
}
