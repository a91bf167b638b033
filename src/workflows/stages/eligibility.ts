import { localDate } from '../../domain';
import { payer } from '../proxies';
import { isSelfPay } from './selfPay';
import type { StageContext } from './context';
import { isPatched } from '../runtime/patchLevel';

export const PATCH_ELIGIBILITY_EARLY_RESULT = 'eligibility-counts-early-results';

/**
 * Stage 2: ask the payer synchronously; when coverage is not (yet) active, wait for an asynchronous 271 that says
 * it is. A result that arrived before or during the synchronous call counts too.
 */
export async function eligibility(ctx: StageContext): Promise<void> {
  const { rt, d, journeyId } = ctx;
  const r = rt.referral;
  if (isSelfPay(ctx)) {
    d.facts.eligibility = { status: 'active', authRequired: false, copayCents: 0, deductibleRemainingCents: 0, coinsuranceBasisPoints: 0 };
    await rt.transition('eligibility_confirmed', { detail: 'self-pay: no coverage to verify' });
    return;
  }
  // For the date of service once an appointment exists (a re-check that found coverage gone), else as of the referral.
  const serviceDate = d.facts.appointmentAt ? localDate(Date.parse(d.facts.appointmentAt), rt.slaContext.calendar.timeZone) : r.receivedAt.slice(0, 10);
  const answer = await payer.checkEligibility({
    journeyId,
    payerId: r.payerId,
    memberRef: r.patientRef,
    serviceDate,
    serviceCodes: r.orderedServices.map((s) => s.cpt),
  });
  d.facts.eligibilityCheckedAt = new Date(Date.now()).toISOString();
  d.facts.eligibilityCheckedFor = serviceDate;
  rt.record('eligibility checked', { actor: `payer:${r.payerId}`, detail: `${answer.status}${answer.authRequired ? ', auth required' : ''}` });
  const latestActive = () => [...d.inbox.eligibility].reverse().find((e) => e.status === 'active');
  let authRequired = answer.authRequired;
  if (answer.status !== 'active') {
    const early = latestActive();
    if (early && isPatched(PATCH_ELIGIBILITY_EARLY_RESULT)) {
      rt.record('eligibility taken from an earlier payer result', { actor: `payer:${r.payerId}`, detail: early.messageId });
      authRequired = early.authRequired;
    } else {
      // Unknown: wait for the payer's asynchronous 271; inactive: re-verify coverage / bill the correct payer.
      const seenBefore = d.inbox.eligibility.length;
      const activeAfter = () => d.inbox.eligibility.slice(seenBefore).some((e) => e.status === 'active');
      await rt.openException('eligibility', answer.status === 'inactive' ? 'coverage inactive' : 'eligibility pending');
      await rt.waitFor('active coverage', activeAfter, rt.stageLadder('eligibility'));
      await rt.closeException('eligibility');
      authRequired = latestActive()!.authRequired;
    }
  }
  // A re-check for the date of service that found coverage gone left its exception open: active again closes it.
  await rt.closeException('eligibility');
  d.facts.eligibility = { status: 'active', authRequired, copayCents: answer.copayCents, deductibleRemainingCents: answer.deductibleRemainingCents, coinsuranceBasisPoints: answer.coinsuranceBasisPoints };
  await rt.transition('eligibility_confirmed');
}
