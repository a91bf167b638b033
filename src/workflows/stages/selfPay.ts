import { gfeRequirement, localDate, referralChargeCents } from '../../domain';
import { odoo } from '../proxies';
import type { StageContext } from './context';
import { isPatched } from '../runtime/patchLevel';

/**
 * Self-pay / uninsured journeys (issue 11, DOMAIN.md "Patient balances"): no coverage to verify, no prior auth, no
 * 837; the patient gets a good-faith estimate at scheduling and the invoice is their bill.
 */
export const PATCH_SELF_PAY = 'self-pay-journey';

/** True when the referral is self-pay and this build routes it as such (memoised in the facts for later stages). */
export function isSelfPay({ rt, d }: Pick<StageContext, 'rt' | 'd'>): boolean {
  if (d.facts.selfPay === undefined && rt.referral.planType === 'self_pay') d.facts.selfPay = isPatched(PATCH_SELF_PAY);
  return d.facts.selfPay === true;
}

/**
 * No Surprises Act good-faith estimate (45 CFR 149.610): due 1 business day after booking when the appointment is at
 * least 3 business days ahead, 3 business days after booking when at least 10 ahead. It is a to-do in Odoo on the
 * intake task with its deadline (the clock people see there); its amount is what a later dispute is measured against.
 */
export async function goodFaithEstimate({ rt, d, journeyId }: StageContext, bookedAt: number, appointmentAt: string): Promise<void> {
  const ctx = rt.slaContext;
  const req = gfeRequirement({ bookedAt, appointmentAt }, ctx);
  const gfeCents = referralChargeCents(rt.referral);
  if (!req.required) {
    d.facts.gfe = { required: false, gfeCents, leadBusinessDays: req.leadBusinessDays };
    rt.record('good-faith estimate not required', { detail: `scheduled ${req.leadBusinessDays} business day(s) ahead` });
    return;
  }
  const dueDate = localDate(req.ladder.dueAt, ctx.calendar.timeZone);
  d.facts.gfe = { required: true, gfeCents, dueDate, leadBusinessDays: req.leadBusinessDays };
  if (d.intakeTaskId) {
    await odoo.scheduleActivity({
      journeyId,
      resModel: 'project.task',
      resId: d.intakeTaskId,
      summary: 'Good-faith estimate due (No Surprises Act)',
      note: `Give the patient a good-faith estimate of ${gfeCents} cents for ${rt.referral.orderedServices.map((s) => s.cpt).join(', ')} by ${dueDate} (${req.ladder.rule}).`,
      deadline: dueDate,
    });
  }
  rt.record('good-faith estimate due', { detail: `${gfeCents} cents by ${dueDate} (${req.ladder.rule})` });
}
