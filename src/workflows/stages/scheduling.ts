import type { StageContext } from './context';

/** Stage 4: the readiness gate is passed (eligibility, auth, documents); wait for the appointment to be booked. */
export async function scheduling({ rt, d }: StageContext): Promise<void> {
  const seenBefore = d.facts.appointmentsSeen ?? 0;
  await rt.waitFor('appointment booked', () => d.inbox.appointments.length > seenBefore, rt.stageLadder('scheduling'));
  const appt = d.inbox.appointments[d.inbox.appointments.length - 1];
  d.facts.appointmentsSeen = d.inbox.appointments.length;
  d.facts.appointmentAt = appt.at;
  await rt.transition('scheduled', { detail: `appointment ${appt.appointmentId} at ${appt.at}` });
}
