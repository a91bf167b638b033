import {
  appealLadder,
  claimStatusLadder,
  collectionsTimeline,
  computeLadder,
  DEFAULT_SLA_POLICY,
  extraordinaryCollectionAllowed,
  gfeRequirement,
  isBusinessDay,
  ladderStatus,
  nsaDisputeEligibility,
  priorAuthLadder,
  priorAuthRuleFor,
  SLA_RULE_IDS,
  SlaPolicyError,
  stageSlaLadder,
  timelyFilingLadder,
  type SlaContext,
  type SlaPolicy,
} from '../../../src/domain';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);
const ctx: SlaContext = { calendar: { timeZone: 'America/New_York' } };
const H = 3_600_000;

describe('prior authorization clocks', () => {
  it('CMS-0057-F standard (Medicare Advantage): submitted Mon 2026-03-02 10:00 NY → breach 7 calendar days later, 10:00 local', () => {
    const l = priorAuthLadder({ planType: 'medicare_advantage', urgency: 'standard', submittedAt: '2026-03-02T10:00:00-05:00' }, ctx);
    expect(l.rule).toBe('cms0057_pa_standard');
    expect(l.stage).toBe('prior_auth');
    expect(l.citation).toMatch(/CMS-0057-F/);
    expect(iso(l.startedAt)).toBe('2026-03-02T15:00:00.000Z');
    expect(iso(l.breachAt)).toBe('2026-03-09T14:00:00.000Z'); // 10:00 EDT, across the DST change
    // warn at 50 %, escalate at 80 % of the span (167 h)
    expect(l.warnAt).toBe(l.startedAt + Math.round(167 * H * 0.5));
    expect(l.dueAt).toBe(l.startedAt + Math.round(167 * H * 0.8));
    expect(l.owner).toBe('prior_auth_team');
    expect(l.escalateTo).toBe('prior_auth_supervisor');
  });
  it('CMS-0057-F expedited: exactly 72 hours', () => {
    for (const planType of ['medicare_advantage', 'medicaid_ffs', 'medicaid_managed', 'chip'] as const) {
      const l = priorAuthLadder({ planType, urgency: 'expedited', submittedAt: '2026-03-02T10:00:00-05:00' }, ctx);
      expect(l.rule).toBe('cms0057_pa_expedited');
      expect(l.breachAt - l.startedAt).toBe(72 * H);
      expect(l.warnAt - l.startedAt).toBe(36 * H);
    }
  });
  it('before 2026-01-01 and for QHPs on the exchange the payer-specific default applies (15 days, configurable)', () => {
    expect(priorAuthRuleFor('medicare_advantage', 'standard', '2025-12-31T23:00:00-05:00', ctx)).toBe('payer_pa_standard');
    expect(priorAuthRuleFor('medicare_advantage', 'standard', '2026-01-01T00:00:00-05:00', ctx)).toBe('cms0057_pa_standard');
    const qhp = priorAuthLadder({ planType: 'qhp_exchange', urgency: 'standard', submittedAt: '2026-03-02T10:00:00-05:00' }, ctx);
    expect(qhp.rule).toBe('payer_pa_standard');
    expect(iso(qhp.breachAt)).toBe('2026-03-17T14:00:00.000Z');
    const withContract = priorAuthLadder(
      { planType: 'qhp_exchange', urgency: 'standard', submittedAt: '2026-03-02T10:00:00-05:00' },
      { ...ctx, payerId: 'qhp-1', policy: { ...DEFAULT_SLA_POLICY, payers: { 'qhp-1': { payer_pa_standard: { amount: 10 } } } } },
    );
    expect(iso(withContract.breachAt)).toBe('2026-03-12T14:00:00.000Z');
  });
  it('ERISA: urgent 72 h, pre-service 15 days, post-service 30 days', () => {
    const urgent = priorAuthLadder({ planType: 'erisa_group', urgency: 'expedited', submittedAt: '2026-04-01T09:00:00-04:00' }, ctx);
    expect(urgent.rule).toBe('erisa_urgent');
    expect(urgent.breachAt - urgent.startedAt).toBe(72 * H);
    const pre = priorAuthLadder({ planType: 'erisa_group', urgency: 'standard', submittedAt: '2026-04-01T09:00:00-04:00' }, ctx);
    expect(pre.rule).toBe('erisa_pre_service');
    expect(iso(pre.breachAt)).toBe('2026-04-16T13:00:00.000Z');
    const post = computeLadder('erisa_post_service', '2026-04-01T09:00:00-04:00', ctx);
    expect(iso(post.breachAt)).toBe('2026-05-01T13:00:00.000Z');
  });
});

describe('timely filing, claim status and appeals', () => {
  it('Medicare: 12 months after the date of service (42 CFR 424.44): DOS 2026-01-15 → 2027-01-15', () => {
    const l = timelyFilingLadder({ planType: 'medicare_ffs', serviceDate: '2026-01-15' }, ctx)!;
    expect(l.rule).toBe('timely_filing_medicare');
    expect(l.deadlineDate).toBe('2027-01-15');
    expect(iso(l.startedAt)).toBe('2026-01-15T05:00:00.000Z');
    expect(iso(l.breachAt)).toBe('2027-01-16T05:00:00.000Z'); // first late instant: midnight after the last day, local
    expect(l.warnAt).toBeLessThan(l.dueAt);
    expect(l.dueAt).toBeLessThan(l.breachAt);
  });
  it('Medicaid/commercial are configurable: state 90-day override, commercial default 90 days, self-pay none', () => {
    const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, payers: { 'state-mcd': { timely_filing_medicaid: { amount: 90, unit: 'calendar_days' } } } };
    expect(timelyFilingLadder({ planType: 'medicaid_ffs', serviceDate: '2026-01-15' }, ctx)!.deadlineDate).toBe('2027-01-15');
    expect(timelyFilingLadder({ planType: 'medicaid_ffs', serviceDate: '2026-01-15' }, { ...ctx, policy, payerId: 'state-mcd' })!.deadlineDate).toBe('2026-04-15');
    expect(timelyFilingLadder({ planType: 'commercial', serviceDate: '2026-01-15' }, ctx)!.deadlineDate).toBe('2026-04-15');
    expect(timelyFilingLadder({ planType: 'self_pay', serviceDate: '2026-01-15' }, ctx)).toBeUndefined();
  });
  it('regulatory deadlines may be tightened per site but never loosened', () => {
    const tighter: SlaPolicy = { ...DEFAULT_SLA_POLICY, sites: { s1: { timely_filing_medicare: { amount: 6 } } } };
    expect(timelyFilingLadder({ planType: 'medicare_ffs', serviceDate: '2026-01-15' }, { ...ctx, policy: tighter, siteId: 's1' })!.deadlineDate).toBe('2026-07-15');
    const looser: SlaPolicy = { ...DEFAULT_SLA_POLICY, sites: { s1: { cms0057_pa_standard: { amount: 14 } } } };
    expect(() => computeLadder('cms0057_pa_standard', 0, { ...ctx, policy: looser, siteId: 's1' })).toThrow(SlaPolicyError);
    const badFractions: SlaPolicy = { ...DEFAULT_SLA_POLICY, sites: { s1: { internal_intake_docs: { warnFraction: 0.9, dueFraction: 0.5 } } } };
    expect(() => computeLadder('internal_intake_docs', 0, { ...ctx, policy: badFractions, siteId: 's1' })).toThrow(SlaPolicyError);
  });
  it('claim status follow-up 30 days after submission (Medicare prompt payment)', () => {
    const l = claimStatusLadder('2026-05-01T12:00:00-04:00', ctx);
    expect(iso(l.breachAt)).toBe('2026-05-31T16:00:00.000Z');
    expect(l.citation).toMatch(/30 days/);
  });
  it('Medicare redetermination: 120 days from receipt presumed 5 days after the notice', () => {
    const l = appealLadder({ planType: 'medicare_ffs', noticeDate: '2026-03-02' }, ctx);
    expect(l.rule).toBe('appeal_medicare_redetermination');
    expect(l.deadlineDate).toBe('2026-07-05'); // 2026-03-02 + 5 + 120
    expect(iso(l.breachAt)).toBe('2026-07-06T04:00:00.000Z');
    const recon = appealLadder({ planType: 'medicare_ffs', noticeDate: '2026-07-01', level: 'second' }, ctx);
    expect(recon.rule).toBe('appeal_medicare_reconsideration');
    expect(recon.deadlineDate).toBe('2027-01-02'); // 2026-07-01 + 5 + 180
    expect(appealLadder({ planType: 'erisa_group', noticeDate: '2026-03-02' }, ctx).deadlineDate).toBe('2026-08-29'); // 180 days
    expect(appealLadder({ planType: 'commercial', noticeDate: '2026-03-02' }, ctx).rule).toBe('appeal_payer');
  });
});

describe('No Surprises Act and 501(r)', () => {
  const booked = '2026-03-02T10:00:00-05:00'; // Monday
  it('GFE: ≥3 business days ahead → 1 business day; ≥10 → 3 business days; less → not required', () => {
    const short = gfeRequirement({ bookedAt: booked, appointmentAt: '2026-03-05T09:00:00-05:00' }, ctx);
    expect(short).toMatchObject({ required: true, leadBusinessDays: 3, ladder: { rule: 'nsa_gfe_short_lead', deadlineDate: '2026-03-03' } });
    const long = gfeRequirement({ bookedAt: booked, appointmentAt: '2026-03-16T09:00:00-04:00' }, ctx);
    expect(long).toMatchObject({ required: true, leadBusinessDays: 10, ladder: { rule: 'nsa_gfe_long_lead', deadlineDate: '2026-03-05' } });
    expect(gfeRequirement({ bookedAt: booked, appointmentAt: '2026-03-04T09:00:00-05:00' }, ctx)).toEqual({ required: false, leadBusinessDays: 2 });
    // booked the day before Thanksgiving: 1 business day → Friday 2026-11-27
    const thanksgiving = gfeRequirement({ bookedAt: '2026-11-25T15:00:00-05:00', appointmentAt: '2026-12-01T09:00:00-05:00' }, ctx);
    expect(thanksgiving).toMatchObject({ required: true, leadBusinessDays: 3, ladder: { deadlineDate: '2026-11-27' } });
    // on request: 3 business days from the request
    const onRequest = gfeRequirement({ bookedAt: booked, appointmentAt: '2026-03-03T09:00:00-05:00', requestedAt: booked }, ctx);
    expect(onRequest).toMatchObject({ required: true, ladder: { rule: 'nsa_gfe_long_lead', deadlineDate: '2026-03-05' } });
  });
  it('dispute: bill ≥ $400 over the GFE opens a 120-day window', () => {
    expect(nsaDisputeEligibility({ billedCents: 139_999, gfeCents: 100_000, billDate: '2026-04-01' }, ctx)).toEqual({ eligible: false, excessCents: 39_999 });
    const ok = nsaDisputeEligibility({ billedCents: 140_000, gfeCents: 100_000, billDate: '2026-04-01' }, ctx);
    expect(ok).toMatchObject({ eligible: true, excessCents: 40_000, ladder: { deadlineDate: '2026-07-30' } });
  });
  it('501(r): 120-day notification, 240-day application period, 30-day notice before extraordinary collection', () => {
    const t = collectionsTimeline({ firstStatementDate: '2026-01-05', ecaNoticeSentAt: '2026-04-20T12:00:00-04:00' }, ctx);
    expect(iso(t.notificationPeriodEndsAt)).toBe('2026-05-06T04:00:00.000Z'); // day 120 = 2026-05-05 is the last day
    expect(iso(t.applicationPeriodEndsAt)).toBe('2026-09-03T04:00:00.000Z'); // day 240 = 2026-09-02
    expect(iso(t.earliestEcaAt!)).toBe('2026-05-20T04:00:00.000Z'); // notice + 30 days
    const base = { firstStatementDate: '2026-01-05', ecaNoticeSentAt: '2026-04-20T12:00:00-04:00' };
    expect(extraordinaryCollectionAllowed({ ...base, now: at('2026-05-01T12:00:00Z') }, ctx)).toMatchObject({ allowed: false, blockedBy: 'notification_period' });
    expect(extraordinaryCollectionAllowed({ ...base, now: at('2026-05-10T12:00:00Z') }, ctx)).toMatchObject({ allowed: false, blockedBy: 'eca_notice_period' });
    expect(extraordinaryCollectionAllowed({ ...base, now: at('2026-05-20T12:00:00Z') }, ctx)).toEqual({ allowed: true });
    expect(extraordinaryCollectionAllowed({ ...base, now: at('2026-06-20T12:00:00Z'), nsaDisputePending: true }, ctx)).toMatchObject({ allowed: false, blockedBy: 'nsa_dispute_pending' });
    expect(extraordinaryCollectionAllowed({ ...base, now: at('2026-06-20T12:00:00Z'), financialAssistancePending: true }, ctx)).toMatchObject({ allowed: false, blockedBy: 'financial_assistance_pending' });
    expect(extraordinaryCollectionAllowed({ firstStatementDate: '2026-01-05', now: at('2026-06-20T12:00:00Z') }, ctx)).toMatchObject({ allowed: false, blockedBy: 'eca_notice_missing' });
  });
});

describe('internal stage SLAs and the ladder', () => {
  it('intake documents: 2 business days, skipping the observed July 4th and the weekend; warn in business time', () => {
    const l = stageSlaLadder('intake', '2026-07-02T10:00:00-04:00', ctx);
    expect(l.rule).toBe('internal_intake_docs');
    expect(iso(l.breachAt)).toBe('2026-07-07T14:00:00.000Z');
    expect(iso(l.warnAt)).toBe('2026-07-06T14:00:00.000Z'); // half the business time = 1 business day
    expect(l.dueAt).toBe(l.breachAt);
    expect(isBusinessDay(l.warnAt, ctx.calendar)).toBe(true);
  });
  it('per-site override and per-route amount', () => {
    const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, sites: { 'site-b': { internal_intake_docs: { amount: 1, escalateTo: 'site_b_lead' } } } };
    const l = stageSlaLadder('intake', '2026-07-02T10:00:00-04:00', { ...ctx, policy, siteId: 'site-b' });
    expect(iso(l.breachAt)).toBe('2026-07-06T14:00:00.000Z');
    expect(l.escalateTo).toBe('site_b_lead');
    const denial = stageSlaLadder('payer_adjudication', '2026-07-06T09:00:00-04:00', ctx, { amount: 10 });
    expect(iso(denial.breachAt)).toBe('2026-07-20T13:00:00.000Z');
  });
  it('service completion: 3 calendar days after the appointment', () => {
    expect(iso(stageSlaLadder('service', '2026-07-02T10:00:00-04:00', ctx).breachAt)).toBe('2026-07-05T14:00:00.000Z');
  });
  it('ladder status and every rule produces an ordered ladder', () => {
    const l = priorAuthLadder({ planType: 'medicare_advantage', urgency: 'expedited', submittedAt: 0 }, { calendar: { timeZone: 'UTC' } });
    expect(ladderStatus(l, 0)).toBe('on_track');
    expect(ladderStatus(l, 36 * H)).toBe('warning');
    expect(ladderStatus(l, Math.round(72 * H * 0.8))).toBe('due');
    expect(ladderStatus(l, 72 * H)).toBe('breached');
    for (const id of SLA_RULE_IDS) {
      const x = computeLadder(id, '2026-02-27T16:00:00-05:00', ctx);
      expect(x.startedAt <= x.warnAt && x.warnAt <= x.dueAt && x.dueAt <= x.breachAt && x.startedAt < x.breachAt).toBe(true);
      expect(x.citation.length).toBeGreaterThan(10);
    }
  });
});
