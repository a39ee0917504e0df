/**
 * V8 settings for the long-running daemon, applied at run time so other commands keep Node's defaults.
 *
 * - Young generation: under the daemon's steady trickle of short-lived objects V8 grows the semi-spaces to
 *   16 MB each, which an idle daemon keeps resident; 2 MB each costs a few more cheap scavenges.
 * - No optimizing or baseline compilers: the daemon's hot paths (decoding a frame, a sample through the bus)
 *   run a few times a second and gain nothing from optimized code, while the compilers' code pages, zones
 *   and optimized code cost ~13 MB of RSS (measured in bench/daemon-steady.ts).
 *
 * A setting the operator gave in NODE_OPTIONS or on the node command line wins over ours.
 */
import { setFlagsFromString } from 'node:v8';

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
