import type { StageContext } from './context';
import { goodFaithEstimate, isSelfPay } from './selfPay';

/**
 * Stage 4: the readiness gate is passed (eligibility, auth, documents); wait for the appointment to be booked. A
 * self-pay patient is owed a good-faith estimate once it is.
 */
export async function scheduling(ctx: StageContext): Promise<void> {
  const { rt, d } = ctx;
  const seenBefore = d.facts.appointmentsSeen ?? 0;
  await rt.waitFor('appointment booked', () => d.inbox.appointments.length > seenBefore, rt.stageLadder('scheduling'));
  const appt = d.inbox.appointments[d.inbox.appointments.length - 1];
  d.facts.appointmentsSeen = d.inbox.appointments.length;
  d.facts.appointmentAt = appt.at;
  if (isSelfPay(ctx) && !d.facts.gfe) await goodFaithEstimate(ctx, Date.now(), appt.at);
  await rt.transition('scheduled', { detail: `appointment ${appt.appointmentId} at ${appt.at}` });
}
