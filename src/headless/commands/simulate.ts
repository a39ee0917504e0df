/** `voltmon simulate`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('voltmon simulate: not available in this build\n');
  return 2;
}
