import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumMissingMessage, chromiumPath, pngDistinctBytes } from '../support/browser';
import { startDecisionsStack, type DecisionsStack } from '../support/decisionsStack';
import { bookAndServe, sampleReferral, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';

/**
 * The inbox in a real browser (Debian chromium driven by playwright-core): sign in through the issuer's login page as
 * the preparer and as an approver, see the approval queue, open the journey, be refused approving one's own release
 * (the journey's segregation-of-duties message on the page), approve as the right role and watch the stage change.
 * Screenshots go to test-output/browser/ and must not be blank.
 */
jest.setTimeout(240_000);

const OUT = path.resolve(__dirname, '../../test-output/browser');
const executablePath = chromiumPath();
if (!executablePath && process.env.CI !== 'true') {
  process.stderr.write(`[inbox.browser] SKIPPED: ${chromiumMissingMessage()}\n`);
}
const maybe = executablePath || process.env.CI === 'true' ? test : test.skip;

let h: JourneyHarness;
let stack: DecisionsStack;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!executablePath) {
    if (process.env.CI === 'true') throw new Error(`the browser test is required in CI: ${chromiumMissingMessage()}`);
    return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  h = await startJourneyHarness('dev-server');
  stack = await startDecisionsStack(h);
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await h?.close();
});

async function signIn(username: string, password: string): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } }); // own cookies per user
  const page = await context.newPage();
  await page.goto(`${stack.url}/inbox`);
  // Redirected to the issuer's login form (authorization code + PKCE).
  await page.waitForURL((u) => u.toString().startsWith(stack.issuer.url));
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.toString().startsWith(`${stack.url}/inbox`));
  return page;
}

async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(OUT, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  expect(pngDistinctBytes(file)).toBeGreaterThan(20);
  return file;
}

maybe('preparer is refused releasing their own claim; an approver releases it and the stage changes', async () => {
  await h.withWorker(async () => {
    const referral = sampleReferral({ preparerId: 'intake-1' });
    const handle = await h.start(referral);
    await bookAndServe(handle);
    const pending = await waitForStatus(handle, (s) => s.pendingApproval?.kind === 'billing_release', 'billing release pending');
    const journeyPath = `/journeys/${referral.siteId}/${referral.referralId}`;
    // intake-1 prepared it, unless a coder reviewed the coding first (then coder-1 is the requester).
    const own = pending.pendingApproval!.requesterId === 'coder-1' ? ['coder', 'coder-pass'] : ['preparer', 'preparer-pass'];

    // The preparer: the queue shows the journey; approving their own release is refused with the policy's words.
    const preparer = await signIn(own[0], own[1]);
    await preparer.goto(`${stack.url}/inbox?queue=approvals&site=${referral.siteId}`);
    await expect(preparer.locator('[data-testid=queue]').textContent()).resolves.toContain(referral.referralId);
    expect(Number(await preparer.locator('[data-queue=approvals] .count').textContent())).toBeGreaterThanOrEqual(1);
    await shot(preparer, '1-inbox-preparer.png');
    await preparer.click(`a[href="${journeyPath}"]`);
    await preparer.waitForURL(`${stack.url}${journeyPath}`);
    expect(await preparer.getAttribute('[data-testid=stage]', 'data-stage')).toBe('billing_approval');
    await preparer.fill('form[data-decision=approve] textarea[name=reason]', 'ready to bill');
    await preparer.click('form[data-decision=approve] button[type=submit]');
    await preparer.waitForSelector('[data-testid=notice]');
    expect(await preparer.textContent('[data-testid=notice]')).toMatch(/another person must decide/);
    expect(await preparer.getAttribute('[data-testid=stage]', 'data-stage')).toBe('billing_approval');
    await shot(preparer, '2-refused-own-release.png');

    // The approver (biller-2, billing_specialist): approves; the status panel (htmx) shows the next stage.
    const approver = await signIn('approver', 'approver-pass');
    // The inbox opens on "releases I may approve": $1,200 is within the billing specialist's $5,000 limit.
    expect(await approver.textContent('[data-testid=queue-title]')).toContain('Billing releases I may approve (up to $5,000.00)');
    await expect(approver.locator('[data-testid=queue]').textContent()).resolves.toContain(referral.referralId);
    await approver.click(`a[href="${journeyPath}"]`);
    await approver.waitForURL(`${stack.url}${journeyPath}`);
    await approver.fill('form[data-decision=approve] textarea[name=reason]', 'documentation supports the claim');
    await approver.click('form[data-decision=approve] button[type=submit]');
    await approver.waitForSelector('[data-testid=notice]');
    expect(await approver.textContent('[data-testid=notice]')).toContain('Decision recorded: approve');
    // htmx replaces the panel every 2 s: wait for a stage other than billing_approval to be rendered.
    await approver.locator('[data-testid=stage]:not([data-stage="billing_approval"])').waitFor({ timeout: 60_000 });
    expect(await approver.getAttribute('[data-testid=stage]', 'data-stage')).toMatch(/^(claim_submission|payer_adjudication)$/);
    await expect(approver.locator('main').textContent()).resolves.toContain('biller-2');
    await shot(approver, '3-approved-stage-changed.png');
  });
});
