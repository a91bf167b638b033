/**
 * X12 command line.
 *
 * `npm run -s x12 -- summary <file> [--strict]`: streams an 835 through the parser (transactions are summarised as they
 * close, none retained) and prints ONE JSON object on stdout. Exit 0 when the file parsed (balanced or not), 2 with a
 * JSON error when it cannot be parsed, when it cannot be read, or when the arguments are wrong.
 *
 * `npm run -s x12 -- 837 <claim.json> [--control-number N] [--date ISO]`: prints the 837P the journey would send for
 * a claim input (see activities/payer/x837Render.ts); a bad input is a JSON error on stderr and exit 2.
 */
import { createReadStream } from 'fs';
import { Command, CommanderError } from 'commander';
import { createSummaryAccumulator, createX12Parser, X12ParseError, type X12Summary } from '../domain/x12';
import { render837File, X837InputError } from '../activities/payer/x837Render';

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
    .description('X12 tools: 835 remittance summary, 837P rendering')
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

  program
    .command('837')
    .description('print the 837P the journey would send for a claim input (JSON, validated; see examples/claim-837p.json)')
    .argument('<claim.json>', 'claim input: the submission plus (synthetic) subscriber/patient demographics')
    .option('--control-number <n>', 'ISA13/GS06 control number (default: derived from the claim, like the submit activity)')
    .option('--date <iso>', 'creation date-time written in ISA/GS/BHT (default: now)')
    .action(async (file: string, options: { controlNumber?: string; date?: string }) => {
      try {
        process.stdout.write(await render837File(file, options));
      } catch (e) {
        exitCode = EXIT_FAILED;
        const out = e instanceof X837InputError ? e.toJSON() : isNodeError(e) ? failure('io', `${e.code}: cannot read ${file}`) : failure('internal', e instanceof Error ? e.message : String(e));
        process.stderr.write(`${JSON.stringify(out, null, 2)}\n`);
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK; // --help / --version
      const reason = e.code === 'commander.help' ? 'a command is required' : e.message.replace(/^error: /, '');
      print(failure('usage', `${reason} (usage: x12 summary <file> [--strict] | x12 837 <claim.json>)`));
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
