/** Which config file a command reads when none is given. */
import { resolve } from 'node:path';

export const DEFAULT_CONFIG_PATH = '/etc/voltmon/voltmon.yaml';

/** `--config`, else $VOLTMON_CONFIG, else /etc/voltmon/voltmon.yaml. */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.VOLTMON_CONFIG ?? DEFAULT_CONFIG_PATH);
}
