import type { SlaLadder } from '../domain';
import { ParentReporter } from './childReports';
import { climbRung, type EscalationTarget } from './escalation';
import { awaitWithLadder, type Rung } from './slaLadder';

/**
 * A child workflow's SLA-guarded wait: the same ladder helper and rung side effects as the journey, with progress,
 * breaches reported to the parent so its search attributes and status show the child's clocks.
 * Children keep their clocks running through a journey hold: they carry payer-side clocks (regulatory or contractual).
 */
export function childWaitFor(reporter: ParentReporter, target: EscalationTarget) {
  return (step: string, done: () => boolean, ladder: SlaLadder): Promise<Rung[]> =>
    awaitWithLadder(done, { step, ladder, pauseOnHold: false }, {
      isHeld: () => false,
      onProgress: (s, l, fired) => void reporter.send({ kind: 'clock', step: s, ladder: l, fired: [...fired] }),
      onRung: async (rung, l, s) => {
        if (rung === 'breach') await reporter.send({ kind: 'breach', step: s, rule: l.rule, escalateTo: l.escalateTo });
        else await reporter.timeline(rung === 'warn' ? `SLA warning: ${s}` : `SLA escalated: ${s}`, { detail: l.rule });
        await climbRung(target, rung, l, s);
      },
    });
}
