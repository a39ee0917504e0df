/**
 * V8 settings for the long-running daemon, applied at run time so other commands keep Node's defaults.
 *
 * - Young generation: under the daemon's steady trickle of short-lived objects V8 grows the semi-spaces to
 *   16 MB each, which an idle daemon keeps resident; 2 MB each costs a few more cheap scavenges.
 * - No optimizing or baseline compilers: the daemon's hot paths (decoding a frame, a sample through the bus)
 *   run a few times a second and gain nothing from optimized code, while the compilers' code pages, zones
 *   and optimized code cost ~13 MB of RSS (measured in bench/daemon-steady.ts).
 *
 * - A major GC once a minute: V8 collects the old generation only when it has grown ~8 MB past what is
 *   live, so a daemon with ~12 MB live swings between ~58 and ~66 MB of RSS over ten minutes. Collecting
 *   every minute keeps it near the live size for a few ms of CPU a minute.
 *
 * A setting the operator gave in NODE_OPTIONS or on the node command line wins over ours.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const DAEMON_SEMI_SPACE_MB = 2;
const COMPILER_FLAGS = ['--no-opt', '--no-maglev', '--no-sparkplug'];

/** The flags the daemon sets, given what the operator already chose. */
export function daemonV8Flags(nodeOptions: string, execArgv: readonly string[]): string[] {
  const given = [nodeOptions, ...execArgv].join(' ');
  const flags: string[] = [];
  if (!/semi[-_]space[-_]size/.test(given)) flags.push(`--max-semi-space-size=${DAEMON_SEMI_SPACE_MB}`);
  if (!/--(no[-_])?(opt|turbofan|maglev|sparkplug|jitless|lite[-_]mode)\b/.test(given)) flags.push(...COMPILER_FLAGS);
  return flags;
}

/** Applies daemonV8Flags to this process; call before the engine's modules load. */
export function tuneDaemonV8(): string[] {
  const flags = daemonV8Flags(process.env.NODE_OPTIONS ?? '', process.execArgv);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

export const MAJOR_GC_EVERY_MS = 60_000;

/** Runs a major GC every `everyMs` without keeping the process alive; returns the function that stops it. */
export function collectGarbagePeriodically(everyMs = MAJOR_GC_EVERY_MS): () => void {
  setFlagsFromString('--expose-gc');
  // With --expose-gc set after start-up, a new context is the one place V8 still installs `gc`.
  const gc = runInNewContext('gc') as () => void;
  const timer = setInterval(gc, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
