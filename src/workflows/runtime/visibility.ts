import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { STAGE_INFO, toIsoInstant } from '../../domain';
import { allClaimIds, type JourneyData } from '../journeyData';
import type { DeadlineView, JourneyStatus, SlaLevel } from '../journeyState';
import { ledgerView } from '../ledger';
import { actionBudget, PerTaskFlush } from './actionBudget';
import type { JourneyClocks } from './clocks';
import { BalanceCents, ClaimIds, ExceptionQueue, NextDeadline, PayerId, SiteId, SlaState, Stage } from '../searchAttributes';

/** What operators see: PHI-free search attributes, the UI's current details, and the `status` query. */
export class JourneyVisibility {
  private publishedFingerprint?: string;
  /** the latest attributes not yet upserted (coalesced: one upsert per workflow task, see PerTaskFlush) */
  private pending?: { attributes: Parameters<typeof upsertSearchAttributes>[0]; fingerprint: string };
  private readonly upsertOnce = new PerTaskFlush(() => this.flush());

  constructor(
    private readonly d: JourneyData,
    private readonly clocks: JourneyClocks,
  ) {}

  get stageLabel(): string {
    return this.d.stage === 'awaiting_referral' ? 'Awaiting referral' : STAGE_INFO[this.d.stage].label;
  }

  /** Upsert search attributes (only when a value an operator filters on changed: each upsert is a billable history event). */
  publish(): void {
    const d = this.d;
    const deadline = this.clocks.nextDeadline();
    const level = this.clocks.level();
    const money = ledgerView(d.ledger, allClaimIds(d));
    const attributes: Parameters<typeof upsertSearchAttributes>[0] = [
      { key: Stage, value: d.stage },
      { key: SiteId, value: d.siteId },
      ...(d.referral ? [{ key: PayerId, value: d.referral.payerId }] : []),
      { key: SlaState, value: level },
      { key: NextDeadline, value: deadline === undefined ? null : new Date(deadline) },
      { key: ExceptionQueue, value: d.exceptions.length ? [...new Set(d.exceptions.map((e) => e.queue))] : null },
      { key: BalanceCents, value: money.balanceCents },
      { key: ClaimIds, value: d.claimIds.length ? allClaimIds(d) : null },
    ];
    const fingerprint = JSON.stringify(attributes.map((a) => a.value));
    if (actionBudget()) {
      // A stage change, a clock started and stopped, a child's report: often several in one task. Upsert the last
      // state once, and nothing when it came back to what is already published.
      this.pending = { attributes, fingerprint };
      this.upsertOnce.request();
    } else if (fingerprint !== this.publishedFingerprint) {
      this.publishedFingerprint = fingerprint;
      upsertSearchAttributes(attributes);
    }
    setCurrentDetails(
      [
        `**Stage:** ${this.stageLabel}`,
        `**Waiting for:** ${d.awaiting}`,
        `**SLA:** ${level}${deadline ? ` (next rung ${toIsoInstant(deadline)})` : ''}`,
        d.exceptions.length ? `**Exceptions:** ${d.exceptions.map((e) => e.queue).join(', ')}` : '',
        d.onHold ? `**On hold:** ${d.holdReason ?? ''}` : '',
        `**Balance:** ${(money.balanceCents / 100).toFixed(2)} · **Paid:** ${(money.paidCents / 100).toFixed(2)}`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }

  private flush(): void {
    const next = this.pending;
    this.pending = undefined;
    if (!next || next.fingerprint === this.publishedFingerprint) return;
    this.publishedFingerprint = next.fingerprint;
    upsertSearchAttributes(next.attributes);
  }

  status(): JourneyStatus {
    const d = this.d;
    const deadlines: DeadlineView[] = this.clocks.views();
    const money = ledgerView(d.ledger, allClaimIds(d));
    const slaState: SlaLevel = this.clocks.level();
    return {
      journeyId: d.journeyId,
      siteId: d.siteId,
      referralId: d.referralId,
      payerId: d.referral?.payerId,
      stage: d.stage,
      stageLabel: this.stageLabel,
      awaiting: d.awaiting,
      slaState,
      deadlines,
      openExceptions: [...d.exceptions],
      balanceCents: money.balanceCents,
      paidCents: money.paidCents,
      claimIds: [...allClaimIds(d)],
      onHold: d.onHold,
      ledger: money,
      ...(d.facts.pendingApproval ? { pendingApproval: d.facts.pendingApproval } : {}),
      ...(d.facts.outcome ? { outcome: d.facts.outcome } : {}),
      historyRuns: d.runs,
    };
  }
}
