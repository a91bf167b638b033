import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * `npm run bench -- --quick` end to end with tiny sizes, on the shared dev server and the prebuilt bundle: every
 * metric produces a row with positive numbers and latest.json has the documented shape. Timing goals are not
 * asserted (a busy CI machine says nothing about them); the committed bench/results/latest.json is the real run.
 */
const positive = z.number().finite().positive();
const ResultSchema = z.object({
  rows: z.array(z.object({ metric: z.string().min(1), ours: positive, baseline: positive, ratio: positive, goal: z.string().min(1), meetsGoal: z.boolean(), detail: z.string().optional() }).strict()),
  machine: z.object({ cpus: z.number().int().positive(), model: z.string(), memGB: positive, node: z.string().startsWith('v'), loadavg: z.array(z.number()) }),
  date: z.string().datetime(),
  mode: z.literal('quick'),
});

/** Runs the bench in its own process group, killed as a whole (with its parked worker) if it overruns. */
function runBench(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../bench/main.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n[smoke] killed after ${timeoutMs} ms`;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench -- --quick', () => {
  it('measures every metric against its baseline and writes the result JSON', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-bench-smoke-')), 'latest.json');
    const { code, output } = await runBench(['--quick', '--parked', '5', '--out', out, '--server', process.env.TEMPORAL_TEST_ADDRESS!, '--product-bundle', process.env.RCM_WORKFLOW_BUNDLE!], 110_000);
    expect({ code, tail: code === 0 ? '' : output.slice(-4000) }).toEqual({ code: 0, tail: '' });

    const result = ResultSchema.parse(JSON.parse(fs.readFileSync(out, 'utf8')));
    expect(result.rows.map((r) => r.metric.split(/[ ,]/)[0])).toEqual(['completed', 'replay', 'billable', 'start-to-first-activity', 'approval', '835', 'worker', '835']);
    // ours and baseline are rounded to 3 decimals in the JSON; the ratio comes from the unrounded figures.
    for (const r of result.rows) expect(Math.abs(r.ratio - r.ours / r.baseline)).toBeLessThanOrEqual(0.05 * r.ratio + 0.002);
    // The table goes to stdout with one line per metric.
    for (const r of result.rows) expect(output).toContain(`| ${r.metric}`);
  }, 120_000);
});
