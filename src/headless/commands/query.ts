/** `voltmon query`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('voltmon query: not available in this build\n');
  return 2;
}
