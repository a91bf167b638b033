import { condition } from '@temporalio/workflow';
import type { SlaLadder } from '../domain';

/**
 * The SLA escalation ladder as one reusable workflow helper (DESIGN.md "SLA escalation ladder"): durable timers at
 * warnAt / dueAt / breachAt race the awaited condition. Each rung fires once, in order, through `onRung`; the wait
 * itself continues after a breach (the step still needs its answer). While the journey is on hold an internal clock
 * pauses and its remaining rungs shift by the time spent on hold; a regulatory clock keeps running (the law does not
 * pause for our holds).
 */
export type Rung = 'warn' | 'due' | 'breach';

export interface LadderWait {
  /** short, PHI-free name of what is awaited, e.g. "intake documents" */
  step: string;
  ladder: SlaLadder;
  /** pause this clock while on hold (forced false for regulatory clocks) */
  pauseOnHold: boolean;
}

export interface LadderHooks {
  isHeld(): boolean;
  /** a rung of this same deadline already fired in an earlier wait: it is skipped, not fired again */
  alreadyFired?(rung: Rung): boolean;
  /** called when a rung is reached, with the ladder as shifted by holds */
  onRung(rung: Rung, ladder: SlaLadder, step: string): Promise<void>;
  /** called whenever the effective ladder changes (start, hold shift, rung fired, end) */
  onProgress?(step: string, ladder: SlaLadder | undefined, fired: readonly Rung[]): void;
}

const RUNGS: readonly Rung[] = ['warn', 'due', 'breach'];

function rungAt(ladder: SlaLadder, rung: Rung): number {
  return rung === 'warn' ? ladder.warnAt : rung === 'due' ? ladder.dueAt : ladder.breachAt;
}

export function shiftLadder(ladder: SlaLadder, ms: number): SlaLadder {
  if (ms === 0) return ladder;
  return { ...ladder, warnAt: ladder.warnAt + ms, dueAt: ladder.dueAt + ms, breachAt: ladder.breachAt + ms };
}

/**
 * Wait until `done()` holds, climbing the ladder on the way. Resolves when done; workflow cancellation propagates.
 * Returns the rungs that fired (for tests and the timeline).
 */
export async function awaitWithLadder(done: () => boolean, wait: LadderWait, hooks: LadderHooks): Promise<Rung[]> {
  const pauses = wait.pauseOnHold && wait.ladder.kind !== 'regulatory';
  let ladder = wait.ladder;
  const fired: Rung[] = [];
  hooks.onProgress?.(wait.step, ladder, fired);
  const interrupted = () => done() || (pauses && hooks.isHeld());
  try {
    while (!done()) {
      if (pauses && hooks.isHeld()) {
        const heldAt = Date.now();
        await condition(() => done() || !hooks.isHeld());
        ladder = shiftLadder(ladder, Date.now() - heldAt);
        hooks.onProgress?.(wait.step, ladder, fired);
        continue;
      }
      const next = RUNGS.find((r) => !fired.includes(r));
      if (!next) {
        await condition(interrupted);
        continue;
      }
      const waitMs = rungAt(ladder, next) - Date.now();
      if (waitMs > 0 && (await condition(interrupted, waitMs))) continue;
      fired.push(next);
      if (!hooks.alreadyFired?.(next)) await hooks.onRung(next, ladder, wait.step);
      hooks.onProgress?.(wait.step, ladder, fired);
    }
  } finally {
    hooks.onProgress?.(wait.step, undefined, fired);
  }
  return fired;
}
