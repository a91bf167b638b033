import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ExceptionQueue, Stage } from '../../src/workflows/searchAttributes';
import { uniqueTaskQueue } from '../support/temporal';

/**
 * `npm start` as a real process against the shared dev server (TEMPORAL_ADDRESS, so it starts no server of its own)
 * with the prebuilt workflow bundle: it starts the emulators, ingress, metrics and workers, drives its six journeys
 * to their demo states, prints the summary, and with RCM_DEMO_EXIT_AFTER_MS shuts down by itself with exit code 0.
 */
const ROOT = path.resolve(__dirname, '../..');

test('npm start: the demo journeys reach their states, the summary is printed, and it exits cleanly', async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-demo-'));
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/demo.ts'], {
    cwd: ROOT,
    // Only what the demo needs (no RCM_/ODOO_/PAYER_ settings of the machine running the tests).
    env: definedOnly({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: address,
      RCM_WORKFLOW_BUNDLE: process.env.RCM_WORKFLOW_BUNDLE,
      RCM_TASK_QUEUE: uniqueTaskQueue('demo'),
      RCM_INGRESS_PORT: '0',
      RCM_METRICS_PORT: '0',
      RCM_DLQ_FILE: path.join(dir, 'dead-letters.jsonl'),
      RCM_DEMO_DATA_DIR: dir,
      RCM_DEMO_EXIT_AFTER_MS: '200',
      NO_COLOR: '1',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });

  try {
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`using the Temporal server at ${address} (TEMPORAL_ADDRESS)`);
    const ids = Object.fromEntries(['HAPPY', 'DENIAL', 'ESCALATE', 'APPROVAL', 'WEBHOOK', 'DOCS'].map((k) => [k, new RegExp(`referral/demo/(DM[0-9A-Z]+)-${k}\\b`).exec(stdout)?.[0]]));
    for (const [kind, id] of Object.entries(ids)) expect({ kind, id }).toEqual({ kind, id: expect.stringMatching(/^referral\/demo\//) });
    // Every journey reached its demo state (a ✓ line each) and the summary names where to look and what to run.
    expect(stdout.match(/✓ /g)).toHaveLength(6);
    expect(stdout).not.toContain('stopped driving');
    expect(stdout).toMatch(/Ingress {7}http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/KPI metrics {3}http:\/\/127\.0\.0\.1:\d+\/metrics/);
    expect(stdout).toContain(`TEMPORAL_ADDRESS=${address} npx rcm status ${ids.HAPPY}`);
    expect(stdout).toContain(`npx rcm approve ${ids.APPROVAL} --reason`);
    // The inbox (decisions API with the local OIDC issuer) and its demo users; payloads encrypted with a dev key.
    expect(stdout).toMatch(/inbox http:\/\/127\.0\.0\.1:\d+\/inbox \(issuer http:\/\/127\.0\.0\.1:\d+\)/);
    expect(stdout).toMatch(/approver\s+approver-pass\s+biller-2\s+billing-specialist/);
    expect(fs.statSync(path.join(dir, 'codec-keys')).mode & 0o777).toBe(0o600);
    expect(stdout).toContain('stopped cleanly');
    expect(fs.readFileSync(path.join(dir, 'worker.log'), 'utf8')).toContain('"msg":"workers started"');

    // What the Temporal UI shows: the search attributes of each journey.
    const connection = await Connection.connect({ address });
    try {
      const client = new Client({ connection });
      const attrs = async (id: string) => (await client.workflow.getHandle(id).describe()).typedSearchAttributes;
      const expected: [string, string][] = [
        ['HAPPY', 'payer_adjudication'],
        ['DENIAL', 'payer_adjudication'],
        ['ESCALATE', 'prior_auth'],
        ['APPROVAL', 'billing_approval'],
        ['WEBHOOK', 'scheduling'],
        ['DOCS', 'intake'],
      ];
      for (const [kind, stage] of expected) expect({ kind, stage: (await attrs(ids[kind]!)).get(Stage) }).toEqual({ kind, stage });
      expect((await attrs(ids.DENIAL!)).get(ExceptionQueue)).toContain('authorization');
      expect((await attrs(ids.DOCS!)).get(ExceptionQueue)).toContain('intake_documents');
    } finally {
      await connection.close();
    }
  } finally {
    if (code !== 0) process.stderr.write(`--- demo stdout ---\n${stdout}\n--- demo stderr ---\n${stderr}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
