import { CancellationScope } from '@temporalio/workflow';
import { toIsoInstant } from '../../domain';
import { odoo } from '../proxies';
import type { JourneyData } from '../journeyData';
import type { TimelineEntry } from '../journeyState';
import { actionBudget } from './actionBudget';

/**
 * Entries per Odoo chatter post when batching (each post is an activity, a billable action). Well below the kept
 * timeline (`timelineLimit`, 500 by default) so an entry is mirrored before it can be trimmed from state.
 */
export const MIRROR_BATCH = 40;

/** `at`: when it happened, if not now (a child's report the journey hears of later). */
export type By = { actor?: string; role?: string; reason?: string; detail?: string; issuer?: string; at?: string };

/** The audit trail: who did what, when, why; kept (trimmed) in state and mirrored in full to Odoo chatter. */
export class JourneyTimeline {
  constructor(private readonly d: JourneyData) {}

  record(action: string, by: By = {}): void {
    const d = this.d;
    d.timeline.push({
      at: by.at ?? toIsoInstant(Date.now()),
      stage: d.stage,
      action,
      actor: by.actor ?? 'system',
      ...(by.role ? { role: by.role } : {}),
      ...(by.issuer ? { issuer: by.issuer } : {}),
      ...(by.reason ? { reason: by.reason } : {}),
      ...(by.detail ? { detail: by.detail } : {}),
    });
    d.timelineTotal++;
    const overflow = d.timeline.length - d.options.timelineLimit;
    if (overflow > 0) d.timeline.splice(0, overflow);
    // A long stay in one stage (many remittances, child reports) must not outgrow the kept timeline unmirrored.
    if (this.pendingCount() >= Math.min(MIRROR_BATCH, Math.floor(d.options.timelineLimit / 2)) && actionBudget()) this.mirrorInBackground();
  }

  /** Entries recorded but not yet handed to a mirror. */
  pendingCount(): number {
    return this.d.timelineTotal - this.d.mirroredTotal;
  }

  /**
   * The batched mirror (new executions): a stage change mirrors only once a batch is full or the journey reached
   * its end (a terminal stage, inside the stage so a failure holds the journey rather than failing it); holds and
   * close flush whatever is pending. Older executions mirror at every stage change, as recorded.
   */
  mirrorAtStageChange(terminal: boolean): Promise<void> {
    if (actionBudget() && !terminal && this.pendingCount() < MIRROR_BATCH) return Promise.resolve();
    return this.mirror();
  }

  /** Flush without waiting (a hold): a failure keeps the range pending for the next mirror. */
  mirrorInBackground(): void {
    // Shielded: a stage cancelled meanwhile must not cancel the post (a cancelled post would hand its range back).
    void CancellationScope.nonCancellable(() => this.mirror()).catch(() => undefined);
  }

  /**
   * Mirror the entries recorded since the last mirror to the intake task's chatter (the durable audit copy). The
   * range is claimed before the activity runs, so entries recorded meanwhile (handlers, child reports) go with the
   * next mirror instead of being skipped; a failed mirror gives its range back.
   */
  async mirror(): Promise<void> {
    const d = this.d;
    if (d.intakeTaskId === undefined) return;
    const from = d.mirroredTotal;
    const upTo = d.timelineTotal;
    if (upTo <= from) return;
    const firstKept = d.timelineTotal - d.timeline.length;
    const pending = d.timeline.slice(Math.max(0, from - firstKept));
    const body = pending.map(formatEntry).join('\n');
    d.mirroredTotal = upTo;
    try {
      // Batched posts name their whole range, so a retried batch is one post and a regrown one a new post.
      const key = actionBudget() ? `${d.journeyId}|timeline|${from}-${upTo}` : `${d.journeyId}|timeline|${upTo}`;
      await odoo.postChatter({ resModel: 'project.task', resId: d.intakeTaskId, body, key });
    } catch (err) {
      d.mirroredTotal = Math.min(d.mirroredTotal, from);
      throw err;
    }
  }
}

function formatEntry(e: TimelineEntry): string {
  const who = `${e.actor}${e.issuer ? ` @${e.issuer}` : ''}${e.role ? ` (${e.role})` : ''}`;
  return `${e.at} [${e.stage}] ${e.action} by ${who}${e.reason ? `: ${e.reason}` : ''}`;
}
