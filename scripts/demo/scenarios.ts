import type { JourneyClient } from '../../src/client/journeyClient';
import { formatUsd, type Referral } from '../../src/domain';
import type { PayerEmulatorControl } from '../../sim/payer';
import { DemoAborted, sleep, type Driver } from './drive';
import { green, journeyLine, red, yellow } from './output';
import { SERVICES, demoReferral } from './referrals';

/**
 * The demo journeys: each one is a referral plus the script that drives it to the state the Temporal UI should show.
 * `reached` marks that state (the summary waits for it); some scripts then keep going in the background (a paid
 * claim settles after its 10-minute quiet period; an approval given with `rcm approve` is adjudicated by the payer).
 */
export interface ScenarioContext {
  journeyId: string;
  referral: Referral;
  drv: Driver;
  payer?: PayerEmulatorControl;
  /** a progress line */
  note(text: string): void;
  /** the journey shows what this scenario is about (the first call counts) */
  reached(text: string): void;
}

export interface Scenario {
  key: string;
  label: string;
  /** what path it takes, one line */
  path: string;
  referral: Referral;
  /** drives the payer emulator (skipped when PAYER_BASE_URL points at a real payer) */
  needsPayerEmulator: boolean;
  /** payer rules to set before the journey starts */
  prepare?(payer: PayerEmulatorControl): void;
  run(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioSetup {
  siteId: string;
  stamp: string;
  payerId: string;
}

/** `2026-11-26T02:06:01.238Z` → `2026-11-26 02:06Z` */
const shortTime = (iso: string) => iso.replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, 'Z');

const QUIET_PERIOD_NOTE = 'the claim settles after its 10-minute quiet period (real time), then the demo pays the patient share → paid';

/** After the payer's 835 posted: wait for settlement, pay the patient's share, report the outcome. */
async function followToPaid(ctx: ScenarioContext): Promise<void> {
  const { drv, journeyId, referral } = ctx;
  const settled = await drv.waitForStatus(journeyId, (s) => s.stage === 'patient_balance' || s.outcome !== undefined, 'claim settlement', 30 * 60_000);
  if (settled.outcome === undefined && settled.balanceCents > 0) {
    ctx.note(`claim settled; patient owes ${formatUsd(settled.balanceCents)} → patient payment (card)`);
    await drv.payPatientBalance(journeyId, referral.referralId, settled.balanceCents);
  }
  const outcome = await drv.result(journeyId);
  ctx.note(green(`closed: ${outcome.state} (payer ${formatUsd(outcome.paidCents)}, patient ${formatUsd(outcome.patientPaidCents)}, adjusted ${formatUsd(outcome.writtenOffCents)})`));
}

export function demoScenarios(setup: ScenarioSetup): Scenario[] {
  const { siteId, stamp, payerId } = setup;
  const ref = (suffix: string) => `${stamp}-${suffix}`;
  const base = { siteId, payerId };

  const happy: Scenario = {
    key: 'happy',
    label: 'happy path',
    path: 'MRI (PA certified) → booked → served → coded → released → paid by payer (835 via ingress) → patient pays → paid',
    referral: demoReferral({ ...base, referralId: ref('HAPPY'), patientRef: 'MA-P1001', service: SERVICES.mriLumbar }),
    needsPayerEmulator: true,
    async run(ctx) {
      const { drv, journeyId, referral } = ctx;
      await drv.bookAndServe(journeyId, referral.referralId, SERVICES.mriLumbar);
      ctx.note('booked, served, coded; billing release pending');
      const { claimId, preparer, approver } = await drv.release(journeyId);
      ctx.note(`billing release approved by ${approver} (prepared by ${preparer}); claim ${claimId} submitted`);
      await drv.claimAtPayer(claimId);
      const file = await drv.adjudicate(claimId);
      ctx.note(`payer paid claim ${claimId}: 835 ${file.fileId} → signed webhook → ingress → journey`);
      await drv.waitForTimeline(journeyId, (t) => t.some((e) => e.action.startsWith('remittance posted')), 'remittance posted');
      ctx.reached(`remittance posted; ${QUIET_PERIOD_NOTE}`);
      await followToPaid(ctx);
    },
  };

  const denial: Scenario = {
    key: 'denial',
    label: 'denial CO-197',
    path: 'office visit → released → payer denies CO-197 (authorization absent) → authorization work queue',
    referral: demoReferral({ ...base, referralId: ref('DENIAL'), patientRef: 'MA-P1002', service: SERVICES.officeVisit }),
    needsPayerEmulator: true,
    async run(ctx) {
      const { drv, journeyId, referral } = ctx;
      await drv.bookAndServe(journeyId, referral.referralId, SERVICES.officeVisit);
      const { claimId } = await drv.release(journeyId);
      ctx.note(`claim ${claimId} submitted`);
      await drv.claimAtPayer(claimId);
      const file = await drv.adjudicate(claimId, { kind: 'deny', carc: '197' });
      ctx.note(`payer denied claim ${claimId} (CO-197): 835 ${file.fileId} → ingress`);
      await drv.waitForStatus(journeyId, (s) => s.openExceptions.some((e) => e.queue === 'authorization'), 'authorization exception');
      ctx.reached('payer_adjudication with ExceptionQueue authorization (CO-197: precertification absent)');
    },
  };

  const escalationId = ref('ESCALATE');
  const escalation: Scenario = {
    key: 'escalation',
    label: 'PA pended',
    path: 'MRI brain, expedited → payer pends the prior auth (A4) and never decides → waits under the CMS-0057-F clock',
    referral: demoReferral({ ...base, referralId: escalationId, patientRef: 'MA-P1003', service: SERVICES.mriBrain, urgency: 'expedited' }),
    needsPayerEmulator: true,
    prepare(payer) {
      payer.setPriorAuthRule({ match: { authRequestIdPrefix: `PA-${escalationId}-` }, decision: { action: 'A4', requestedDocuments: ['11506-3'] } });
    },
    async run(ctx) {
      const { drv, journeyId } = ctx;
      await drv.waitForTimeline(journeyId, (t) => t.some((e) => e.action === 'prior auth decision A4'), 'prior auth pended (A4)');
      const s = await drv.waitForStatus(journeyId, (x) => x.stage === 'prior_auth' && x.deadlines.length > 0, 'prior-auth deadline');
      const d = s.deadlines.find((x) => /prior auth/i.test(x.step)) ?? s.deadlines[0];
      ctx.reached(`prior_auth, pended (A4) and undecided: decision due ${shortTime(d.dueAt)} (${d.rule}); warns ${d.owner} ${shortTime(d.warnAt)}, then escalates to ${d.escalateTo}`);
    },
  };

  const approval: Scenario = {
    key: 'approval',
    label: 'awaiting approval',
    path: 'office visit → booked → served → coded → waits for the billing release (approve it with rcm)',
    referral: demoReferral({ ...base, referralId: ref('APPROVAL'), patientRef: 'MA-P1004', service: SERVICES.officeVisitLow }),
    needsPayerEmulator: false,
    async run(ctx) {
      const { drv, journeyId, referral } = ctx;
      await drv.bookAndServe(journeyId, referral.referralId, SERVICES.officeVisitLow);
      const s = await drv.status(journeyId);
      ctx.reached(`billing_approval: ${s.pendingApproval?.kind} of ${formatUsd(s.pendingApproval?.amountCents ?? 0)} pending (prepared by ${s.pendingApproval?.requesterId})`);
      if (!ctx.payer) return;
      // Someone approves with `rcm approve`: the payer then pays the claim like in the happy path.
      const released = await drv.waitForStage(journeyId, 'payer_adjudication', Number.MAX_SAFE_INTEGER);
      const claimId = released.claimIds[released.claimIds.length - 1];
      ctx.note(`billing release approved; claim ${claimId} submitted`);
      await drv.claimAtPayer(claimId);
      const file = await drv.adjudicate(claimId);
      ctx.note(`payer paid claim ${claimId}: 835 ${file.fileId} → ingress; ${QUIET_PERIOD_NOTE}`);
      await followToPaid(ctx);
    },
  };

  const webhook: Scenario = {
    key: 'webhook',
    label: 'PA by webhook',
    path: 'knee replacement → payer pends the prior auth (A4), certifies it (A1) seconds later by signed webhook → scheduling',
    referral: demoReferral({ ...base, referralId: ref('WEBHOOK'), patientRef: 'MA-P1005', service: SERVICES.kneeReplacement }),
    needsPayerEmulator: true,
    async run(ctx) {
      const { drv, journeyId } = ctx;
      await drv.waitForTimeline(journeyId, (t) => t.some((e) => e.action === 'prior auth decision A4'), 'prior auth pended (A4)');
      ctx.note('payer pended the prior auth (A4); its decision will come by webhook');
      await drv.waitForStage(journeyId, 'scheduling', 120_000);
      const delivered = ctx.payer?.webhookDeliveries().some((d) => d.kind === 'prior-auth-decision' && d.delivered);
      ctx.reached(`scheduling: prior auth certified (A1)${delivered ? ' by the payer’s signed webhook through the ingress' : ''}`);
    },
  };

  const intake: Scenario = {
    key: 'intake',
    label: 'missing docs',
    path: 'referral without clinical notes → waits in intake (ExceptionQueue intake_documents)',
    referral: demoReferral({ ...base, referralId: ref('DOCS'), patientRef: 'MA-P1006', service: SERVICES.officeVisit, missingDocuments: ['clinical_notes'] }),
    needsPayerEmulator: false,
    async run(ctx) {
      await ctx.drv.waitForStatus(ctx.journeyId, (s) => s.openExceptions.some((e) => e.queue === 'intake_documents'), 'intake documents exception');
      ctx.reached('intake: waiting for clinical_notes (ExceptionQueue intake_documents)');
    },
  };

  return [happy, denial, escalation, approval, webhook, intake];
}

// ---------------------------------------------------------------------------------------------------------------------

export interface RunningScenario {
  scenario: Scenario;
  journeyId: string;
  /** resolves when the scenario reached its state, failed, or was skipped */
  reached: Promise<{ ok: boolean; text: string }>;
  /** the whole script, including background steps (never rejects) */
  done: Promise<void>;
}

export interface LaunchOptions {
  journeys: JourneyClient;
  drv: Driver;
  payer?: PayerEmulatorControl;
  signal: AbortSignal;
}

/** Start every scenario's journey (typed client: update-with-start of the referral) and drive them concurrently. */
export async function launchScenarios(scenarios: Scenario[], opts: LaunchOptions): Promise<RunningScenario[]> {
  const running: RunningScenario[] = [];
  for (const scenario of scenarios) {
    if (scenario.needsPayerEmulator && !opts.payer) {
      journeyLine(scenario.label, yellow('skipped: needs the payer emulator (PAYER_BASE_URL is set)'));
      continue;
    }
    if (opts.payer) scenario.prepare?.(opts.payer);
    const started = await opts.journeys.startJourney(scenario.referral);
    const journeyId = started.journeyId;
    journeyLine(scenario.label, `${journeyId} started`);

    let resolveReached!: (r: { ok: boolean; text: string }) => void;
    const reached = new Promise<{ ok: boolean; text: string }>((r) => (resolveReached = r));
    let isReached = false;
    const ctx: ScenarioContext = {
      journeyId,
      referral: scenario.referral,
      drv: opts.drv,
      ...(opts.payer ? { payer: opts.payer } : {}),
      note: (text) => journeyLine(scenario.label, text),
      reached: (text) => {
        if (isReached) return;
        isReached = true;
        journeyLine(scenario.label, green(`✓ ${text}`));
        resolveReached({ ok: true, text });
      },
    };
    // Stagger the scripts a little: six journeys starting in the same instant on two cores only slow each other.
    const done = sleep(running.length * 300, opts.signal)
      .then(() => scenario.run(ctx))
      .catch((err: unknown) => {
        if (err instanceof DemoAborted || opts.signal.aborted) return;
        const text = `stopped driving: ${(err as Error).message}`;
        journeyLine(scenario.label, red(text));
        if (!isReached) {
          isReached = true;
          resolveReached({ ok: false, text });
        }
      })
      .finally(() => {
        if (!isReached) resolveReached({ ok: false, text: 'demo stopped' });
      });
    running.push({ scenario, journeyId, reached, done });
  }
  return running;
}
