/** Small pieces every subcommand's argument handling shares. */

/** A reporter for a bad command line: the reason and the usage text on stderr, exit code 2. */
export function usageReporter(command: string, usage: string): (message: string) => number {
  return (message) => {
    process.stderr.write(`voltmon ${command}: ${message}\n${usage}`);
    return 2;
  };
}

/** A whole number typed as decimal or `0x` hex (data ids, registers, addresses); null for anything else. */
export function parseWholeNumber(text: string): number | null {
  const value = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number.parseInt(text, 10) : NaN;
  return Number.isSafeInteger(value) ? value : null;
}
