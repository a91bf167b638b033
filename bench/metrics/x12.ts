import { fixturesInput, measure } from '../x12';
import { atLeast, type Row } from '../report';

/** bench/x12.ts on the public fixtures: our full 835 pipeline against x12-parser's tokeniser, MB/s (wall). */
export async function x12Metric(quick: boolean): Promise<Row> {
  const input = fixturesInput(quick ? 5e5 : 4e6);
  const r = await measure(input, quick ? 1 : 5);
  return atLeast(
    '835 parse MB/s vs x12-parser',
    Number(r['ours MB/s']),
    Number(r['x12-parser MB/s']),
    2,
    `${r.input}, ${r.MB} MB per run, median of ${quick ? 1 : 5} runs; CPU-time ratio ${r['ours/theirs (cpu)']}× (bench/x12.ts has the full table)`,
  );
}
