import type { WorkflowHandle } from '@temporalio/client';
import { ensureReconcileSchedule } from '../../src/client/schedules';
import { claimFamilyOf, claimIdFor } from '../../src/domain/ids';
import { reconciliation, type ReconciliationMismatch, type ReconciliationResult } from '../../src/workflows/reconciliation';
import { corruptClaimAmount, recon835, uniqueTrace } from '../support/reconRemits';
import { startJourneyHarness, type JourneyHarness } from '../support/journeyHarness';
import { waitUntil } from '../support/waitUntil';

/**
 * The scheduled reconciliation on the real dev server against the Odoo and payer emulators: 835 money at the payer
 * vs payments registered in Odoo, per claim-id family and per deposit (TRN02). Every test's files stay at the payer,
 * so later runs see earlier tests' files too: assertions pick their own claims, traces and files.
 */
describe('reconciliation workflow (dev server, Odoo and payer emulators)', () => {
  let h: JourneyHarness;
  let run = 0;
  beforeAll(async () => {
    h = await startJourneyHarness('dev-server');
  });
  afterAll(async () => h?.close());

  const today = () => new Date().toISOString().slice(0, 10);

  async function reconcile(): Promise<{ result: ReconciliationResult; handle: WorkflowHandle<typeof reconciliation> }> {
    return h.withWorker(async () => {
      const handle = await h.client.workflow.start(reconciliation, { taskQueue: h.taskQueue, workflowId: `reconcile-test-${Date.now()}-${++run}`, args: [{ siteId: 'site-a', periodDays: 30 }] });
      return { result: await handle.result(), handle };
    });
  }

  /** A posted invoice whose ref is `claimId` (as the journey creates it for attempt 1). */
  async function postedInvoice(claimId: string, priceCents = 10_000): Promise<number> {
    const a = h.activities;
    const { partnerId } = await a.upsertPatientPartner({ patientRef: 'PT-RECON-1', siteId: 'site-a' });
    const { invoiceId } = await a.createDraftInvoice({ claimId, partnerId, journeyId: `referral/site-a/${claimId}`, lines: [{ code: '99213', description: '99213', quantity: 1, priceCents }] });
    await a.postInvoice({ invoiceId });
    return invoiceId;
  }

  const ticketTitles = () => h.odoo.store.search('helpdesk.ticket', [], ['name']).map((t) => String(t.name)).filter((n) => n.startsWith('[reconciliation/site-a] reconciliation: '));
  const forFamily = (ms: ReconciliationMismatch[], claimId: string) => ms.filter((m) => 'claimId' in m && claimFamilyOf(m.claimId) === claimFamilyOf(claimId));
  const forTrace = (ms: ReconciliationMismatch[], trace: string) => ms.filter((m) => m.kind === 'deposit_mismatch' && m.traceNumber === trace);

  it('matches a resubmitted claim (attempt 2 paid) to the invoice of attempt 1: not no_invoice', async () => {
    const referralId = `RECON-RESUB-${Date.now()}`;
    const first = claimIdFor('site-a', referralId, 1);
    const resubmitted = claimIdFor('site-a', referralId, 2);
    const invoiceId = await postedInvoice(first, 10_000);
    // Attempt 1 was denied (CO-16 + MA130) in one deposit; attempt 2 paid 80.00 in another, posted by the journey.
    const denialTrace = uniqueTrace();
    const paidTrace = uniqueTrace();
    h.payer.control.addRemittance(recon835(denialTrace, [{ claimId: first, paidCents: 0, chargeCents: 10_000 }]));
    h.payer.control.addRemittance(recon835(paidTrace, [{ claimId: resubmitted, paidCents: 8_000, chargeCents: 10_000 }]));
    await h.activities.registerPayment({ invoiceId, amountCents: 8_000, memo: `${paidTrace}/${resubmitted}`, date: today() });

    const { result, handle } = await reconcile();
    expect(forFamily(result.mismatches, first)).toEqual([]);
    expect(forTrace(result.mismatches, paidTrace)).toEqual([]);
    expect(result.claimsCompared).toBeGreaterThanOrEqual(1);
    expect(ticketTitles().filter((t) => t.includes(resubmitted) || t.includes(first))).toEqual([]);

    // No activity result carries file content, and each is small.
    const history = await handle.fetchHistory();
    const results = history.events!.map((e) => e.activityTaskCompletedEventAttributes?.result?.payloads ?? []).flat();
    expect(results.length).toBeGreaterThan(0);
    for (const p of results) {
      const text = Buffer.from(p.data ?? new Uint8Array()).toString('utf8');
      expect(text).not.toMatch(/ISA\*|CLP\*|BPR\*/);
      expect(p.data!.length).toBeLessThan(256 * 1024);
    }
  });

  it('opens one exception per mismatch: amount differs, a claim we never invoiced, and the deposit that does not add up', async () => {
    const matched = `RC-RECON-${Date.now()}`;
    const never = `RC-NEVER-${Date.now()}`;
    const trace = uniqueTrace();
    const invoiceId = await postedInvoice(matched, 10_000);
    await h.activities.registerPayment({ invoiceId, amountCents: 5_000, memo: `${trace}/${matched}`, date: today() });
    // One deposit pays 80.00 on our claim (Odoo holds 50.00) and 80.00 on a claim we never billed.
    h.payer.control.addRemittance(recon835(trace, [{ claimId: matched, paidCents: 8_000 }, { claimId: never, paidCents: 8_000 }]));
    // A payer's odd claim id (space, slash, LIKE wildcard) is just another claim we never billed, not a failed run.
    const odd = `ODD ${Date.now()}/1%`;
    h.payer.control.addRemittance(recon835(uniqueTrace(), [{ claimId: odd, paidCents: 100 }]));

    const { result } = await reconcile();
    expect(result.remittanceFiles).toBeGreaterThanOrEqual(1);
    expect(result.mismatches).toEqual(
      expect.arrayContaining([
        { claimId: matched, kind: 'amount_mismatch', remittedCents: 8_000, registeredCents: 5_000 },
        { claimId: never, kind: 'no_invoice', remittedCents: 8_000, registeredCents: 0 },
        { claimId: odd, kind: 'no_invoice', remittedCents: 100, registeredCents: 0 },
      ]),
    );
    // The deposit check leaves the never-billed claim to its no_invoice ticket: Odoo should hold 80.00, holds 50.00.
    expect(forTrace(result.mismatches, trace)).toEqual([
      expect.objectContaining({ kind: 'deposit_mismatch', depositCents: 16_000, plbCents: 0, notOursCents: 8_000, remittedCents: 8_000, registeredCents: 5_000 }),
    ]);
    const titles = ticketTitles();
    expect(titles).toEqual(expect.arrayContaining([expect.stringContaining(`amount_mismatch on ${matched}`), expect.stringContaining(`no_invoice on ${never}`), expect.stringContaining(`deposit_mismatch on trace ${trace}`)]));

    // A second run finds the same mismatches and opens no second ticket for them.
    const before = titles.length;
    await reconcile();
    expect(ticketTitles().filter((t) => t.includes(matched) || t.includes(never) || t.includes(trace) || t.includes(odd))).toHaveLength(4);
    expect(ticketTitles().length).toBe(before);
  });

  it('detects a deposit whose Odoo payments are short by a few cents, and a deposit whose BPR02 disagrees with its claims', async () => {
    const a = `RC-DEPA-${Date.now()}`;
    const b = `RC-DEPB-${Date.now()}`;
    const c = `RC-DEPC-${Date.now()}`;
    const short = uniqueTrace();
    const tampered = uniqueTrace();
    const invA = await postedInvoice(a, 10_000);
    const invB = await postedInvoice(b, 10_000);
    const invC = await postedInvoice(c, 10_000);
    h.payer.control.addRemittance(recon835(short, [{ claimId: a, paidCents: 7_000 }, { claimId: b, paidCents: 6_000 }]));
    await h.activities.registerPayment({ invoiceId: invA, amountCents: 7_000, memo: `${short}/${a}`, date: today() });
    await h.activities.registerPayment({ invoiceId: invB, amountCents: 5_993, memo: `${short}/${b}`, date: today() }); // 7 cents short
    // The payer's money (BPR02 90.00) is less than the claim detail (CLP04 90.05): Odoo rightly holds the claim detail.
    const x12 = recon835(tampered, [{ claimId: c, paidCents: 9_005 }]).replace(/BPR\*([A-Z])\*90\.05\*/, 'BPR*$1*90*');
    expect(x12).toContain('BPR*I*90*');
    h.payer.control.addRemittance(x12);
    await h.activities.registerPayment({ invoiceId: invC, amountCents: 9_005, memo: `${tampered}/${c}`, date: today() });

    const { result } = await reconcile();
    expect(forTrace(result.mismatches, short)).toEqual([expect.objectContaining({ depositCents: 13_000, remittedCents: 13_000, registeredCents: 12_993 })]);
    expect(forFamily(result.mismatches, b)).toEqual([{ claimId: b, kind: 'amount_mismatch', remittedCents: 6_000, registeredCents: 5_993 }]);
    expect(forFamily(result.mismatches, a)).toEqual([]);
    expect(forTrace(result.mismatches, tampered)).toEqual([expect.objectContaining({ depositCents: 9_000, remittedCents: 9_000, registeredCents: 9_005 })]);
    expect(forFamily(result.mismatches, c)).toEqual([]);
    expect(result.depositsCompared).toBeGreaterThanOrEqual(2);
  });

  it('reports a malformed 835 with segment and position (and a file that is not X12 as unreadable), and still reconciles the files after them', async () => {
    const bad = `RC-BAD-${Date.now()}`;
    const later = `RC-LATER-${Date.now()}`;
    const laterTrace = uniqueTrace();
    const badFile = h.payer.control.addRemittance(corruptClaimAmount(recon835(uniqueTrace(), [{ claimId: bad, paidCents: 8_000 }])));
    const invoiceId = await postedInvoice(later, 10_000);
    await h.activities.registerPayment({ invoiceId, amountCents: 4_000, memo: `${laterTrace}/${later}`, date: today() });
    const notX12 = h.payer.control.addRemittance('this is not an 835'); // the payer client refuses it: unreadable
    h.payer.control.addRemittance(recon835(laterTrace, [{ claimId: later, paidCents: 8_000 }])); // a later file, with a mismatch

    const { result } = await reconcile();
    const malformed = result.mismatches.filter((m) => m.kind === 'malformed_file' && m.fileId === badFile.fileId);
    expect(malformed).toEqual([{ kind: 'malformed_file', fileId: badFile.fileId, reason: expect.stringMatching(/segment \d+ CLP\/CLP04 @byte \d+/) }]);
    expect(result.mismatchCounts?.malformed_file).toBeGreaterThanOrEqual(1);
    expect(result.mismatches).toContainEqual({ kind: 'unreadable_file', fileId: notX12.fileId, reason: expect.stringContaining('invalid response from payer') });
    expect(forFamily(result.mismatches, bad)).toEqual([]); // nothing of the broken file was half-counted
    expect(forFamily(result.mismatches, later)).toEqual([{ claimId: later, kind: 'amount_mismatch', remittedCents: 8_000, registeredCents: 4_000 }]);
    const ticket = h.odoo.store.search('helpdesk.ticket', [], ['name', 'description']).find((t) => String(t.name).endsWith(`malformed_file ${badFile.fileId}`));
    expect(String(ticket?.description)).toMatch(/CLP\/CLP04 @byte \d+/);
  });

  it('on its Schedule (overlap SKIP), a malformed file no longer stops the runs after it', async () => {
    const bad = h.payer.control.addRemittance(corruptClaimAmount(recon835(uniqueTrace(), [{ claimId: `RC-SCHED-${Date.now()}`, paidCents: 100 }])));
    const scheduleId = `rcm-reconcile-test-${Date.now()}`;
    await h.withWorker(async () => {
      await ensureReconcileSchedule(h.client, { scheduleId, taskQueue: h.taskQueue, siteId: 'site-a', interval: '1 day', paused: true });
      const schedule = h.client.schedule.getHandle(scheduleId);
      try {
        for (const runs of [1, 2]) {
          await schedule.trigger();
          const started = await waitUntil(async () => {
            const ids = (await schedule.describe()).info.recentActions.map((a) => a.action.workflow.workflowId);
            return ids.length >= runs ? ids : undefined;
          }, `scheduled run ${runs} started`);
          const result = (await h.client.workflow.getHandle(started[runs - 1]).result()) as ReconciliationResult;
          expect(result.mismatches).toContainEqual(expect.objectContaining({ kind: 'malformed_file', fileId: bad.fileId }));
        }
      } finally {
        await schedule.delete();
      }
    });
  });
});
