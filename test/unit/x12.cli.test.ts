/**
 * The CLI as a user runs it (`npx tsx src/client/x12Cli.ts summary <file>`): one JSON object on stdout, exit 0 when the
 * file parsed, exit 2 with a positioned JSON error when it cannot be parsed, exit 2 on bad arguments. Three spawns only.
 */
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import path from 'path';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.resolve(REPO, '../shared/fixtures/x12/835');

function run(...args: string[]): { status: number | null; json: any } {
  const r = spawnSync('npx', ['tsx', 'src/client/x12Cli.ts', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, json: JSON.parse(r.stdout) };
}

describe('x12 CLI', () => {
  it('summary of an unbalanced fixture exits 0 with the facts.json figures', () => {
    const file = 'inteligenz-x12parser__ExampleFromNth.txt';
    const facts = (JSON.parse(readFileSync(path.join(FIXTURES, 'facts.json'), 'utf8')).files as any[]).find((f) => f.file === file);
    const { status, json } = run('summary', path.join(FIXTURES, file));
    expect(status).toBe(0);
    expect(json).toMatchObject({
      transactionCount: facts.transaction_count,
      claimCount: facts.claim_count,
      serviceLineCount: facts.service_line_count,
      paymentTotalCents: facts.bpr02_total_cents,
      claimPaidTotalCents: facts.sum_clp04_cents,
      plbTotalCents: facts.sum_plb_cents,
      balanced: false,
      claimsUnbalanced: facts.claims_unbalanced,
      serviceLinesUnbalanced: facts.service_lines_unbalanced,
      clpStatusCounts: facts.clp02_counts,
      casGroups: facts.cas_reason_codes,
      segmentCount: facts.segment_count,
      interchangeCount: 3,
    });
  });

  it('a file with a non-numeric amount exits 2 with its position', () => {
    const { status, json } = run('summary', 'test/fixtures/x12/non-numeric-clp04.835');
    expect(status).toBe(2);
    expect(json).toMatchObject({ error: 'X12ParseError', code: 'INVALID_AMOUNT', segmentIndex: 9, segmentId: 'CLP', element: 'CLP04', message: expect.stringContaining('1OO.00') });
  });

  it('bad arguments exit 2 with a usage error', () => {
    const { status, json } = run('summary');
    expect(status).toBe(2);
    expect(json).toMatchObject({ error: 'usage', message: expect.stringContaining("missing required argument 'file'") });
  });
});
