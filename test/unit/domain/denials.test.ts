import { CARC_TABLE, DEFAULT_DENIAL_ROUTING, isWorkableDenial, routeDenial, type DenialQueue } from '../../../src/domain';

// DOMAIN.md "Denial routing", written out independently of the implementation's table.
const EXPECTED: Record<DenialQueue, string[]> = {
  patient_responsibility: ['1', '2', '3', '119', '35', '100', '142'],
  contractual: ['45', '24', '59', '253', '237', '131', '94', '144', '223'],
  eligibility_cob: ['22', '23', '19', '20', '21', '26', '27', '31', '140', '32', '33', '109'],
  authorization: ['15', '39', '197', '198', '242', '288'],
  coding: ['4', '5', '6', '7', '8', '9', '10', '11', '58', '97', '234', '236', '146', '167', '150', '151', '181', '182'],
  documentation: ['16', '251', '252', '107', '129'],
  medical_necessity: ['50', '55', '96', '204', '49'],
  credentialing: ['185', 'B7'],
  timely_filing: ['29'],
  duplicate: ['18'],
  general_review: [],
};

describe('CARC routing table', () => {
  it('contains exactly the codes of DOMAIN.md', () => {
    expect(CARC_TABLE.map((e) => e.code).sort()).toEqual(Object.values(EXPECTED).flat().sort());
  });

  for (const [queue, codes] of Object.entries(EXPECTED)) {
    for (const code of codes) {
      it(`routes ${queue === 'patient_responsibility' ? 'PR' : 'CO'}-${code} to ${queue}`, () => {
        const r = routeDenial({ group: queue === 'patient_responsibility' ? 'PR' : 'CO', reason: code, rarcs: [] });
        expect(r.known).toBe(true);
        expect(r.queue).toBe(queue);
        expect(r.slaDays).toBe(DEFAULT_DENIAL_ROUTING.slaDaysByQueue[queue as DenialQueue]);
      });
    }
  }

  it('actions per queue', () => {
    expect(routeDenial({ group: 'PR', reason: '1' })).toMatchObject({ action: 'patient_statement', appealable: false });
    expect(routeDenial({ group: 'CO', reason: '45' })).toMatchObject({ action: 'contractual_adjustment', appealable: false });
    expect(routeDenial({ group: 'CO', reason: '253' })).toMatchObject({ action: 'contractual_adjustment' });
    expect(routeDenial({ group: 'CO', reason: '22' })).toMatchObject({ action: 'rebill_other_payer' });
    expect(routeDenial({ group: 'CO', reason: '109' })).toMatchObject({ action: 'rebill_other_payer' });
    expect(routeDenial({ group: 'CO', reason: '27' })).toMatchObject({ action: 'reverify_coverage' });
    expect(routeDenial({ group: 'CO', reason: '197' })).toMatchObject({ action: 'appeal', appealable: true });
    expect(routeDenial({ group: 'CO', reason: '236' })).toMatchObject({ action: 'corrected_claim' });
    expect(routeDenial({ group: 'CO', reason: '252' })).toMatchObject({ action: 'send_records' });
    expect(routeDenial({ group: 'CO', reason: '50' })).toMatchObject({ action: 'appeal', appealable: true });
    expect(routeDenial({ group: 'CO', reason: 'B7' })).toMatchObject({ action: 'enrollment_fix' });
    expect(routeDenial({ group: 'CO', reason: '29' })).toMatchObject({ action: 'appeal', appealable: true, fallbackAction: 'write_off_approval' });
    expect(routeDenial({ group: 'CO', reason: '18' })).toMatchObject({ action: 'verify_original', appealable: false });
  });

  it('CO-16 + MA130 → new claim, not appealable (even with other RARCs)', () => {
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: ['MA130'] })).toMatchObject({
      queue: 'documentation', action: 'new_claim', appealable: false, known: true, refinedBy: 'MA130',
    });
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: ['M51', 'MA130'] })).toMatchObject({ action: 'new_claim', refinedBy: 'MA130' });
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: [] })).toMatchObject({ action: 'corrected_claim' });
  });

  it('RARCs refine the generic CARC 16', () => {
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: ['M51'] })).toMatchObject({ queue: 'coding', action: 'corrected_claim', refinedBy: 'M51' });
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: ['M127'] })).toMatchObject({ queue: 'documentation', action: 'send_records', refinedBy: 'M127' });
    expect(routeDenial({ group: 'CO', reason: '16', rarcs: ['N290'] })).toMatchObject({ queue: 'documentation', action: 'billing_data_fix' });
    const lcd = routeDenial({ group: 'CO', reason: '50', rarcs: ['N115', 'XYZ'] });
    expect(lcd).toMatchObject({ queue: 'medical_necessity', action: 'appeal', remarks: ['N115'] });
    expect(lcd.refinedBy).toBeUndefined();
  });

  it('group PR → patient responsibility even for codes that are denials under CO', () => {
    expect(routeDenial({ group: 'PR', reason: '96' })).toMatchObject({ queue: 'patient_responsibility', action: 'patient_statement', appealable: false });
    expect(routeDenial({ group: 'PR', reason: '204' })).toMatchObject({ queue: 'patient_responsibility' });
    expect(routeDenial({ group: 'CO', reason: '96' })).toMatchObject({ queue: 'medical_necessity' });
  });

  it('OA-23 (prior payer impact) is informational, not a denial; CO-23 is a COB problem', () => {
    expect(routeDenial({ group: 'OA', reason: '23' })).toMatchObject({ queue: 'contractual', action: 'informational' });
    expect(routeDenial({ group: 'CO', reason: '23' })).toMatchObject({ queue: 'eligibility_cob' });
  });

  it('unknown codes go to general review with known:false (even under PR)', () => {
    expect(routeDenial({ group: 'CO', reason: '999' })).toMatchObject({ queue: 'general_review', action: 'general_review', known: false, appealable: false, slaDays: 5 });
    expect(routeDenial({ group: 'PR', reason: 'P9' })).toMatchObject({ queue: 'general_review', known: false });
    expect(routeDenial({ group: 'co', reason: ' 45 ' })).toMatchObject({ queue: 'contractual', group: 'CO', reason: '45' });
  });

  it('workable denials exclude contractual and patient-statement routes; SLA days configurable', () => {
    expect(isWorkableDenial(routeDenial({ group: 'CO', reason: '45' }))).toBe(false);
    expect(isWorkableDenial(routeDenial({ group: 'PR', reason: '2' }))).toBe(false);
    expect(isWorkableDenial(routeDenial({ group: 'CO', reason: '197' }))).toBe(true);
    const config = { slaDaysByQueue: { ...DEFAULT_DENIAL_ROUTING.slaDaysByQueue, authorization: 1 } };
    expect(routeDenial({ group: 'CO', reason: '197' }, config).slaDays).toBe(1);
  });
});
