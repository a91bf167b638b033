/**
 * X12 835 parse throughput: our parser (tokenise + map to typed remittance + balance + summarise) against the
 * `x12-parser` npm package (tokenise only: one object per segment), on the same inputs in the same run.
 *
 *   npx tsx bench/x12.ts            (npm run bench:x12)
 *   X12_BENCH_MB=16 npx tsx bench/x12.ts   size of the synthetic file (default 32 MB)
 *
 * Both parsers get the same in-memory Buffer chunks (64 KiB, like fs.createReadStream) through their own API: ours
 * `push(chunk)`/`end()`, x12-parser (a Node Transform stream) `write(chunk)`/`end()` with a 'data' listener counting
 * segments. File reading is outside the timing. Each input is warmed up once, then the two parsers are timed RUNS
 * times, alternating; the table shows medians of wall-clock time and, since the machine may be shared, of process CPU
 * time too. MB = 10^6 bytes. claims/s uses the claim count of our parse for both columns (x12-parser does not map
 * claims; its figure is the equivalent rate).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import { performance } from 'perf_hooks';
import type { Transform } from 'stream';
import { createSummaryAccumulator, createX12Parser } from '../src/domain/x12';

// x12-parser publishes its types only through package.json "exports", which this repo's moduleResolution ("node")
// does not read; load it with require and describe the one constructor used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { X12parser } = require('x12-parser') as { X12parser: new (defaultEncoding?: BufferEncoding) => Transform };

const FIXTURES = path.resolve(__dirname, '../../shared/fixtures/x12/835');
const CHUNK = 64 * 1024;
const RUNS = Number(process.env.X12_BENCH_RUNS ?? 5);
const SYNTHETIC_MB = Number(process.env.X12_BENCH_MB ?? 32);

export interface Input {
  name: string;
  /** One "run" parses every file of the set `repeat` times. */
  files: Buffer[];
  repeat: number;
}

function chunksOf(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += CHUNK) out.push(buf.subarray(i, i + CHUNK));
  return out;
}

type Parse = (chunks: Buffer[]) => Promise<number>;

/** Full pipeline: tokenise, map, balance each transaction, fold it into the summary (what the CLI does). */
const ours: Parse = async (chunks) => {
  const acc = createSummaryAccumulator();
  const parser = createX12Parser({ retainTransactions: false, onTransaction: (tx) => acc.add(tx) });
  for (const chunk of chunks) parser.push(chunk);
  return acc.finish(parser.end().issues).claimCount;
};

/** Tokenising only: x12-parser emits one object per segment. */
const theirs: Parse = (chunks) =>
  new Promise((resolve, reject) => {
    let segments = 0;
    const parser = new X12parser();
    parser.on('data', () => {
      segments++;
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(segments));
    for (const chunk of chunks) parser.write(chunk);
    parser.end();
  });

interface Timing {
  wall: number;
  cpu: number;
}

async function timeRun(files: Buffer[][], repeat: number, parse: Parse): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let r = 0; r < repeat; r++) for (const f of files) await parse(f);
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function measure(input: Input, runs = RUNS): Promise<Record<string, string | number>> {
  const bytes = input.files.reduce((n, f) => n + f.length, 0) * input.repeat;
  const files = input.files.map(chunksOf);
  let claims = 0;
  for (const f of files) claims += await ours(f);
  claims *= input.repeat;
  // Warm-up (JIT), then alternate the two parsers so load changes on a shared machine hit both alike.
  await timeRun(files, input.repeat, ours);
  await timeRun(files, input.repeat, theirs);
  const a: Timing[] = [];
  const b: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await timeRun(files, input.repeat, ours));
    b.push(await timeRun(files, input.repeat, theirs));
  }
  const ta = median(a.map((t) => t.wall));
  const tb = median(b.map((t) => t.wall));
  const ca = median(a.map((t) => t.cpu));
  const cb = median(b.map((t) => t.cpu));
  return {
    input: input.name,
    MB: +(bytes / 1e6).toFixed(2),
    claims,
    'ours MB/s': +(bytes / 1e6 / ta).toFixed(1),
    'ours claims/s': Math.round(claims / ta),
    'x12-parser MB/s': +(bytes / 1e6 / tb).toFixed(1),
    'x12-parser claims/s': Math.round(claims / tb),
    'ours/theirs (wall)': +(tb / ta).toFixed(2),
    'ours/theirs (cpu)': +(cb / ca).toFixed(2),
  };
}

/** The public 835 fixtures as one input (what `npm run bench` compares), repeated to about `targetBytes` per run. */
export function fixturesInput(targetBytes = 4e6): Input {
  const names = readdirSync(FIXTURES).filter((n) => statSync(path.join(FIXTURES, n)).isFile() && n !== 'facts.json' && !n.endsWith('.md'));
  const files = names.map((n) => readFileSync(path.join(FIXTURES, n)));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  return { name: `all ${files.length} fixtures`, files, repeat: Math.max(1, Math.round(targetBytes / bytes)) };
}

async function main(): Promise<void> {
  const profee = readFileSync(path.join(FIXTURES, 'tastypackets-x12-parser__profee-multiple.edi'));
  const copies = Math.max(1, Math.round((SYNTHETIC_MB * 1e6) / profee.length));
  const large = Buffer.concat(Array.from({ length: copies }, () => profee));

  const inputs: Input[] = [
    fixturesInput(),
    { name: 'profee-multiple.edi', files: [profee], repeat: 10 },
    { name: `profee-multiple ×${copies}`, files: [large], repeat: 1 },
  ];
  console.log(`node ${process.version}, ${RUNS} timed runs per input (median), ${CHUNK / 1024} KiB chunks`);
  const rows: Record<string, string | number>[] = [];
  const started = performance.now();
  for (const input of inputs) rows.push(await measure(input));
  console.table(rows);
  const mem = process.memoryUsage();
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s; rss ${(mem.rss / 1e6).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
