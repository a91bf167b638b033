import { log } from '@temporalio/workflow';
import { toIsoInstant, type SlaLadder } from '../../domain';
import type { ChildReport } from '../childReports';
import { climbRung } from '../escalation';
import type { JourneyData } from '../journeyData';
import type { DeadlineView, SlaLevel } from '../journeyState';
import { awaitWithLadder, type Rung } from '../slaLadder';
import { isPatched } from './patchLevel';

export const PATCH_RUNGS_ONCE = 'sla-rungs-once-per-deadline';

interface ActiveClock {
  step: string;
  ladder: SlaLadder;
  fired: readonly Rung[];
}

/**
 * The journey's SLA clocks: its own stage waits and the clocks its children report. Each rung fires once per
 * deadline (remembered in state by step, rule and breach time), so re-entering a wait over an already-past ladder
 * does not warn, escalate or count a breach again.
 */
export class JourneyClocks {
  readonly active = new Map<string, ActiveClock>();
  private readonly reportSeq = new Map<string, number>();

  constructor(
    private readonly d: JourneyData,
    private readonly hooks: {
      record: (action: string, by?: { detail?: string }) => void;
      publish: () => void;
      breach: (step: string, rule: string, escalateTo: string) => void;
    },
  ) {}

  level(): SlaLevel {
    if (this.d.onHold) return 'on_hold';
    if (this.d.facts.breaches?.length) return 'breached';
    const rank: Record<SlaLevel, number> = { on_track: 0, warning: 1, escalated: 2, breached: 3, on_hold: 0 };
    let level: SlaLevel = 'on_track';
    for (const c of this.active.values()) {
      const l = levelOf(c.fired);
      if (rank[l] > rank[level]) level = l;
    }
    return level;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const c of this.active.values()) {
      const at = [c.ladder.warnAt, c.ladder.dueAt, c.ladder.breachAt][c.fired.length];
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  views(): DeadlineView[] {
    return [...this.active.values()].map((c) => ({
      step: c.step,
      rule: c.ladder.rule,
      kind: c.ladder.kind,
      owner: c.ladder.owner,
      escalateTo: c.ladder.escalateTo,
      warnAt: toIsoInstant(c.ladder.warnAt),
      dueAt: toIsoInstant(c.ladder.dueAt),
      breachAt: toIsoInstant(c.ladder.breachAt),
      level: levelOf(c.fired),
    }));
  }

  /** Wait for `done` while the ladder runs: warn → owner, due → supervisor activity + ticket, breach → re-route. */
  wait(step: string, done: () => boolean, ladder: SlaLadder): Promise<Rung[]> {
    const d = this.d;
    const key = `${step}|${ladder.rule}|${ladder.breachAt}`;
    return awaitWithLadder(done, { step, ladder, pauseOnHold: d.options.pauseSlaOnHold }, {
      isHeld: () => d.onHold,
      alreadyFired: (rung) => (d.firedRungs[key] ?? []).includes(rung) && isPatched(PATCH_RUNGS_ONCE),
      onProgress: (s, l, fired) => {
        if (l) this.active.set(s, { step: s, ladder: l, fired });
        else this.active.delete(s);
        this.hooks.publish();
      },
      onRung: async (rung, l, s) => {
        d.firedRungs[key] = [...(d.firedRungs[key] ?? []), rung];
        await this.climb(rung, l, s);
      },
    });
  }

  /** A child's clock report; reports are separate signals and may overtake each other, so stale ones are dropped. */
  applyReport(report: Extract<ChildReport, { kind: 'clock' }>): void {
    const key = `${report.from ?? ''}|${report.step}`;
    if (report.seq !== undefined) {
      if (report.seq < (this.reportSeq.get(key) ?? 0)) return;
      this.reportSeq.set(key, report.seq);
    }
    if (report.ladder) this.active.set(report.step, { step: report.step, ladder: report.ladder, fired: report.fired });
    else this.active.delete(report.step);
  }

  private async climb(rung: Rung, ladder: SlaLadder, step: string): Promise<void> {
    const d = this.d;
    const stage = String(d.stage);
    if (rung === 'warn') this.hooks.record(`SLA warning: ${step}`, { detail: `${ladder.rule} due ${toIsoInstant(ladder.dueAt)}` });
    if (rung === 'due') this.hooks.record(`SLA escalated: ${step}`, { detail: `${ladder.rule} → ${ladder.escalateTo}` });
    if (rung === 'breach') this.hooks.breach(step, ladder.rule, ladder.escalateTo);
    await climbRung({ journeyId: d.journeyId, siteId: d.siteId, stage, payerId: d.referral?.payerId, taskId: d.intakeTaskId }, rung, ladder, step);
    log.info('sla rung', { journeyId: d.journeyId, rung, rule: ladder.rule, stage });
  }
}

export function levelOf(fired: readonly Rung[]): SlaLevel {
  if (fired.includes('breach')) return 'breached';
  if (fired.includes('due')) return 'escalated';
  if (fired.includes('warn')) return 'warning';
  return 'on_track';
}
