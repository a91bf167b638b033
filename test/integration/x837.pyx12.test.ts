import Fastify, { type FastifyInstance } from 'fastify';
import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { createOdooClient, type OdooClient } from '../../src/activities/odoo';
import { createPayerActivities, createPayerClient, payerConfigFromEnv } from '../../src/activities/payer';
import { build837P, type X837Options } from '../../src/activities/payer/x837';
import { createOdooPatientDirectory, type PatientDirectory } from '../../src/activities/payer/x837Patients';
import { ClaimRenderInputSchema, type ClaimRenderInput, type Person } from '../../src/activities/payer/x837Schema';
import { failureOf } from '../support/failures';
import { startPyx12, type Pyx12 } from '../support/pyx12';

/**
 * Independent validation of the 837P: pyx12 4.0.0 (PyPI, provisioned by scripts/provision-validators.sh into
 * .tools/validators/venv) checks every claim shape we can produce against its 005010X222A1 map, and its 999 must
 * accept each one. The demographics come from the Odoo emulator over HTTP, as the submit activity reads them. Negative
 * controls prove the validator can fail. No skip: if pyx12 cannot be provisioned, this test fails with the reason.
 */

let validator: Pyx12;
const pyx12 = (files: Record<string, string>) => validator.validate(files);

const opts: X837Options = {
  sender: { id: 'RCMSUBMITTER', name: 'Referral Journeys' },
  receiver: { id: 'CLEARINGHOUSE', name: 'Clearinghouse' },
  // Non-ASCII on purpose: the builder must transliterate (pyx12 cannot even read UTF-8 letters).
  billingProvider: { npi: '1234567893', name: 'Clínica São José', taxId: '123456789', address: { line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '627011234' } },
  payerName: 'Sim Payer',
  controlNumber: 4242,
  now: new Date('2026-03-20T14:05:00Z'),
};

const line = (code: string, chargeCents: number, icd10 = ['M54.50'], modifiers: string[] = []) => ({ code, modifiers, icd10, units: 1, chargeCents });

describe('837P shapes validated by pyx12 4.0.0 (005010X222A1)', () => {
  let odoo: OdooEmulator;
  let odooClient: OdooClient;
  let patients: PatientDirectory;
  let self: Person;
  let subscriber: Person;
  let child: Person;

  beforeAll(async () => {
    validator = startPyx12('x837-pyx12-');
    odoo = await startOdooEmulator();
    odooClient = createOdooClient({ url: odoo.url, db: odoo.db, login: 'admin', apiKey: 'admin-api-key', protocol: 'jsonrpc' });
    patients = createOdooPatientDirectory(odooClient);
    [self, subscriber, child] = await Promise.all(['PT-X837-SELF', 'PT-X837-SUB', 'PT-X837-DEP'].map((ref) => patients.person(ref)));
  }, 360_000);

  afterAll(async () => {
    odooClient?.close();
    await odoo?.close();
    validator?.close();
  });

  const claim = (over: Partial<ClaimRenderInput>): ClaimRenderInput => ({
    claimId: 'CLM-P1',
    payerId: 'SIMPAYER',
    frequencyCode: '1',
    memberRef: 'MBR-1001',
    serviceDate: '2026-03-02',
    lines: [line('99214', 18_000)],
    subscriber: self,
    ...over,
  });
  const render = (over: Partial<ClaimRenderInput>) => build837P({ ...ClaimRenderInputSchema.parse(claim(over)), ...(over.subscriber ? {} : { subscriber: self }) } as never, opts);

  test('every shape passes the map with zero errors and a 999 that accepts it; negative controls are rejected', () => {
    const cob = {
      otherPayer: { id: 'PRIMARY1', name: 'Primary Health Plan', filingIndicator: 'CI' },
      otherSubscriber: { memberId: 'PH-555', last: 'Okafor', first: 'Kofi' },
      paidCents: 30_000,
      adjudicationDate: '2026-03-18',
    };
    const shapes: Record<string, string> = {
      commercialSingleLine: render({ planType: 'commercial' }),
      medicarePartBMultiLineRendering: render({
        planType: 'medicare_ffs',
        lines: [line('99214', 18_000, ['M54.50'], ['25']), line('20610', 32_050, ['M17.11', 'M54.50'], ['RT']), line('97110', 9_000, ['M62.81'])],
        renderingProvider: { npi: '1245319599', last: 'Lindqvist', first: 'Léa', taxonomy: '207Q00000X' },
      }),
      orgBillingIsRendering: render({ planType: 'erisa_group', renderingProvider: { npi: '1234567893', last: 'Clinic' } }),
      medicaid: render({ planType: 'medicaid_ffs', priorAuthNumber: 'AUTH-77' }),
      medicareAdvantage: render({ planType: 'medicare_advantage', placeOfService: '22' }),
      bluesOverride: render({ planType: 'commercial', claimFilingIndicator: 'BL' }),
      dependent: render({ planType: 'commercial', subscriber, patientRelationship: '19', patient: child }),
      replacement: render({ frequencyCode: '7', payerClaimControlNumber: 'PCN-2026-0001' }),
      void: render({ frequencyCode: '8', payerClaimControlNumber: 'PCN-2026-0001' }),
      secondaryClaimLevel: render({
        planType: 'medicaid_ffs',
        lines: [line('99214', 18_000), line('20610', 32_050)],
        cob: { ...cob, claimAdjustments: [{ group: 'CO', reason: '45', amountCents: 15_000 }, { group: 'PR', reason: '1', amountCents: 5_050 }] },
      }),
      secondaryLineLevel: render({
        planType: 'medicare_ffs',
        lines: [line('99214', 18_000), line('20610', 32_050)],
        cob: {
          ...cob,
          claimAdjustments: [],
          lines: [
            { lineNumber: 1, procedureCode: '99214', chargeCents: 18_000, paidCents: 10_000, units: 1, adjustments: [{ group: 'CO', reason: '45', amountCents: 8_000 }] },
            { lineNumber: 2, procedureCode: '20610', chargeCents: 32_050, paidCents: 20_000, units: 1, adjustments: [{ group: 'PR', reason: '2', amountCents: 12_050 }] },
          ],
        },
      }),
    };

    // Structure we expect in each, so a shape cannot silently degrade into another.
    const has = (name: string, seg: string) => shapes[name].split('~\n').some((s) => s.startsWith(seg));
    expect(has('dependent', 'HL*3*2*23*0') && has('dependent', 'PAT*19') && has('dependent', 'NM1*QC*1')).toBe(true);
    expect(has('dependent', 'SBR*P**')).toBe(true);
    expect(has('medicarePartBMultiLineRendering', 'NM1*82*1*LINDQVIST*LEA') && has('medicarePartBMultiLineRendering', 'SBR*P*18*******MB')).toBe(true);
    expect(has('orgBillingIsRendering', 'NM1*82')).toBe(false);
    expect(has('medicareAdvantage', 'SBR*P*18*******16') && has('medicaid', 'SBR*P*18*******MC') && has('bluesOverride', 'SBR*P*18*******BL')).toBe(true);
    expect(has('replacement', 'REF*F8*PCN-2026-0001') && has('void', 'CLM*CLM-P1*180.00***11:B:8')).toBe(true);
    expect(has('secondaryClaimLevel', 'AMT*D*300.00') && has('secondaryClaimLevel', 'NM1*PR*2*PRIMARY HEALTH PLAN*****PI*PRIMARY1') && has('secondaryClaimLevel', 'DTP*573*D8*20260318')).toBe(true);
    expect(has('secondaryLineLevel', 'SVD*PRIMARY1*100.00*HC:99214**1') && has('secondaryLineLevel', 'SBR*S*18')).toBe(true);
    expect(shapes.commercialSingleLine).toContain('NM1*85*2*CLINICA SAO JOSE*****XX*1234567893~');
    for (const text of Object.values(shapes)) expect(text).toMatch(/^[\x20-\x7e\n]*$/);

    // Negative controls: a missing mandatory segment (billing provider N4, SE count kept right), an impossible DOB,
    // and raw UTF-8 letters.
    const good = shapes.commercialSingleLine;
    const segs = good.trim().split('\n');
    const n4 = segs.findIndex((s) => s.startsWith('N4*SPRINGFIELD*IL*627011234'));
    const withoutN4 = segs.filter((_, i) => i !== n4).map((s) => s.replace(/^SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) - 1}*`));
    const badDob = good.replace(/^DMG\*D8\*\d{8}\*/m, 'DMG*D8*19801301*');
    const utf8 = good.replace('CLINICA SAO JOSE', 'CLÍNICA SÃO JOSÉ');

    const results = pyx12({ ...shapes, negMissingN4: `${withoutN4.join('\n')}\n`, negBadDob: badDob, negUtf8: utf8 });
    const passing = Object.keys(shapes).map((name) => ({ name, ...results[name] }));
    for (const r of passing) expect({ name: r.name, valid: r.valid, errors: r.errors, ack: r.ack }).toEqual({ name: r.name, valid: true, errors: [], ack: ['A', 'A'] });
    expect(passing).toHaveLength(11);

    expect(results.negMissingN4.valid).toBe(false);
    expect(results.negMissingN4.errors.join('\n')).toMatch(/Mandatory segment .*\(N4\) missing/);
    expect(results.negMissingN4.ack).toContain('R');
    expect(results.negBadDob.valid).toBe(false);
    expect(results.negBadDob.errors.join('\n')).toMatch(/DMG02.*invalid date/);
    expect(results.negUtf8.valid).toBe(false);
  }, 60_000);

  test('the submit activity reads the patient from Odoo and POSTs an 837P pyx12 accepts; an unknown patient is a non-retryable PatientNotFoundError', async () => {
    // A stand-in clearinghouse endpoint over real HTTP that keeps the bytes it receives.
    const received: string[] = [];
    const app: FastifyInstance = Fastify({ logger: false });
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/x12/837', async (req) => {
      received.push(req.body as string);
      const clm = /CLM\*([^*]+)\*/.exec(req.body as string);
      return { claimId: clm?.[1] ?? '', acknowledgementId: `ACK-${received.length}`, status: 'accepted', errors: [] };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const client = createPayerClient(
      payerConfigFromEnv({ PAYER_BASE_URL: `http://127.0.0.1:${port}`, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key' }),
    );
    try {
      const payer = createPayerActivities(client);
      const submission = { claimId: 'CLM-SUB-1', payerId: 'SIMPAYER', frequencyCode: '1' as const, memberRef: 'PT-X837-SELF', serviceDate: '2026-03-02', planType: 'medicare_advantage' as const, lines: [line('72148', 120_000)] };
      expect(await payer.submitClaim(submission)).toEqual({ acknowledgementId: 'ACK-1', status: 'accepted', errors: [] });
      const dependent = { ...submission, claimId: 'CLM-SUB-2', memberRef: 'MBR-SUB', patientRef: 'PT-X837-DEP', subscriberRef: 'PT-X837-SUB', patientRelationship: '19' as const };
      expect((await payer.submitClaim(dependent)).status).toBe('accepted');

      // Secondary claim: the workflow passes only ids and money; the other subscriber's name comes from Odoo too.
      const secondary = {
        ...submission,
        claimId: 'CLM-SUB-5',
        planType: 'medicaid_ffs' as const,
        cob: {
          otherPayer: { id: 'PRIMARY1', name: 'Primary Health Plan', filingIndicator: 'CI' },
          otherSubscriber: { memberId: 'PH-777', subscriberRef: 'PT-X837-SUB', relationship: '01' as const },
          paidCents: 90_000,
          adjudicationDate: '2026-03-18',
          claimAdjustments: [{ group: 'CO' as const, reason: '45', amountCents: 20_000 }, { group: 'PR' as const, reason: '2', amountCents: 10_000 }],
        },
      };
      expect((await payer.submitClaim(secondary)).status).toBe('accepted');

      const [sent, sentDependent, sentSecondary] = received;
      expect(sentSecondary).toContain(`NM1*IL*1*${subscriber.last.toUpperCase().normalize('NFD').replace(/\p{M}/gu, '')}`);
      expect(sentSecondary).toMatch(/SBR\*S\*18\*{7}MC~/);
      // Name from the Odoo partner (as the directory read it), never the old placeholder.
      expect(sent).toContain(`NM1*IL*1*${self.last.toUpperCase().normalize('NFD').replace(/\p{M}/gu, '')}`);
      expect(sent).not.toMatch(/NM1\*IL\*1\*MEMBER\*/);
      expect(sentDependent).toMatch(/HL\*3\*2\*23\*0~\nPAT\*19~\nNM1\*QC\*1\*/);
      const results = pyx12({ sent, sentDependent, sentSecondary });
      expect([results.sent, results.sentDependent, results.sentSecondary].map((r) => [r.valid, r.errors, r.ack])).toEqual([
        [true, [], ['A', 'A']],
        [true, [], ['A', 'A']],
        [true, [], ['A', 'A']],
      ]);

      const missing = await failureOf(payer.submitClaim({ ...submission, claimId: 'CLM-SUB-3', memberRef: 'NOPATIENT-1' }));
      expect(missing).toMatchObject({ type: 'PatientNotFoundError', nonRetryable: true });
      const noF8 = await failureOf(payer.submitClaim({ ...submission, claimId: 'CLM-SUB-4', frequencyCode: '7' }));
      expect(noF8).toMatchObject({ type: 'ValidationError', nonRetryable: true });
      expect(received).toHaveLength(3); // refused before anything was sent
    } finally {
      client.close();
      await app.close();
    }
  }, 30_000);
});
