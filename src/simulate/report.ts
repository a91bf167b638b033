import type { KpiEvent } from '../activities/notify';
import type { JourneyStatus, TimelineEntry } from '../workflows/journeyState';
import type { ObservedJourney, SimulationRun } from './run';
import { distribution, histogram, increment, round2, type Distribution } from './stats';

/**
 * The KPI report. Every figure is read from what the journeys themselves say at the end — their `status` (stage,
 * outcome, ledger, open exceptions) and `timeline` (timestamped audit entries) queries — plus the KPI events the
 * worker's metrics pipeline received; the generator's intentions are kept only as `mix` for context.
 */
export interface LeakPoint {
  point: string;
  cents: number;
  journeys: number;
  note: string;
}

export interface SimReport {
  meta: {
    journeys: number;
    days: number;
    seed: number;
    simStart: string;
    simEnd: string;
    wallSeconds: number;
    journeysPerMinute: number;
    simDaysPerMinute: number;
    unsettledDays: number;
    timeCompression: string;
    notModelled: string[];
  };
  mix: unknown;
  journeys: { started: number; observed: number; byOutcome: Record<string, number>; openByStage: Record<string, number>; heldForOperator: number };
  referralAgingDays: Distribution;
  authTurnaroundHours: Distribution & { histogram: { label: string; count: number }[] };
  billingLagDays: Distribution & { histogram: { label: string; count: number }[] };
  claims: {
    submitted: number;
    adjudicated: number;
    paidFirstPass: number;
    cleanClaimRate: number;
    denied: number;
    denialRate: number;
    deniedByCarc: Record<string, number>;
    deniedByQueue: Record<string, number>;
    frontEndRejected: number;
    reversals: number;
    /** journeys whose patient share went to a second coverage first, those it answered, and what it paid */
    secondary: { billed: number; answered: number; paidCents: number };
    /** remittances / patient payments that arrived after the claim or balance had settled (cash-posting exceptions) */
    unappliedMoneyMessages: number;
    paidCount: number;
  };
  daysInAR: { openARCents: number; averageDailyChargesCents: number; daysInAR: number; collectionDays: Distribution };
  slaBreaches: { total: number; byStage: Record<string, number>; bySite: Record<string, number>; byStageAndSite: Record<string, Record<string, number>> };
  money: {
    chargedCents: number;
    payerPaidCents: number;
    patientPaidCents: number;
    contractualCents: number;
    writtenOffCents: number;
    writtenOffDenialCents: number;
    writtenOffPatientCents: number;
    recoveredAfterDenialCents: number;
    openBalanceCents: number;
    neverBilledCents: number;
  };
  leakPoints: LeakPoint[];
  kpiEvents: { byName: Record<string, number>; slaBreachesByStage: Record<string, number> };
  errors: { journey: string; error: string }[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (t: TimelineEntry) => Date.parse(t.at);
const first = (tl: TimelineEntry[], p: (t: TimelineEntry) => boolean) => tl.find(p);
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const chargeOf = (j: ObservedJourney) => sum(j.plan.referral.orderedServices.map((s) => s.chargeCents * s.units));

/** `remittance posted: <kind>` and similar: the kind after the colon. */
const postedKinds = (tl: TimelineEntry[]) => tl.filter((t) => t.action.startsWith('remittance posted')).map((t) => t.action.split(':')[1]?.trim() ?? '');
const isDenialKind = (k: string) => /denial|denied/.test(k);

export function buildReport(run: SimulationRun, extra: { kpiEvents?: KpiEvent[] } = {}): SimReport {
  const observed = run.journeys.filter((j): j is ObservedJourney & { status: JourneyStatus } => j.status !== undefined);
  const end = Date.parse(run.simEnd);
  const byOutcome: Record<string, number> = {};
  const openByStage: Record<string, number> = {};
  const aging: number[] = [];
  const authHours: number[] = [];
  const lagDays: number[] = [];
  const collectDays: number[] = [];
  const deniedByCarc: Record<string, number> = {};
  const deniedByQueue: Record<string, number> = {};
  const breachStage: Record<string, number> = {};
  const breachSite: Record<string, number> = {};
  const breachMatrix: Record<string, Record<string, number>> = {};
  let submitted = 0;
  let adjudicated = 0;
  let paidFirstPass = 0;
  let denied = 0;
  let rejected = 0;
  let reversals = 0;
  let unapplied = 0;
  let paidCount = 0;
  let held = 0;
  const secondary = { billed: 0, answered: 0, paidCents: 0 };
  const money = { chargedCents: 0, payerPaidCents: 0, patientPaidCents: 0, contractualCents: 0, writtenOffCents: 0, writtenOffDenialCents: 0, writtenOffPatientCents: 0, recoveredAfterDenialCents: 0, openBalanceCents: 0, neverBilledCents: 0 };
  const leaks = new Map<string, LeakPoint>();
  const leak = (point: string, cents: number, note: string) => {
    const l = leaks.get(point) ?? { point, cents: 0, journeys: 0, note };
    l.cents += cents;
    l.journeys += 1;
    leaks.set(point, l);
  };

  for (const j of observed) {
    const s = j.status;
    const tl = j.timeline;
    const outcome = s.outcome ?? 'open';
    increment(byOutcome, outcome);
    if (outcome === 'paid') paidCount += 1;
    const startedAt = first(tl, (t) => t.action === 'journey started');
    if (!s.outcome) {
      increment(openByStage, s.stage);
      if (startedAt) aging.push((end - at(startedAt)) / DAY);
      if (s.onHold) held += 1;
    }
    // prior auth: submission → the first decision that is not a pend
    const paSubmitted = first(tl, (t) => t.action.startsWith('prior auth submitted'));
    const paDecided = paSubmitted && first(tl, (t) => /^prior auth (decision|appeal decision)/.test(t.action) && !/A4/.test(`${t.action} ${t.detail ?? ''}`) && at(t) >= at(paSubmitted));
    if (paSubmitted && paDecided) authHours.push((at(paDecided) - at(paSubmitted)) / HOUR);
    // billing lag: service completion received → claim submitted
    const served = first(tl, (t) => t.action.startsWith('service completion received'));
    const claimSubmitted = first(tl, (t) => t.action.startsWith('claim_submitted'));
    if (served && claimSubmitted) lagDays.push((at(claimSubmitted) - at(served)) / DAY);
    if (claimSubmitted) submitted += 1;
    if (tl.some((t) => / rejected$/.test(t.action) && t.action.startsWith('claim '))) rejected += 1;

    const kinds = postedKinds(tl);
    if (kinds.length > 0) {
      adjudicated += 1;
      const firstDenied = isDenialKind(kinds[0]);
      if (firstDenied) denied += 1;
      else paidFirstPass += 1;
      if (kinds.some((k) => /revers/.test(k))) reversals += 1;
      const firstPaid = first(tl, (t) => t.action.startsWith('remittance posted') && !isDenialKind(t.action));
      if (firstPaid && claimSubmitted) collectDays.push((at(firstPaid) - at(claimSubmitted)) / DAY);
    }
    if (tl.some((t) => t.action.startsWith('patient billing held'))) secondary.billed += 1;
    for (const t of tl.filter((x) => x.action.startsWith('secondary payer '))) {
      secondary.answered += 1;
      secondary.paidCents += Number(/^paid (-?\d+)/.exec(t.detail ?? '')?.[1] ?? 0);
    }
    const unappliedHere = tl.filter((t) => t.action === 'exception opened in cash_posting_team').length;
    unapplied += unappliedHere;
    if (unappliedHere > 0 && !s.outcome) leak('unapplied money messages (cash posting)', 0, 'late remittances or payments the journey could not apply: worked by hand');
    for (const carc of denialCarcs(tl)) increment(deniedByCarc, carc);
    for (const q of denialQueues(tl)) increment(deniedByQueue, q);
    for (const t of tl.filter((x) => x.action.startsWith('SLA breached'))) {
      increment(breachStage, t.stage);
      increment(breachSite, s.siteId);
      breachMatrix[t.stage] ??= {};
      increment(breachMatrix[t.stage], s.siteId);
    }

    const L = s.ledger;
    money.chargedCents += L.chargeCents;
    money.payerPaidCents += L.paidCents;
    money.patientPaidCents += L.patientPaidCents;
    money.contractualCents += L.adjustedCents;
    money.writtenOffCents += L.writtenOffCents;
    const hadDenial = kinds.some(isDenialKind);
    if (L.writtenOffCents > 0) {
      if (hadDenial && L.paidCents === 0) {
        money.writtenOffDenialCents += L.writtenOffCents;
        leak('written off: denied claims', L.writtenOffCents, 'claims denied and not recovered within the appeal window');
      } else {
        money.writtenOffPatientCents += L.writtenOffCents;
        leak('written off: patient balances', L.writtenOffCents, 'patient responsibility never collected');
      }
    }
    if (hadDenial && L.paidCents > 0) money.recoveredAfterDenialCents += L.paidCents;
    if (!s.outcome) money.openBalanceCents += L.balanceCents;
    // charges never billed: the journey ended (or is stuck) before its claim existed
    if (L.invoiceId === undefined && L.chargeCents === 0) {
      const c = chargeOf(j);
      if (s.outcome === 'cancelled') {
        money.neverBilledCents += c;
        const why = tl.some((t) => /coverage|eligibility/.test(`${t.action} ${t.detail ?? ''}`) && t.stage === 'eligibility' && t.action.startsWith('exception opened')) ? 'eligibility' : s.openExceptions.some((e) => e.queue === 'authorization') || tl.some((t) => t.action.startsWith('prior auth denied')) ? 'prior auth denied' : 'other';
        leak(`never billed: cancelled (${why})`, c, 'ordered services never billed because the referral was cancelled');
      }
    }
    if (!s.outcome && s.onHold) leak('stuck: held for an operator', L.balanceCents || chargeOf(j), 'journeys on hold after an integration failure or an operator hold');
    else if (!s.outcome && L.balanceCents > 0 && s.openExceptions.some((e) => /denial|medical|coding|documentation|authorization|eligibility|timely|credential/.test(e.queue)))
      leak('open A/R: denials being worked', L.balanceCents, 'denied claims still in the denial work queues at the horizon');
    else if (!s.outcome && s.stage === 'patient_balance' && L.balanceCents > 0) leak('open A/R: patient balances', L.balanceCents, 'patient responsibility not yet paid');
    else if (!s.outcome && s.stage === 'payer_adjudication' && L.balanceCents > 0) leak('open A/R: awaiting payer', L.balanceCents, 'claims at the payer without remittance yet');
    if (!s.outcome && s.slaState === 'breached' && L.invoiceId === undefined) leak(`delayed: SLA breached before billing (${s.stage})`, chargeOf(j), 'unbilled charges of open journeys whose SLA is breached');
  }

  const averageDailyChargesCents = Math.round(money.chargedCents / Math.max(1, run.options.days));
  const openARCents = money.openBalanceCents;
  const kpiByName: Record<string, number> = {};
  const kpiBreaches: Record<string, number> = {};
  for (const e of extra.kpiEvents ?? []) {
    increment(kpiByName, e.name);
    if (e.name === 'sla_breach') increment(kpiBreaches, e.stage ?? 'unknown');
  }
  const wallSeconds = round2(run.wallMs / 1000);
  return {
    meta: {
      journeys: run.options.journeys,
      days: run.options.days,
      seed: run.options.seed,
      simStart: run.simStart,
      simEnd: run.simEnd,
      wallSeconds,
      journeysPerMinute: round2(run.options.journeys / Math.max(1e-9, wallSeconds / 60)),
      simDaysPerMinute: round2(run.options.days / Math.max(1e-9, wallSeconds / 60)),
      unsettledDays: run.unsettledDays,
      timeCompression: 'Temporal time-skipping test server: time advances one simulated day at a time once the day has settled',
      notModelled: [
        'crossovers (CLP02 19) and tertiary payers: second coverages are billed by the journey with their own claim',
        'eligibility re-verified after a failure (the payer emulator keys coverage on the member-ref prefix; off by default)',
      ],
    },
    mix: run.options.mix,
    journeys: { started: observed.length, observed: observed.length, byOutcome, openByStage, heldForOperator: held },
    referralAgingDays: distribution(aging),
    authTurnaroundHours: { ...distribution(authHours), histogram: histogram(authHours, [24, 72, 168, 336], 'h') },
    billingLagDays: { ...distribution(lagDays), histogram: histogram(lagDays, [1, 3, 7, 14], 'd') },
    claims: {
      submitted,
      adjudicated,
      paidFirstPass,
      // accepted and paid on the first pass ÷ claims with a first answer (remittance or front-end rejection)
      cleanClaimRate: adjudicated + rejected === 0 ? 0 : round2(paidFirstPass / (adjudicated + rejected)),
      denied,
      denialRate: adjudicated === 0 ? 0 : round2(denied / adjudicated),
      deniedByCarc,
      deniedByQueue,
      frontEndRejected: rejected,
      reversals,
      secondary,
      unappliedMoneyMessages: unapplied,
      paidCount,
    },
    daysInAR: { openARCents, averageDailyChargesCents, daysInAR: averageDailyChargesCents === 0 ? 0 : round2(openARCents / averageDailyChargesCents), collectionDays: distribution(collectDays) },
    slaBreaches: { total: sum(Object.values(breachStage)), byStage: breachStage, bySite: breachSite, byStageAndSite: breachMatrix },
    money,
    leakPoints: [...leaks.values()].sort((a, b) => b.cents - a.cents),
    kpiEvents: { byName: kpiByName, slaBreachesByStage: kpiBreaches },
    errors: run.journeys.filter((j) => j.driven.error || j.queryError).map((j) => ({ journey: j.driven.workflowId, error: (j.driven.error ?? j.queryError)! })),
  };
}

/**
 * CARCs of the denials a journey posted: after each `remittance posted: denial` the journey opens its work-queue
 * exception with the reason `<group>-<carc> …` (e.g. `CO-16 M127: send_records`); one CARC per denial posting.
 */
export function denialCarcs(tl: TimelineEntry[]): string[] {
  const out: string[] = [];
  tl.forEach((t, i) => {
    if (t.action !== 'remittance posted: denial') return;
    const next = tl.slice(i + 1).find((x) => x.action.startsWith('exception opened') && /^(?:CO|PR|OA|PI)-[A-Z0-9]{1,3}\b/.test(x.detail ?? ''));
    const m = next?.detail?.match(/^(?:CO|PR|OA|PI)-([A-Z0-9]{1,3})\b/);
    out.push(m ? m[1] : 'unknown');
  });
  return out;
}

function denialQueues(tl: TimelineEntry[]): string[] {
  return tl.filter((t) => t.action === 'denial routed').flatMap((t) => `${t.detail ?? ''}`.split(',').map((x) => x.trim().split('/')[0]).filter(Boolean));
}

const dollars = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const kv = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || '—';

/** The printed summary table. */
export function formatSummary(r: SimReport): string {
  const rows: [string, string][] = [
    ['journeys / days / seed', `${r.meta.journeys} / ${r.meta.days} / ${r.meta.seed}`],
    ['wall time', `${r.meta.wallSeconds} s (${r.meta.journeysPerMinute} journeys/min, ${r.meta.simDaysPerMinute} sim days/min)`],
    ['outcomes', kv(r.journeys.byOutcome)],
    ['open by stage', kv(r.journeys.openByStage)],
    ['referral aging (open), days', `mean ${r.referralAgingDays.mean}, p50 ${r.referralAgingDays.p50}, p90 ${r.referralAgingDays.p90}, max ${r.referralAgingDays.max} (n=${r.referralAgingDays.count})`],
    ['auth turnaround, hours', `mean ${r.authTurnaroundHours.mean}, p50 ${r.authTurnaroundHours.p50}, p90 ${r.authTurnaroundHours.p90} (n=${r.authTurnaroundHours.count})`],
    ['billing lag, days', `mean ${r.billingLagDays.mean}, p50 ${r.billingLagDays.p50}, p90 ${r.billingLagDays.p90} (n=${r.billingLagDays.count})`],
    ['claims submitted / adjudicated', `${r.claims.submitted} / ${r.claims.adjudicated} (front-end rejected ${r.claims.frontEndRejected}, reversals posted ${r.claims.reversals}, unapplied money messages ${r.claims.unappliedMoneyMessages})`],
    ['secondary coverage', `${r.claims.secondary.billed} billed, ${r.claims.secondary.answered} answered, paid ${dollars(r.claims.secondary.paidCents)}`],
    ['clean-claim rate', pct(r.claims.cleanClaimRate)],
    ['denial rate', `${pct(r.claims.denialRate)} (${r.claims.denied} denied)`],
    ['denials by CARC', kv(r.claims.deniedByCarc)],
    ['denials by queue', kv(r.claims.deniedByQueue)],
    ['days in A/R', `${r.daysInAR.daysInAR} (open A/R ${dollars(r.daysInAR.openARCents)}, avg daily charges ${dollars(r.daysInAR.averageDailyChargesCents)}); submit→paid mean ${r.daysInAR.collectionDays.mean} d`],
    ['SLA breaches by stage', kv(r.slaBreaches.byStage)],
    ['SLA breaches by site', kv(r.slaBreaches.bySite)],
    ['charged / payer paid / patient paid', `${dollars(r.money.chargedCents)} / ${dollars(r.money.payerPaidCents)} / ${dollars(r.money.patientPaidCents)}`],
    ['contractual / written off', `${dollars(r.money.contractualCents)} / ${dollars(r.money.writtenOffCents)} (denials ${dollars(r.money.writtenOffDenialCents)}, patient ${dollars(r.money.writtenOffPatientCents)})`],
    ['recovered after denial', dollars(r.money.recoveredAfterDenialCents)],
    ['never billed (cancelled)', dollars(r.money.neverBilledCents)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = ['KPI summary (from the journeys\' own status and timeline)', ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`), 'Top leak points'];
  const lw = Math.max(0, ...r.leakPoints.map((l) => l.point.length));
  r.leakPoints.slice(0, 8).forEach((l, i) => lines.push(`  ${i + 1}. ${l.point.padEnd(lw)} ${dollars(l.cents).padStart(14)}  (${l.journeys} journeys)`));
  if (r.errors.length) lines.push(`Driver errors: ${r.errors.length} (first: ${r.errors[0].journey}: ${r.errors[0].error})`);
  return lines.join('\n');
}
