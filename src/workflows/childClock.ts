import type { SlaLadder } from '../domain';
import { ParentReporter } from './childReports';
import { climbRung, type EscalationTarget } from './escalation';
import { PATCH_RUNGS_ONCE } from './runtime/clocks';
import { awaitWithLadder, type Rung } from './slaLadder';
import { isPatched } from './runtime/patchLevel';

/**
 * A child workflow's SLA-guarded wait: the same ladder helper and rung side effects as the journey, with progress,
 * breaches reported to the parent so its search attributes and status show the child's clocks.
 * Children keep their clocks running through a journey hold: they carry payer-side clocks (regulatory or contractual).
 * A child that waits again on the same deadline (a loop over one ladder) never fires a rung of it twice.
 */
export function childWaitFor(reporter: ParentReporter, target: EscalationTarget) {
  const firedByDeadline = new Map<string, Rung[]>();
  return (step: string, done: () => boolean, ladder: SlaLadder): Promise<Rung[]> => {
    const key = `${step}|${ladder.rule}|${ladder.breachAt}`;
    return awaitWithLadder(done, { step, ladder, pauseOnHold: false }, {
      isHeld: () => false,
      alreadyFired: (rung) => (firedByDeadline.get(key) ?? []).includes(rung) && isPatched(PATCH_RUNGS_ONCE),
      onProgress: (s, l, fired) => void reporter.send({ kind: 'clock', step: s, ladder: l, fired: [...fired] }),
      onRung: async (rung, l, s) => {
        firedByDeadline.set(key, [...(firedByDeadline.get(key) ?? []), rung]);
        if (rung === 'breach') await reporter.send({ kind: 'breach', step: s, rule: l.rule, escalateTo: l.escalateTo });
        else await reporter.timeline(rung === 'warn' ? `SLA warning: ${s}` : `SLA escalated: ${s}`, { detail: l.rule });
        await climbRung(target, rung, l, s);
      },
    });
  };
}
