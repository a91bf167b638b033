import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDecisionsStack, type DecisionsStack } from '../support/decisionsStack';
import { bookAndServe, sampleReferral, startJourneyHarness, waitForStage, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { approveDeviceCode } from '../support/oidcLogin';

/**
 * `rcm login` (device flow against the demo issuer) and decisions through the authenticated API, spawned as a user
 * runs it. Only ODOO_URL is set among the integrations: commands that do not use Odoo must not care.
 */
jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '../..');
let h: JourneyHarness;
let stack: DecisionsStack;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-login-'));
const tokenFile = path.join(dir, 'config', 'token.json');

beforeAll(async () => {
  h = await startJourneyHarness('dev-server');
  stack = await startDecisionsStack(h);
});
afterAll(async () => {
  await stack?.close();
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rcm(args: string[], onStderr?: (text: string, stop: () => void) => void): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_TEST_ADDRESS ?? '',
    RCM_TASK_QUEUE: h.taskQueue,
    RCM_DECISIONS_URL: stack.url,
    RCM_TOKEN_FILE: tokenFile,
    ODOO_URL: 'http://127.0.0.1:9/odoo-not-configured-further',
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/rcm.js'), ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, () => child.kill());
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('rcm login (device flow) caches a 0600 token; decisions go through the API as the signed-in user; Temporal-only commands ignore half-set Odoo settings', async () => {
  await h.withWorker(async () => {
    const referral = sampleReferral({ preparerId: 'intake-1' });
    const journeyId = `referral/${referral.siteId}/${referral.referralId}`;
    const handle = await h.start(referral);

    const notSignedIn = await rcm(['approve', journeyId, '--reason', 'x']);
    expect(notSignedIn.code).toBe(6);
    expect(notSignedIn.stderr).toBe('rcm: error: not signed in: run `rcm login`\n');

    let approving: Promise<void> | undefined;
    const login = await rcm(['login'], (text, stop) => {
      const url = /open (\S+)/.exec(text)?.[1];
      // A failed approval stops `rcm login` (it would otherwise poll until the device code expires).
      if (url && !approving) approving = approveDeviceCode(url, 'approver', 'approver-pass').catch((err: Error) => (stop(), Promise.reject(err)));
    });
    await approving;
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^signed in as:\s+biller-2$/m);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);

    await bookAndServe(handle);
    await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
    const [status, whoami, noRole] = await Promise.all([
      rcm(['status', journeyId]),
      rcm(['--json', 'whoami']),
      rcm(['coding-review', journeyId, '--outcome', 'confirmed']),
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^stage:\s+billing_approval \(Billing release approval\)$/m);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ actorId: 'biller-2', roles: ['billing_specialist'] });
    expect(noRole.code).toBe(3);
    expect(noRole.stderr).toMatch(/^rcm: error: completeCodingReview at site site-a requires one of the roles: coder, coding_supervisor\n$/);

    const approved = await rcm(['approve', journeyId, '--reason', 'documentation supports the claim', '--amount', '1200.00']);
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^actor:\s+biller-2$/m);
    expect(approved.stdout).toMatch(/^role:\s+billing_specialist$/m);
    await waitForStage(handle, 'payer_adjudication');
  });
});
