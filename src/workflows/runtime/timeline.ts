import { toIsoInstant } from '../../domain';
import { odoo } from '../proxies';
import type { JourneyData } from '../journeyData';
import type { TimelineEntry } from '../journeyState';

export type By = { actor?: string; role?: string; reason?: string; detail?: string; issuer?: string };

/** The audit trail: who did what, when, why; kept (trimmed) in state and mirrored in full to Odoo chatter. */
export class JourneyTimeline {
  constructor(private readonly d: JourneyData) {}

  record(action: string, by: By = {}): void {
    const d = this.d;
    d.timeline.push({
      at: toIsoInstant(Date.now()),
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
      await odoo.postChatter({ resModel: 'project.task', resId: d.intakeTaskId, body, key: `${d.journeyId}|timeline|${upTo}` });
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
