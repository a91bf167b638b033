import * as msg from '../../src/workflows/messages';
import { payAllowed } from '../support/drive';
import { bookAndServe, releaseClaim, sampleReferral, settleAfterPosting, startJourneyHarness, waitForStatus, type JourneyHarness } from '../support/journeyHarness';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';
import { waitUntil } from '../support/waitUntil';

/**
 * Issue 12 on the time-skipping server: a clearinghouse rejection (277CA, 999) or a CO-16 denial opens a
 * claim_rejection exception; a coder corrects the claim; it goes out again as a replacement (7 + REF*F8 = the payer's
 * claim control number) or, when the payer never took it in, as a new original — and is paid.
 */
describe('acknowledgments and corrected claims (time-skipping server)', () => {
  let h: JourneyHarness;
  beforeEach(async () => {
    h = await startJourneyHarness('time-skipping');
  });
  afterEach(async () => h?.close());

  const referral = () => sampleReferral({ orderedServices: [{ cpt: '99214', icd10: ['M54.50'], units: 1, chargeCents: 50_000 }] });
  const correct = (handle: Awaited<ReturnType<JourneyHarness['start']>>) =>
    handle.executeUpdate(msg.completeCodingReview, { args: [{ actorId: 'coder-7', role: 'coder', outcome: 'confirmed', reason: 'billing data fixed' }] });
  const tickets = (pattern: string) => h.odoo.store.count('helpdesk.ticket', [['name', 'ilike', pattern]]);

  async function payAndClose(handle: Awaited<ReturnType<JourneyHarness['start']>>, claimId: string): Promise<void> {
    const file = await h.payer.control.adjudicate(claimId, payAllowed(8000));
    await h.deliverRemittances(handle, [file!.fileId]);
    await settleAfterPosting(h, handle);
    expect(await handle.result()).toMatchObject({ state: 'paid', paidCents: 40_000 });
    await expectLedgerMatchesOdoo(handle, h.odoo);
  }

  it('a 277CA rejection (A7) is corrected by a coder and replaced with frequency 7 naming the payer claim number, then paid', async () => {
    await h.withWorker(async () => {
      h.payer.control.rejectNextClaim({ category: 'A7', statusCode: '562', entityCode: '85' });
      const handle = await h.start(referral());
      await bookAndServe(handle, 50_000, '99214');
      const claimId = await releaseClaim(handle);
      const rejected = await waitForStatus(handle, (s) => s.awaiting === 'claim correction by a coder', 'waiting for the coder');
      expect(rejected.openExceptions).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'claim_rejection', reason: expect.stringMatching(/^277CA rejection: .*A7:562/) })]));
      expect(tickets(`Claim ${claimId} rejected (277CA)`)).toBe(1);
      const ccn = /REF\*1K\*([^~*]+)/.exec(h.payer.control.claimAcknowledgment(claimId)!)![1];
      await correct(handle);
      const timeline = await waitUntil(async () => {
        const t = (await handle.query(msg.timeline)).map((e) => `${e.action} | ${e.detail ?? ''}`);
        return t.filter((x) => x.startsWith(`claim ${claimId} accepted`)).length === 1 ? t : undefined;
      }, 'the replacement accepted');
      expect(timeline).toContain(`corrected claim ready (frequency 7) | REF*F8 ${ccn}`);
      const s = await handle.query(msg.status);
      expect(s.claimIds).toEqual([claimId]); // a replacement keeps the claim id
      expect(s.openExceptions.map((e) => e.queue)).not.toContain('claim_rejection');
      await payAndClose(handle, claimId);
    });
  });

  it('a 999 rejection (the payer never took the claim in) is corrected and sent as a new original claim', async () => {
    await h.withWorker(async () => {
      h.payer.control.rejectNextSyntax();
      const handle = await h.start(referral());
      await bookAndServe(handle, 50_000, '99214');
      const first = await releaseClaim(handle);
      const rejected = await waitForStatus(handle, (s) => s.awaiting === 'claim correction by a coder', 'waiting for the coder');
      expect(rejected.openExceptions.find((e) => e.queue === 'claim_rejection')?.reason).toMatch(/^999 rejection/);
      await correct(handle);
      const s = await waitForStatus(handle, (x) => x.claimIds.length === 2 && x.stage === 'payer_adjudication', 'a new claim');
      const second = s.claimIds[1];
      expect(second).not.toBe(first);
      await h.claimAtPayer(second);
      await payAndClose(handle, second);
    });
  });

  it('a CO-16 denial without MA130 asks for a corrected claim: frequency 7 with REF*F8 = CLP07, then paid', async () => {
    await h.withWorker(async () => {
      const handle = await h.start(referral());
      await bookAndServe(handle, 50_000, '99214');
      const claimId = await releaseClaim(handle);
      await h.claimAtPayer(claimId);
      const denial = await h.payer.control.adjudicate(claimId, { kind: 'deny', carc: '16' });
      await h.deliverRemittances(handle, [denial!.fileId]);
      await waitForStatus(handle, (s) => s.awaiting === 'claim correction by a coder' && s.openExceptions.some((e) => e.queue === 'claim_rejection'), 'the corrected-claim step');
      await correct(handle);
      await waitUntil(async () => (await handle.query(msg.timeline)).some((e) => e.action === 'corrected claim ready (frequency 7)'), 'the replacement');
      await waitUntil(async () => (await handle.query(msg.timeline)).filter((e) => e.action === `claim ${claimId} accepted`).length === 2, 'the replacement accepted');
      await payAndClose(handle, claimId);
    });
  });
});
