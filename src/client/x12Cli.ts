/**
 * X12 835 command line: `npm run -s x12 -- summary <file> [--strict]`.
 *
 * Streams the file through the parser (transactions are summarised as they close, none retained) and prints ONE JSON
 * object on stdout. Exit 0 when the file parsed (balanced or not), 2 with a JSON error when it cannot be parsed, when
 * it cannot be read, or when the arguments are wrong.
 */
import { createReadStream } from 'fs';
import { Command, CommanderError } from 'commander';
import { createSummaryAccumulator, createX12Parser, X12ParseError, type X12Summary } from '../domain/x12';

export interface SummaryOutput extends X12Summary {
  file: string;
  strict: boolean;
  segmentCount: number;
  interchangeCount: number;
}

interface ErrorOutput {
  error: string;
  code?: string;
  segmentIndex: number | null;
  segmentId: string | null;
  element: string | null;
  byteOffset?: number | null;
  message: string;
}

const EXIT_OK = 0;
const EXIT_FAILED = 2;

export async function summarizeFile(file: string, strict: boolean): Promise<SummaryOutput> {
  const acc = createSummaryAccumulator();
  const parser = createX12Parser({ strict, retainTransactions: false, onTransaction: (tx) => acc.add(tx) });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) parser.push(chunk as Buffer);
  const result = parser.end();
  return { file, strict, segmentCount: result.segmentCount, interchangeCount: result.interchanges.length, ...acc.finish(result.issues) };
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function failure(error: string, message: string): ErrorOutput {
  return { error, segmentIndex: null, segmentId: null, element: null, message };
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command()
    .name('x12')
    .description('X12 835 remittance tools')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: () => undefined });

  program
    .command('summary')
    .description('parse an 835 file and print counts, money totals (cents), balancing and issues as JSON')
    .argument('<file>', '835 file to read')
    .option('--strict', 'fail on any structural issue (SE count, envelope, missing SVC amounts, …)', false)
    .action(async (file: string, options: { strict: boolean }) => {
      try {
        print(await summarizeFile(file, options.strict));
      } catch (e) {
        exitCode = EXIT_FAILED;
        if (e instanceof X12ParseError) print(e.toJSON());
        else if (isNodeError(e)) print(failure('io', `${e.code}: cannot read ${file}`));
        else print(failure('internal', e instanceof Error ? e.message : String(e)));
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK; // --help / --version
      const reason = e.code === 'commander.help' ? 'a command is required' : e.message.replace(/^error: /, '');
      print(failure('usage', `${reason} (usage: x12 summary <file> [--strict])`));
      return EXIT_FAILED;
    }
    throw e;
  }
  return exitCode;
}

function isNodeError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && !(e instanceof X12ParseError);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      print(failure('internal', e instanceof Error ? e.message : String(e)));
      process.exitCode = EXIT_FAILED;
    },
  );
}
