import type { StageContext } from './context';

/** Stage 5: wait for the encounter (service completed), on a clock that starts at the appointment. */
export async function service({ rt, d }: StageContext): Promise<void> {
  const appointmentAt = Date.parse(d.facts.appointmentAt ?? '');
  await rt.waitFor('service completed', () => d.inbox.services.length > 0, rt.stageLadder('service', Math.max(appointmentAt || 0, Date.now())));
  const encounter = d.inbox.services[d.inbox.services.length - 1];
  d.facts.encounter = { encounterId: encounter.encounterId, serviceDate: encounter.serviceDate, notesRef: encounter.notesRef };
  d.facts.services = encounter.services;
  await rt.transition('service_completed', { detail: `encounter ${encounter.encounterId}` });
}
