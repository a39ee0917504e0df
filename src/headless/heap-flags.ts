/**
 * The daemon's young generation. Under its steady trickle of short-lived objects V8 grows the semi-spaces
 * to 16 MB each, which an idle daemon keeps resident (~25 MB of RSS); 2 MB each costs a few more cheap
 * scavenges. Set at run time so other commands keep Node's defaults; a size given in NODE_OPTIONS or on
 * the node command line wins.
 */
import { setFlagsFromString } from 'node:v8';

export const DAEMON_SEMI_SPACE_MB = 2;

/** Caps the semi-space size unless the operator chose one; true when the cap was applied. */
export function limitYoungGeneration(nodeOptions = process.env.NODE_OPTIONS ?? '', execArgv: readonly string[] = process.execArgv): boolean {
  if ([nodeOptions, ...execArgv].some((arg) => /semi[-_]space[-_]size/.test(arg))) return false;
  setFlagsFromString(`--max-semi-space-size=${DAEMON_SEMI_SPACE_MB}`);
  return true;
}
