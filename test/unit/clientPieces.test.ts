import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse835 } from '../../src/domain/x12';
import { createDeadLetterStore } from '../../src/client/deadLetters';
import { JourneyInputError } from '../../src/client/errors';
import { adaptTransaction } from '../../src/client/remittanceAdapter';
import { buildJourneyQuery, claimQuery, listLimit } from '../../src/client/visibility';
import { ReferralSchema } from '../../src/domain/schemas/referral';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/x12/835');

describe('visibility queries', () => {
  it('builds the journey query from filters, quoting values', () => {
    expect(buildJourneyQuery({})).toBe(`WorkflowType = 'referralJourney'`);
    expect(buildJourneyQuery({ stage: 'coding', siteId: 'site-1', payerId: 'AETNA', slaState: 'breached', exceptionQueue: 'denials', executionStatus: 'Running' })).toBe(
      `WorkflowType = 'referralJourney' AND Stage = 'coding' AND SiteId = 'site-1' AND PayerId = 'AETNA' AND SlaState = 'breached' AND ExceptionQueue = 'denials' AND ExecutionStatus = 'Running'`,
    );
    expect(claimQuery('RC1A2B-1')).toBe(`WorkflowType = 'referralJourney' AND ClaimIds = 'RC1A2B-1'`);
  });

  it('refuses values outside the id alphabet instead of escaping them', () => {
    for (const bad of ["x' OR 'a'='a", 'a b', 'é', 'x'.repeat(65), '"q"']) {
      expect(() => buildJourneyQuery({ stage: bad })).toThrow(JourneyInputError);
    }
    try {
      buildJourneyQuery({ payerId: "a'b" });
    } catch (err) {
      expect((err as JourneyInputError).path).toBe('payerId');
    }
    expect(() => claimQuery("1' OR '1'='1")).toThrow(JourneyInputError);
  });

  it('bounds the limit', () => {
    expect(listLimit(undefined)).toBe(50);
    expect(listLimit(1000)).toBe(1000);
    expect(() => listLimit(0)).toThrow(JourneyInputError);
    expect(() => listLimit(1001)).toThrow(JourneyInputError);
    expect(() => listLimit(2.5)).toThrow(JourneyInputError);
  });
});

describe('JourneyInputError', () => {
  it('names field paths and does not echo enum values (they may be PHI)', () => {
    const r = ReferralSchema.safeParse({ siteId: 'a', referralId: 'b', patientRef: 'P1', payerId: 'X', planType: 'Jane Doe', urgency: 'standard', receivedAt: 'x', orderedServices: [], documents: [], requiredDocuments: [] });
    expect(r.success).toBe(false);
    if (r.success) return;
    const err = JourneyInputError.fromZod('referral', r.error);
    expect(err.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['planType', 'receivedAt', 'orderedServices']));
    expect(err.message).not.toContain('Jane Doe');
    expect(err.message).toMatch(/planType: must be one of medicare_advantage/);
  });
});

describe('remittance adapter', () => {
  const fixture = () => parse835(fs.readFileSync(path.join(FIXTURES, 'pyx12__835_simple.txt'), 'utf8')).transactions[0];

  it('adapts the parser claims of a public 4010 fixture to schema-valid RemittanceMessages (reversal + correction)', () => {
    const { messages, refused } = adaptTransaction(fixture());
    expect(refused).toEqual([]);
    expect(messages.map((m) => m.message.messageId)).toEqual(['0004926|123839-24635|6363451|22', '0004926|123839-24635|6363451|1', '0004926|134158-27488|6397645|22']);
    const reversal = messages[0];
    expect(reversal.claimId).toBe('123839-24635');
    expect(reversal.segmentIndex).toBe(14);
    expect(reversal.message).toMatchObject({ traceNumber: '0004926', status: '22', chargeCents: -31000, paidCents: -21000, patientResponsibilityCents: 0, payerClaimControlNumber: '6363451', paymentDate: '2009-02-20' });
    expect(reversal.message.services[0]).toMatchObject({ procedure: 'HC:T1017', chargeCents: -31000, paidCents: -21000, adjustments: [{ group: 'CR', reason: '45', amountCents: -10000 }] });
    expect(messages[1].segmentIndex).toBe(21);
    // no names or member ids travel in the message
    expect(JSON.stringify(messages)).not.toMatch(/Flintstone|373899999/);
  });

  it('returns claims it cannot send with CLP01, segment and reasons', () => {
    const tx = fixture();
    const noTrace = adaptTransaction({ ...tx, traceNumber: undefined, trace: undefined });
    expect(noTrace.messages).toEqual([]);
    expect(noTrace.refused[0]).toMatchObject({ claimId: '123839-24635', segmentIndex: 14, issues: [{ message: expect.stringMatching(/TRN02/) }] });
    const badReason = adaptTransaction({ ...tx, claims: [{ ...tx.claims[1], adjustments: [{ group: 'CO', reason: 'bad reason', amountCents: 1, segmentIndex: 1 }] }] });
    expect(badReason.refused).toEqual([{ claimId: '123839-24635', segmentIndex: 21, issues: [{ path: 'adjustments.0.reason', message: 'Invalid' }] }]);
  });
});

describe('dead-letter store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-dlq-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends, lists without payloads, gets with payload, marks re-driven by appending', async () => {
    const file = path.join(dir, 'nested', 'dead-letters.jsonl');
    const store = createDeadLetterStore({ file });
    const a = await store.add({ source: 'ingress:/v1/payer/eligibility', reason: 'bad_signature', error: 'x-rcm-signature does not match', correlationId: 'c-1', payload: { body: '{"memberRef":"M123"}' } });
    const b = await store.add({ source: 'ingest-835', reason: 'unmatched_claim', error: 'claim X: no journey', payload: { kind: 'remittance' } });
    expect(a.id).toMatch(/^dl-[a-z0-9]+-[0-9a-f]{10}$/);
    expect(a.id).not.toBe(b.id);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');

    const listed = await store.list();
    expect(listed.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(JSON.stringify(listed)).not.toContain('M123');
    expect(await store.list({ reason: 'unmatched_claim' })).toHaveLength(1);
    expect((await store.get(a.id))?.payload).toEqual({ body: '{"memberRef":"M123"}' });
    expect(await store.get('dl-nope')).toBeUndefined();

    const before = fs.readFileSync(file, 'utf8');
    await store.markRedriven(a.id, 'delivered');
    const after = fs.readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true); // append-only
    expect((await store.list()).map((e) => e.id)).toEqual([b.id]);
    expect(await store.list({ includeRedriven: true })).toHaveLength(2);
    expect(await store.get(a.id)).toMatchObject({ redriveOutcome: 'delivered' });
  });

  it('survives a torn last line and concurrent appends from two store instances', async () => {
    const file = path.join(dir, 'shared.jsonl');
    const s1 = createDeadLetterStore({ file });
    const s2 = createDeadLetterStore({ file });
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? s1 : s2).add({ source: 't', reason: 'r', error: 'e', payload: { i, pad: 'x'.repeat(2000) } })));
    fs.appendFileSync(file, '{"id":"dl-torn","at":"');
    const all = await s1.list();
    expect(all).toHaveLength(40);
    expect(new Set(all.map((e) => e.id)).size).toBe(40);
  });

  it('reads an absent file as empty', async () => {
    expect(await createDeadLetterStore({ file: path.join(dir, 'none.jsonl') }).list()).toEqual([]);
  });
});
