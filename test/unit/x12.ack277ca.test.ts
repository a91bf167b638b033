import fc from 'fast-check';
import { acknowledgmentFrom } from '../../src/activities/payer/ack';
import { parse277ca } from '../../src/domain/x12/ack277ca';
import { X12ParseError } from '../../src/domain/x12/errors';
import { write277ca, type Ack277caInput } from '../../sim/payer/ack277caWriter';

/** 277CA reader: a hand-written rejection with a service line, the emulator's writer round trip, malformed input. */

const REJECTED = [
  'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*RCMSUBMITTER   *260320*1405*^*00501*000000041*0*P*:~',
  'GS*HN*CLEARINGHOUSE*RCMSUBMITTER*20260320*1405*41*X*005010X214~',
  'ST*277*0001*005010X214~',
  'BHT*0085*08*BATCH77*20260320*1405*TH~',
  'HL*1**20*1~',
  'NM1*PR*2*SIMULATED HEALTH PLAN*****PI*SIMPAYER~',
  'TRN*1*BATCH77~',
  'DTP*050*D8*20260320~',
  'DTP*009*D8*20260320~',
  'HL*2*1*21*1~',
  'NM1*41*2*RCM*****46*RCMSUBMITTER~',
  'TRN*2*BATCH77~',
  'STC*A1:19:PR*20260320*WQ*500.50~',
  'QTY*AA*1~',
  'AMT*YY*500.50~',
  'HL*3*2*19*1~',
  'NM1*85*2*DEMO CLINIC*****XX*1234567893~',
  'TRN*1*0~',
  'QTY*QC*1~',
  'AMT*YY*500.50~',
  'HL*4*3*PT~',
  'NM1*QC*1*MEMBER*****MI*MBR-1~',
  'TRN*2*CLM-42~',
  'STC*A7:562:85*20260320*U*500.50********NPI FAILS CHECK DIGIT~',
  'STC*A7:21*20260320*U~',
  'REF*1K*2026000000042~',
  'DTP*472*RD8*20260302-20260303~',
  'SVC*HC:99214*180.00~',
  'STC*A2:20*20260320*WQ~',
  'SE*28*0001~',
  'GE*1*41~',
  'IEA*1*000000041~',
].join('\n');

describe('277CA reader', () => {
  test('a rejected claim: statuses with category/status/entity, the claim id and the payer claim control number', () => {
    const ack = parse277ca(REJECTED);
    expect(ack.reference).toBe('BATCH77');
    expect(ack.claims).toEqual([
      {
        patientControlNumber: 'CLM-42',
        payerClaimControlNumber: '2026000000042',
        accepted: false,
        segmentIndex: 24,
        statuses: [
          { category: 'A7', statusCode: '562', entityCode: '85', actionCode: 'U', chargeCents: 50_050, message: 'NPI FAILS CHECK DIGIT' },
          { category: 'A7', statusCode: '21', actionCode: 'U' },
        ],
      },
    ]);
    expect(acknowledgmentFrom(undefined, ack, 'CLM-42')).toEqual({
      rejected: true,
      rejectedBy: '277CA',
      reason: '277CA A7:562:85 A7:21',
      claim: { accepted: false, payerClaimControlNumber: '2026000000042', statuses: [{ category: 'A7', statusCode: '562', entityCode: '85' }, { category: 'A7', statusCode: '21' }] },
    });
  });

  test('malformed input fails with the segment position', () => {
    const cases: [string, RegExp][] = [
      [REJECTED.replace('STC*A7:562:85', 'STC*:562:85'), /segment 24 STC\/STC01 @byte \d+: STC01-1 is not a claim status category code/],
      [REJECTED.replace('HL*4*3*PT', 'HL*4*3*ZZ'), /segment 21 HL\/HL03 .*HL03 ZZ is not a 277CA level/],
      [REJECTED.replace('TRN*2*CLM-42~\n', '').replace('SE*28', 'SE*27'), /segment 21 HL .*patient-level HL without TRN\*2 claim id/],
      [REJECTED.replace('ST*277*0001*005010X214', 'ST*277*0001*005010X212'), /segment 3 ST\/ST03 .*not the 277CA guide/],
      [REJECTED.replace('*WQ*500.50~\nQTY*AA', '*WQ*500.50~\nQTY*AA').replace('STC*A7:21*20260320*U~', 'STC*A7:21*20260320*U*5.001~'), /segment 25 STC\/STC04 .*not a monetary amount/],
      ['not x12 at all', /ISA|ST/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parse277ca(text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(X12ParseError);
      expect((error as Error).message).toMatch(message);
    }
  });

  test('property: whatever the emulator writes, the reader returns the claim, its statuses and its CCN', () => {
    const status = fc.record({ category: fc.constantFrom('A1', 'A2', 'A3', 'A7', 'A8'), statusCode: fc.constantFrom('19', '20', '21', '33', '164', '562'), entityCode: fc.option(fc.constantFrom('85', 'IL', 'QC', 'PR'), { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.array(status, { minLength: 1, maxLength: 3 }),
        fc.stringMatching(/^[A-Z0-9-]{1,20}$/),
        fc.stringMatching(/^[0-9]{5,15}$/),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.array(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { maxLength: 4 }),
        (statuses, claimId, ccn, chargeCents, serviceDates) => {
          const input: Ack277caInput = {
            ids: { senderId: 'SIMPAYER', receiverId: 'RCM', interchangeControlNumber: 9, groupControlNumber: 9, createdAt: new Date('2026-03-20T10:00:00Z') },
            stControl: '0009',
            reference: 'ACK1',
            payer: { id: 'SIMPAYER', name: 'Plan São Paulo' },
            submitter: { id: 'RCM', name: 'RCM' },
            billing: { npi: '1234567893', name: 'Clínica' },
            patient: { lastName: 'MEMBER', memberId: 'MBR-1' },
            claim: { patientControlNumber: claimId, chargeCents, serviceDates, receivedDate: '2026-03-20', payerClaimControlNumber: ccn, statuses: statuses.map((s) => ({ category: s.category, statusCode: s.statusCode, ...(s.entityCode ? { entityCode: s.entityCode } : {}) })) },
          };
          const ack = parse277ca(write277ca(input));
          expect(ack.claims).toHaveLength(1);
          const claim = ack.claims[0];
          expect(claim.patientControlNumber).toBe(claimId);
          expect(claim.payerClaimControlNumber).toBe(ccn);
          expect(claim.statuses.map((s) => [s.category, s.statusCode, s.entityCode])).toEqual(statuses.map((s) => [s.category, s.statusCode, s.entityCode]));
          expect(claim.statuses[0].chargeCents).toBe(chargeCents);
          const accepted = ['A1', 'A2'].includes(statuses[0].category);
          expect(claim.accepted).toBe(accepted);
          expect(acknowledgmentFrom(undefined, ack, claimId).rejected).toBe(!accepted);
        },
      ),
      { numRuns: 200 },
    );
  });
});
