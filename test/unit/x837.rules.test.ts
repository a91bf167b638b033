import fc from 'fast-check';
import { isX12Text, toX12Text } from '../../src/domain/x12/charset';
import { buildSecondaryCob, casSegments, CobSubmissionSchema, withOtherSubscriber } from '../../src/domain/x12/cob837';
import { cobFromRemittance } from '../../src/domain/x12/cobFromRemittance';
import { payerConfigFromEnv, x837SettingsFromEnv } from '../../src/activities/payer/config';
import { build837P, type X837Claim, type X837Options } from '../../src/activities/payer/x837';
import { claimFilingIndicator } from '../../src/activities/payer/x837Filing';
import { dmgGender, splitPersonName } from '../../src/activities/payer/x837Patients';
import { render837, X837InputError } from '../../src/activities/payer/x837Render';
import { ClaimRenderInputSchema, ClaimSubmissionSchema, type ClaimRenderInput } from '../../src/activities/payer/x837Schema';

const person = { last: 'García', first: 'Léa', address: { line1: '12 Elm St', city: 'Springfield', state: 'IL', zip: '62704-1234' }, birthDate: '1980-04-01', gender: 'F' as const };
const base: ClaimRenderInput = {
  claimId: 'CLM-U1',
  payerId: 'SIMPAYER',
  frequencyCode: '1',
  memberRef: 'MBR-1',
  serviceDate: '2026-03-02',
  lines: [
    { code: '99214', modifiers: ['25'], icd10: ['M54.50'], units: 1, chargeCents: 18_000 },
    { code: '20610', modifiers: [], icd10: ['M17.11'], units: 1, chargeCents: 32_050 },
  ],
  subscriber: person,
};
const opts: X837Options = {
  sender: { id: 'RCMSUBMITTER', name: 'Referral Journeys' },
  receiver: { id: 'CLEARINGHOUSE', name: 'Clearinghouse' },
  billingProvider: { npi: '1234567893', name: 'Clínica São José', taxId: '123456789', address: { line1: '1 Main St', city: 'Springfield', state: 'IL', zip: '627011234' } },
  payerName: 'Sim Payer',
  controlNumber: 7,
  now: new Date('2026-03-20T14:05:00Z'),
};
const render = (over: Partial<ClaimRenderInput> = {}, o: Partial<X837Options> = {}) => build837P(ClaimRenderInputSchema.parse({ ...base, ...over }) as X837Claim, { ...opts, ...o });
const segments = (text: string) => text.trim().split('~\n').map((s) => s.replace(/~$/, '').split('*'));
const find = (text: string, id: string, q?: string) => segments(text).filter((s) => s[0] === id && (q === undefined || s[1] === q));

describe('X12 character set', () => {
  test('accents fold to the basic set, delimiters never survive', () => {
    expect(toX12Text('Clínica São José')).toBe('CLINICA SAO JOSE');
    expect(toX12Text('Müller-Straße 5*~:^ Øster')).toBe('MULLER-STRASSE 5 OSTER');
    expect(toX12Text('  Łódź\n\tÆbleø  ')).toBe('LODZ AEBLEO');
    expect(toX12Text('abcdef', 3)).toBe('ABC');
  });

  test('property: any string becomes basic-set text without separators, at most max long', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.integer({ min: 1, max: 60 }), (s, max) => {
        const out = toX12Text(s, max);
        return isX12Text(out) && out.length <= max && !/[*~:^]/.test(out) && out === out.trim();
      }),
    );
  });
});

describe('SBR09 claim filing indicator', () => {
  test('plan types map to the X12 1032 codes; an explicit code wins; self-pay has none', () => {
    expect(claimFilingIndicator('medicare_ffs')).toBe('MB');
    expect(claimFilingIndicator('medicare_advantage')).toBe('16');
    expect(claimFilingIndicator('medicaid_ffs')).toBe('MC');
    expect(claimFilingIndicator('medicaid_managed')).toBe('MC');
    expect(claimFilingIndicator('commercial')).toBe('CI');
    expect(claimFilingIndicator('commercial', 'BL')).toBe('BL');
    expect(claimFilingIndicator(undefined)).toBe('CI');
    expect(() => claimFilingIndicator('self_pay')).toThrow(/self-pay/);
    expect(find(render({ planType: 'medicare_advantage' }), 'SBR')[0]).toEqual(['SBR', 'P', '18', '', '', '', '', '', '', '16']);
  });
});

describe('837P loops', () => {
  test('2010BA: subscriber = patient carries name, N3, N4 and DMG; billing N4 has 9 digits', () => {
    const text = render();
    const s = segments(text);
    const il = s.findIndex((x) => x[0] === 'NM1' && x[1] === 'IL');
    expect(s.slice(il, il + 4)).toEqual([
      ['NM1', 'IL', '1', 'GARCIA', 'LEA', '', '', '', 'MI', 'MBR-1'],
      ['N3', '12 ELM ST'],
      ['N4', 'SPRINGFIELD', 'IL', '627041234'],
      ['DMG', 'D8', '19800401', 'F'],
    ]);
    expect(find(text, 'N4')[0]).toEqual(['N4', 'SPRINGFIELD', 'IL', '627011234']);
    expect(find(text, 'NM1', '85')[0][3]).toBe('CLINICA SAO JOSE');
    expect(find(text, 'HL')).toEqual([['HL', '1', '', '20', '1'], ['HL', '2', '1', '22', '0']]);
  });

  test('a 5-digit billing ZIP is refused by the builder and by the config', () => {
    expect(() => render({}, { billingProvider: { ...opts.billingProvider, address: { ...opts.billingProvider.address, zip: '62701' } } })).toThrow(/9 digits/);
    expect(() => payerConfigFromEnv({ PAYER_BASE_URL: 'http://x', PAYER_BILLING_ADDRESS: '1 Main St, Springfield, IL, 62701' })).toThrow(/9-digit ZIP/);
    expect(x837SettingsFromEnv({ PAYER_BILLING_ADDRESS: '1 Main St, Springfield, IL, 62701-0042' }).billingProvider.address.zip).toBe('627010042');
  });

  test('2000C: a dependent gets HL*23 with PAT, NM1*QC, N3/N4, DMG; the subscriber loop then has no SBR02 and no DMG', () => {
    const text = render({ patientRelationship: '19', patient: { ...person, first: 'Tim', birthDate: '2015-06-30', gender: 'M' } });
    const s = segments(text);
    expect(find(text, 'SBR')[0].slice(0, 3)).toEqual(['SBR', 'P', '']);
    expect(find(text, 'HL').at(-2)).toEqual(['HL', '2', '1', '22', '1']);
    const hl3 = s.findIndex((x) => x[0] === 'HL' && x[1] === '3');
    expect(s.slice(hl3, hl3 + 6)).toEqual([
      ['HL', '3', '2', '23', '0'],
      ['PAT', '19'],
      ['NM1', 'QC', '1', 'GARCIA', 'TIM'],
      ['N3', '12 ELM ST'],
      ['N4', 'SPRINGFIELD', 'IL', '627041234'],
      ['DMG', 'D8', '20150630', 'M'],
    ]);
    expect(find(text, 'DMG')).toHaveLength(1);
    expect(s[hl3 + 6][0]).toBe('CLM');
  });

  test('2310B only for an individual rendering NPI distinct from the billing organization (N290)', () => {
    expect(find(render({ renderingProvider: { npi: '1234567893', last: 'Clinic' } }), 'NM1', '82')).toEqual([]);
    expect(find(render({ renderingProvider: { npi: '1234567893', last: 'Clinic' }, billingNpi: '1245319599' }), 'NM1', '82')).toHaveLength(1);
    const text = render({ renderingProvider: { npi: '1245319599', last: 'Smith', first: 'Ann', taxonomy: '207Q00000X' } });
    expect(find(text, 'NM1', '82')).toEqual([['NM1', '82', '1', 'SMITH', 'ANN', '', '', '', 'XX', '1245319599']]);
    expect(find(text, 'PRV')).toEqual([['PRV', 'PE', 'PXC', '207Q00000X']]);
  });

  test('frequency 7/8 need REF*F8: the schemas refuse them without the payer claim control number', () => {
    const noF8 = { ...base, frequencyCode: '8' as const };
    expect(ClaimRenderInputSchema.safeParse(noF8).success).toBe(false);
    const { subscriber: _s, ...submission } = noF8;
    const refused = ClaimSubmissionSchema.safeParse(submission);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['payerClaimControlNumber']);
    expect(find(render({ frequencyCode: '7', payerClaimControlNumber: 'PCN-1' }), 'REF', 'F8')).toEqual([['REF', 'F8', 'PCN-1']]);
    expect(ClaimSubmissionSchema.safeParse({ ...submission, frequencyCode: '1', patientRelationship: '19' }).success).toBe(false); // no subscriberRef
  });
});

describe('secondary claim COB (2320/2330/2430)', () => {
  const cob = {
    otherPayer: { id: 'PRIMARY1', name: 'Primary Health', filingIndicator: 'CI' },
    otherSubscriber: { memberId: 'PH-1', last: 'Doe', first: 'Jane' },
    paidCents: 30_000,
    adjudicationDate: '2026-03-18',
    claimAdjustments: [
      { group: 'CO' as const, reason: '45', amountCents: 15_000 },
      { group: 'PR' as const, reason: '1', amountCents: 4_000 },
      { group: 'PR' as const, reason: '2', amountCents: 1_050 },
    ],
  };

  test('claim level: SBR, CAS per group, AMT*D, OI, other subscriber and payer with DTP*573', () => {
    const { claim, byLine } = buildSecondaryCob(cob, 50_050);
    expect(claim).toEqual([
      ['SBR', 'P', '18', '', '', '', '', '', '', 'CI'],
      ['CAS', 'CO', '45', '150.00', ''],
      ['CAS', 'PR', '1', '40.00', '', '2', '10.50', ''],
      ['AMT', 'D', '300.00'],
      ['OI', '', '', 'Y', '', '', 'Y'],
      ['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', 'PH-1'],
      ['NM1', 'PR', '2', 'PRIMARY HEALTH', '', '', '', '', 'PI', 'PRIMARY1'],
      ['DTP', '573', 'D8', '20260318'],
    ]);
    expect(byLine.size).toBe(0);
    const text = render({ cob });
    expect(find(text, 'SBR')[0][1]).toBe('S'); // we bill the secondary
    expect(find(text, 'AMT')).toEqual([['AMT', 'D', '300.00']]);
  });

  test('line level: SVD/CAS/DTP*573 after the matching line; 2330B then has no DTP', () => {
    const text = render({
      cob: {
        ...cob,
        claimAdjustments: [],
        lines: [
          { lineNumber: 1, procedureCode: '99214', modifiers: ['25'], chargeCents: 18_000, paidCents: 10_000, units: 1, adjustments: [{ group: 'CO', reason: '45', amountCents: 8_000 }] },
          { lineNumber: 2, procedureCode: '20610', chargeCents: 32_050, paidCents: 20_000, units: 1, adjustments: [{ group: 'PR', reason: '2', amountCents: 12_050 }], adjudicationDate: '2026-03-19' },
        ],
      },
    });
    const s = segments(text).map((x) => x.join('*'));
    const lx2 = s.indexOf('LX*2');
    expect(s.slice(lx2 - 3, lx2)).toEqual(['SVD*PRIMARY1*100.00*HC:99214:25**1', 'CAS*CO*45*80.00', 'DTP*573*D8*20260318']);
    expect(s.slice(lx2 + 4, lx2 + 7)).toEqual(['SVD*PRIMARY1*200.00*HC:20610**1', 'CAS*PR*2*120.50', 'DTP*573*D8*20260319']);
    expect(s.filter((x) => x.startsWith('DTP*573'))).toHaveLength(2);
  });

  test('unbalanced primary money is refused', () => {
    expect(() => buildSecondaryCob(cob, 50_000)).toThrow(/!= claim charge/);
    expect(() =>
      buildSecondaryCob({ ...cob, claimAdjustments: [], paidCents: 100, lines: [{ lineNumber: 1, procedureCode: '99214', chargeCents: 200, paidCents: 100, units: 1, adjustments: [] }] }, 200),
    ).toThrow(/line 1/);
  });

  test('more than six reasons in a group split into several CAS segments', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ group: 'CO' as const, reason: String(100 + i), amountCents: 1 }));
    expect(casSegments(many).map((c) => c.length)).toEqual([2 + 18, 2 + 3]);
  });
});

describe('patient directory helpers and the CLI renderer', () => {
  test('Odoo names and gender values', () => {
    expect(splitPersonName('Núñez, Inês Maria')).toEqual({ last: 'Núñez', first: 'Inês', middle: 'Maria' });
    expect(splitPersonName('Kofi  Okafor')).toEqual({ last: 'Okafor', first: 'Kofi' });
    expect(['female', 'M', 'other', 'x'].map(dmgGender)).toEqual(['F', 'M', 'U', undefined]);
  });

  test('render837: validated input, clear issues on a bad one, deterministic with fixed options', () => {
    const a = render837(base, { controlNumber: '5', date: '2026-03-20T14:05:00Z' }, {});
    expect(a).toBe(render837(base, { controlNumber: '5', date: '2026-03-20T14:05:00Z' }, {}));
    expect(a.split('\n')[0]).toContain('*000000005*0*P*:~');
    let err: unknown;
    try {
      render837({ ...base, lines: [], subscriber: { ...person, address: { ...person.address, zip: '123' } } }, {}, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(X837InputError);
    expect((err as X837InputError).issues).toEqual(expect.arrayContaining([expect.stringMatching(/^lines:/), expect.stringMatching(/^subscriber\.address\.zip:/)]));
    expect(() => render837({ ...base, planType: 'self_pay' }, {}, {})).toThrow(X837InputError);
  });
});

describe('COB input from the primary 835 claim payment', () => {
  const parties = {
    otherPayer: { id: 'PRIMARY1', name: 'Primary Health', filingIndicator: 'CI' },
    otherSubscriber: { memberId: 'PH-1', subscriberRef: 'PT-1' },
    fallbackAdjudicationDate: '2026-03-25',
  };
  const remit = {
    traceNumber: 'TRN1',
    patientControlNumber: 'CLM-U1',
    status: '1' as const,
    chargeCents: 50_050,
    paidCents: 30_000,
    patientResponsibilityCents: 5_050,
    payerClaimControlNumber: 'PCN1',
    adjustments: [{ group: 'OA' as const, reason: '23', amountCents: 0 }],
    services: [
      { procedure: 'HC:99214:25', chargeCents: 18_000, paidCents: 10_000, adjustments: [{ group: 'CO' as const, reason: '45', amountCents: 8_000 }] },
      { procedure: 'HC:20610', chargeCents: 32_050, paidCents: 20_000, adjustments: [{ group: 'CO' as const, reason: '45', amountCents: 7_000 }, { group: 'PR' as const, reason: '1', amountCents: 5_050 }] },
    ],
    remarkCodes: [],
    paymentDate: '2026-03-18',
  };

  test('complete SVCs → line-level 2430 that balances and renders', () => {
    const facts = cobFromRemittance(remit, parties, base.lines);
    expect(JSON.stringify(facts)).not.toMatch(/Doe/); // workflow-safe: ids and money only
    const cob = withOtherSubscriber(CobSubmissionSchema.parse(facts), { last: 'Doe', first: 'Jane' });
    expect(cob.otherSubscriber).toEqual({ memberId: 'PH-1', relationship: '18', last: 'Doe', first: 'Jane' });
    expect(cob.lines?.map((l) => [l.lineNumber, l.procedureCode, l.modifiers, l.paidCents])).toEqual([[1, '99214', ['25'], 10_000], [2, '20610', [], 20_000]]);
    expect(cob.adjudicationDate).toBe('2026-03-18');
    const text = render({ cob });
    expect(find(text, 'SVD')).toHaveLength(2);
    expect(find(text, 'AMT')).toEqual([['AMT', 'D', '300.00']]);
  });

  test('incomplete SVCs fold into claim-level CAS; reversals and denials are refused', () => {
    const partial = { ...remit, paymentDate: undefined, services: [{ ...remit.services[0], paidCents: undefined }, remit.services[1]] };
    const cob = withOtherSubscriber(CobSubmissionSchema.parse(cobFromRemittance(partial, parties, base.lines)), { last: 'Doe' });
    expect(cob.lines).toBeUndefined();
    expect(cob.adjudicationDate).toBe('2026-03-25');
    expect(buildSecondaryCob(cob, 50_050).claim.filter((s) => s[0] === 'CAS')).toEqual([
      ['CAS', 'OA', '23', '0.00', ''],
      ['CAS', 'CO', '45', '80.00', '', '45', '70.00', ''],
      ['CAS', 'PR', '1', '50.50', ''],
    ]);
    expect(() => cobFromRemittance({ ...remit, status: '22' }, parties, base.lines)).toThrow(/reversal/);
    expect(() => cobFromRemittance({ ...remit, status: '4' }, parties, base.lines)).toThrow(/denied/);
  });
});
