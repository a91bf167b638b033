import { toIsoInstant, type SlaLadder } from '../domain';
import { notify, odoo } from './proxies';
import type { Rung } from './slaLadder';

/** Who and where a rung's side effects go (ids only). */
export interface EscalationTarget {
  journeyId: string;
  siteId: string;
  stage: string;
  payerId?: string;
  /** Odoo record the supervisor activity hangs on (the intake task) */
  taskId?: number;
}

/**
 * Side effects of one ladder rung, shared by the journey and its child workflows:
 * warn → notify the owner; due → supervisor Odoo activity + helpdesk ticket on the escalation queue;
 * breach → notify the escalation queue and count the breach (callers mark SlaState and re-route).
 */
export async function climbRung(target: EscalationTarget, rung: Rung, ladder: SlaLadder, step: string): Promise<void> {
  const kpiBase = { siteId: target.siteId, stage: target.stage, payerId: target.payerId };
  const note = { journeyId: target.journeyId, siteId: target.siteId, stage: target.stage };
  if (rung === 'warn') {
    await Promise.all([
      notify.notifyOwner({ ...note, owner: ladder.owner, level: 'warning', message: `${step}: due ${toIsoInstant(ladder.dueAt)}` }),
      notify.recordKpi({ name: 'sla_warning', ...kpiBase }),
    ]);
    return;
  }
  if (rung === 'due') {
    await Promise.all([
      target.taskId !== undefined
        ? odoo.scheduleActivity({
            journeyId: target.journeyId,
            resModel: 'project.task',
            resId: target.taskId,
            summary: `Escalation: ${step}`,
            note: `${ladder.rule} (${ladder.citation})`,
            deadline: toIsoInstant(ladder.breachAt).slice(0, 10),
          })
        : Promise.resolve(undefined),
      odoo.openTicket({
        journeyId: target.journeyId,
        queue: ladder.escalateTo,
        title: `Escalation: ${step}`,
        description: `${ladder.rule}: breach at ${toIsoInstant(ladder.breachAt)}`,
        priority: 'high',
      }),
      notify.notifyOwner({ ...note, owner: ladder.escalateTo, level: 'escalated', message: `${step}: breach at ${toIsoInstant(ladder.breachAt)}` }),
      notify.recordKpi({ name: 'sla_escalated', ...kpiBase }),
    ]);
    return;
  }
  await Promise.all([
    notify.notifyOwner({ ...note, owner: ladder.escalateTo, level: 'breached', message: `${step}: SLA breached` }),
    notify.recordKpi({ name: 'sla_breach', ...kpiBase }),
  ]);
}
