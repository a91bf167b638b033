import fc from 'fast-check';
import {
  appealLadder,
  appealNoticeDate,
  computeLadder,
  DEFAULT_SLA_POLICY,
  DEFAULT_SLA_RULES,
  priorAuthClock,
  priorAuthLadder,
  ruleDirection,
  SLA_RULE_IDS,
  SlaPolicyError,
  type SlaContext,
  type SlaPolicy,
  type SlaRuleId,
} from '../../../src/domain';

/** Issue 11: floors vs ceilings, appeal windows from the notice date, the PA clock that does not restart. */
const ctx: SlaContext = { calendar: { timeZone: 'America/New_York' } };
const H = 3_600_000;
const with1 = (id: SlaRuleId, amount: number): SlaContext => ({ ...ctx, siteId: 's1', policy: { ...DEFAULT_SLA_POLICY, sites: { s1: { [id]: { amount } } } } as SlaPolicy });

const FLOORS: SlaRuleId[] = ['r501_notification_period', 'r501_application_period', 'r501_eca_notice', 'nsa_dispute_window'];
const CEILINGS = SLA_RULE_IDS.filter((id) => DEFAULT_SLA_RULES[id].kind === 'regulatory' && !FLOORS.includes(id));

describe('floors vs ceilings (DOMAIN.md second pass)', () => {
  it('patient protections are floors; payer decision times and our filing limits are ceilings', () => {
    for (const id of FLOORS) expect(ruleDirection(DEFAULT_SLA_RULES[id])).toBe('floor');
    for (const id of CEILINGS) expect(ruleDirection(DEFAULT_SLA_RULES[id])).toBe('ceiling');
    expect(CEILINGS).toEqual(expect.arrayContaining(['cms0057_pa_standard', 'cms0057_pa_expedited', 'appeal_medicare_redetermination', 'timely_filing_medicare']));
  });
  it('property: a site may tighten a ceiling but never loosen it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CEILINGS), fc.integer({ min: -200, max: 200 }), (id, delta) => {
        const base = DEFAULT_SLA_RULES[id].amount;
        const amount = Math.max(0, base + delta);
        const run = () => computeLadder(id, '2026-03-02', with1(id, amount));
        if (amount > base) expect(run).toThrow(SlaPolicyError);
        else expect(run().breachAt).toBeLessThanOrEqual(computeLadder(id, '2026-03-02', ctx).breachAt);
      }),
    );
  });
  it('property: a site may lengthen a floor but never shorten a patient protection', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FLOORS), fc.integer({ min: -200, max: 200 }), (id, delta) => {
        const base = DEFAULT_SLA_RULES[id].amount;
        const amount = Math.max(0, base + delta);
        const run = () => computeLadder(id, '2026-03-02', with1(id, amount));
        if (amount < base) expect(run).toThrow(SlaPolicyError);
        else expect(run().breachAt).toBeGreaterThanOrEqual(computeLadder(id, '2026-03-02', ctx).breachAt);
      }),
    );
  });
  it('a site may not shorten §501(r) 120 → 90 days, but may lengthen it to 150', () => {
    expect(() => computeLadder('r501_notification_period', '2026-03-02', with1('r501_notification_period', 90))).toThrow(/shorten a patient-protection floor/);
    expect(computeLadder('r501_notification_period', '2026-03-02', with1('r501_notification_period', 150)).deadlineDate).toBe('2026-07-30');
    expect(() => computeLadder('cms0057_pa_standard', 0, with1('cms0057_pa_standard', 14))).toThrow(/loosen/);
  });
  it('internal and contractual rules are not restricted in either direction', () => {
    expect(() => computeLadder('internal_pa_documents', 0, with1('internal_pa_documents', 10))).not.toThrow();
    expect(() => computeLadder('appeal_payer', '2026-03-02', with1('appeal_payer', 180))).not.toThrow();
  });
});

describe('appeal windows from the notice date', () => {
  it('Medicare Advantage reconsideration 65 days (42 CFR 422.582)', () => {
    const l = appealLadder({ planType: 'medicare_advantage', noticeDate: '2026-03-02' }, ctx);
    expect(l).toMatchObject({ rule: 'appeal_ma_reconsideration', deadlineDate: '2026-05-06' });
    expect(l.citation).toMatch(/422\.582/);
  });
  it('Medicaid managed care appeal 60 days (42 CFR 438.402(c)(2)(ii))', () => {
    const l = appealLadder({ planType: 'medicaid_managed', noticeDate: '2026-03-02' }, ctx);
    expect(l).toMatchObject({ rule: 'appeal_medicaid_managed', deadlineDate: '2026-05-01' });
    expect(l.citation).toMatch(/438\.402\(c\)\(2\)\(ii\)/);
  });
  it('kept: Medicare FFS 120 (+5) / 180 (+5), ERISA 180', () => {
    expect(appealLadder({ planType: 'medicare_ffs', noticeDate: '2026-03-02' }, ctx).deadlineDate).toBe('2026-07-05');
    expect(appealLadder({ planType: 'medicare_ffs', noticeDate: '2026-07-01', level: 'second' }, ctx).deadlineDate).toBe('2027-01-02');
    expect(appealLadder({ planType: 'erisa_group', noticeDate: '2026-03-02' }, ctx).deadlineDate).toBe('2026-08-29');
  });
  it('the notice date is the remittance date (BPR16) when given, else the local date at the site — not the UTC date', () => {
    const eveningNy = Date.parse('2026-03-02T22:30:00-05:00'); // 03:30Z on 03-03
    expect(new Date(eveningNy).toISOString().slice(0, 10)).toBe('2026-03-03');
    expect(appealNoticeDate(undefined, eveningNy, ctx)).toBe('2026-03-02');
    expect(appealNoticeDate('2026-02-20', eveningNy, ctx)).toBe('2026-02-20');
    expect(() => appealNoticeDate('2026-02-30', eveningNy, ctx)).toThrow();
  });
  it('property: the local notice date never differs from the wall-clock date at the site', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), (ms) => {
        const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
        expect(appealNoticeDate(undefined, ms, ctx)).toBe(local);
      }),
    );
  });
});

describe('prior-auth clock from receipt (CMS-0057-F)', () => {
  const receivedAt = '2026-03-02T10:00:00-05:00';
  const base = priorAuthLadder({ planType: 'medicare_advantage', urgency: 'standard', submittedAt: receivedAt }, ctx);
  it('pends (A4) and contact requests (CT) do not restart the clock', () => {
    const c = priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events: [{ action: 'A4', at: '2026-03-04T09:00:00-05:00' }, { action: 'CT', at: '2026-03-06T09:00:00-05:00' }, { action: 'A4', at: '2026-03-08T09:00:00-04:00' }] }, ctx);
    expect(c.ladder.breachAt).toBe(base.breachAt);
    expect(c.findings).toEqual([]);
  });
  it('property: any sequence of pends leaves the breach at receipt + 7 days', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ action: fc.constantFrom('A4', 'CT'), offsetH: fc.integer({ min: 0, max: 400 }) }), { maxLength: 10 }), (evs) => {
        const events = evs.map((e) => ({ action: e.action, at: Date.parse(receivedAt) + e.offsetH * H }));
        expect(priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events }, ctx).ladder.breachAt).toBe(base.breachAt);
      }),
    );
  });
  it('one extension of up to 14 days with notice before the deadline; a second is ignored and flagged', () => {
    const c = priorAuthClock({ planType: 'medicaid_managed', urgency: 'standard', receivedAt, events: [{ action: 'A4', at: '2026-03-05T10:00:00-05:00', extensionDays: 14 }, { action: 'A4', at: '2026-03-12T10:00:00-04:00', extensionDays: 14 }] }, ctx);
    expect(c.extension).toMatchObject({ days: 14 });
    expect(c.ladder.breachAt).toBe(Date.parse('2026-03-23T10:00:00-04:00'));
    expect(c.findings).toEqual(['second_extension']);
  });
  it('an extension longer than 14 days is capped and flagged; one noticed after the deadline is ignored', () => {
    const long = priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events: [{ action: 'A4', at: '2026-03-03T10:00:00-05:00', extensionDays: 30 }] }, ctx);
    expect(long.extension?.days).toBe(14);
    expect(long.findings).toContain('extension_too_long');
    const late = priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events: [{ action: 'A4', at: base.breachAt + H, extensionDays: 5 }] }, ctx);
    expect(late.ladder.breachAt).toBe(base.breachAt);
    expect(late.findings).toEqual(['extension_after_deadline']);
  });
  it('an A3 denial without a reason is flagged non-compliant', () => {
    expect(priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events: [{ action: 'A3', at: receivedAt, reasons: [] }] }, ctx).findings).toEqual(['denial_without_reason']);
    expect(priorAuthClock({ planType: 'medicare_advantage', urgency: 'standard', receivedAt, events: [{ action: 'A3', at: receivedAt, reasons: [{ code: '197' }] }] }, ctx).findings).toEqual([]);
  });
  it('our own document turnaround is a separate internal SLA (2 business days) that does not move the payer clock', () => {
    const docs = computeLadder('internal_pa_documents', '2026-03-04T09:00:00-05:00', ctx);
    expect(docs).toMatchObject({ kind: 'internal', rule: 'internal_pa_documents' });
    expect(docs.breachAt).toBe(Date.parse('2026-03-06T09:00:00-05:00'));
    expect(docs.breachAt).not.toBe(base.breachAt);
    expect(base.breachAt).toBe(Date.parse('2026-03-09T10:00:00-04:00')); // 7 calendar days, across the DST change
  });
});
