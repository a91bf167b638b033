import { condition } from '@temporalio/workflow';
import { localDate } from '../../domain';
import { payer } from '../proxies';
import type { StageContext } from './context';
import { isSelfPay } from './selfPay';
import { isPatched } from '../runtime/patchLevel';

/** Issue 11 (CO-27 prevention): coverage is verified for the date of service, shortly before it. */
export const PATCH_ELIGIBILITY_FOR_DOS = 'eligibility-recheck-for-date-of-service';
/** A check older than this at the date of service is stale. */
const STALE_AFTER_MS = 3 * 86_400_000;
/** How long before the appointment the re-check runs. */
const RECHECK_LEAD_MS = 2 * 86_400_000;

/** Stage 5: wait for the encounter (service completed), on a clock that starts at the appointment. */
export async function service(ctx: StageContext): Promise<void> {
  const { rt, d } = ctx;
  const appointmentAt = Date.parse(d.facts.appointmentAt ?? '');
  // isPatched() only where a re-check may happen: a marker costs billable actions on every journey that asks.
  if (appointmentAt && needsRecheck(ctx, appointmentAt) && !isSelfPay(ctx) && isPatched(PATCH_ELIGIBILITY_FOR_DOS) && !(await coveredOnDateOfService(ctx, appointmentAt))) return;
  await rt.waitFor('service completed', () => d.inbox.services.length > 0, rt.stageLadder('service', Math.max(appointmentAt || 0, Date.now())));
  const encounter = d.inbox.services[d.inbox.services.length - 1];
  d.facts.encounter = { encounterId: encounter.encounterId, serviceDate: encounter.serviceDate, notesRef: encounter.notesRef };
  d.facts.services = encounter.services;
  await rt.transition('service_completed', { detail: `encounter ${encounter.encounterId}` });
}

/**
 * Eligibility checked at intake says little about an appointment weeks later (CO-27: coverage terminated before the
 * date of service). When the last check is more than a few days older than the appointment, ask again two days
 * before it, for that date; coverage gone sends the journey back to eligibility. False when it did.
 */
function needsRecheck({ rt, d }: Pick<StageContext, 'rt' | 'd'>, appointmentAt: number): boolean {
  const dos = localDate(appointmentAt, rt.slaContext.calendar.timeZone);
  const checkedAt = Date.parse(d.facts.eligibilityCheckedAt ?? '') || 0;
  // Stale check, and no encounter reported yet (the visit happened: nothing left to prevent).
  return d.facts.eligibilityCheckedFor !== dos && appointmentAt - checkedAt > STALE_AFTER_MS && d.inbox.services.length === 0;
}

async function coveredOnDateOfService({ rt, d, journeyId }: StageContext, appointmentAt: number): Promise<boolean> {
  const dos = localDate(appointmentAt, rt.slaContext.calendar.timeZone);
  const serviced = () => d.inbox.services.length > 0;
  // Wait for the re-check point; an encounter reported first means the visit happened.
  const wait = appointmentAt - RECHECK_LEAD_MS - Date.now();
  if (wait > 0 && (await condition(serviced, wait))) return true;
  const r = rt.referral;
  const answer = await payer.checkEligibility({ journeyId, payerId: r.payerId, memberRef: r.patientRef, serviceDate: dos, serviceCodes: r.orderedServices.map((s) => s.cpt) });
  d.facts.eligibilityCheckedAt = new Date(Date.now()).toISOString();
  d.facts.eligibilityCheckedFor = dos;
  rt.record('eligibility re-checked for the date of service', { actor: `payer:${r.payerId}`, detail: `${dos}: ${answer.status}` });
  if (answer.status === 'active') return true;
  await rt.openException('eligibility', `coverage ${answer.status} on the date of service ${dos}`);
  await rt.transition('coverage_changed', { detail: `re-check for ${dos}: ${answer.status}` });
  return false;
}
