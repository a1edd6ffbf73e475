/** The `tsportable` command: wires options to the evaluator, builders and image tools. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write('Usage: tsportable <command> [options]\n');
    return 0;
  }
  process.stderr.write(`tsportable: unknown command '${argv[0]}'\n`);
  return 1;
}
