import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { createDeadLetterStore } from '../../src/client/deadLetters';
import { foreign835 } from '../support/remits';
import { sampleReferral, startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';

/**
 * `rcm` as a user runs it: `node bin/rcm.js …` in a child process against the jest dev server (TEMPORAL_ADDRESS),
 * with a real worker on the task queue the CLI is pointed at (RCM_TASK_QUEUE). Each spawn costs about a second, so
 * the independent ones run together.
 */
const ROOT = path.resolve(__dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('rcm CLI (spawned, dev server)', () => {
  let h: JourneyHarness;
  let worker: Worker;
  let running: Promise<void>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-cli-'));
  const dlqFile = path.join(dir, 'dlq.jsonl');

  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
    worker = await h.newWorker();
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rcm = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
        RCM_TASK_QUEUE: h.taskQueue,
        RCM_DLQ_FILE: dlqFile,
        RCM_TOKEN_FILE: path.join(dir, 'no-token.json'),
      };
      execFile(process.execPath, [path.join(ROOT, 'bin/rcm.js'), ...args], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });

  it('starts a journey, shows it, refuses what the journey refuses, ingests an 835 — with exit codes and one-line errors', async () => {
    const referral = sampleReferral();
    const referralFile = path.join(dir, 'referral.json');
    fs.writeFileSync(referralFile, JSON.stringify(referral));
    const badFile = path.join(dir, 'bad-referral.json');
    fs.writeFileSync(badFile, JSON.stringify({ ...referral, orderedServices: [] }));
    const remitFile = path.join(dir, 'era.835');
    fs.writeFileSync(remitFile, foreign835('RCCLIUNKNOWN-1'));

    const started = await rcm('--json', 'start', referralFile);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const journeyId = (JSON.parse(started.stdout) as { journeyId: string }).journeyId;
    expect(journeyId).toBe(`referral/site-a/${referral.referralId}`);

    const [status, refused, missing, invalid, ingest] = await Promise.all([
      rcm('status', journeyId),
      rcm('approve', journeyId, '--amount', '1200.00'),
      rcm('timeline', 'referral/site-a/NO-SUCH-JOURNEY'),
      rcm('start', badFile),
      rcm('ingest-835', remitFile),
    ]);

    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^journey:\\s+${journeyId}$`, 'm'));
    expect(status.stdout).toMatch(/^stage:\s+\S+ \(.+\)$/m);
    expect(status.stdout).not.toContain(referral.patientRef);

    // Human decisions need a verified identity (decisions.cli.test.ts covers login and the API): exit 6, one line.
    expect(refused.code).toBe(6);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('rcm: error: not signed in: run `rcm login`\n');

    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('rcm: error: journey referral/site-a/NO-SUCH-JOURNEY not found\n');

    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^rcm: error: referral is invalid: orderedServices: .+\n$/);

    // The unknown claim is counted and dead-lettered; the summary is a table on stdout.
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/^COUNT\s+VALUE$/m);
    expect(ingest.stdout).toMatch(/^claims\s+1$/m);
    expect(ingest.stdout).toMatch(/^unmatched\s+1$/m);
    expect(ingest.stdout).toMatch(/UNMATCHED_CLAIM\s+RCCLIUNKNOWN-1/);
    const dead = await createDeadLetterStore({ file: dlqFile }).list();
    expect(dead).toEqual([expect.objectContaining({ source: 'ingest-835', reason: 'unmatched_claim' })]);
  });
});

