/** `voltmon backtest`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('voltmon backtest: not available in this build\n');
  return 2;
}
