import fc from 'fast-check';
import { acknowledgmentFrom } from '../../src/activities/payer/ack';
import { parse999 } from '../../src/domain/x12/ack999';
import { X12ParseError } from '../../src/domain/x12/errors';
import { write999, type SegmentError } from '../../sim/payer/ack999Writer';

/**
 * 999 reader: a hand-written fixture (as a clearinghouse sends it), round trips through the emulator's independent
 * writer (property), and malformed input rejected with the segment position.
 */

// Rejected 837: CLM02 has an invalid character; the SE count is wrong too.
const REJECTED = [
  'ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*RCMSUBMITTER   *260320*1405*^*00501*000000031*0*P*:~',
  'GS*FA*CLEARINGHOUSE*RCMSUBMITTER*20260320*1405*31*X*005010X231A1~',
  'ST*999*0001*005010X231A1~',
  'AK1*HC*123456789*005010X222A1~',
  'AK2*837*0001*005010X222A1~',
  'IK3*CLM*22*2300*8~',
  'CTX*CLM01:CLM-42~',
  'IK4*2*782*6*5OO.00~',
  'IK3*NM1*9*2010BA*8~',
  'IK4*9:1*67*1~',
  'IK5*R*4*5~',
  'AK9*R*1*1*0~',
  'SE*11*0001~',
  'GE*1*31~',
  'IEA*1*000000031~',
].join('\n');

const ACCEPTED = 'ISA*00*          *00*          *ZZ*CH             *ZZ*RCM            *260320*1405*^*00501*000000032*0*P*:~ST*999*0002*005010X231A1~AK1*HC*77*005010X222A1~AK2*837*0077*005010X222A1~IK5*A~AK9*A*1*1*1~SE*6*0002~IEA*1*000000032~';

describe('999 reader', () => {
  test('a rejected transaction: IK3 segment + position + loop, IK4 element + component + code, IK5/AK9 R', () => {
    const ack = parse999(REJECTED);
    expect(ack).toMatchObject({ groupControlNumber: '123456789', groupVersion: '005010X222A1', disposition: 'R', accepted: false, counts: { included: 1, received: 1, accepted: 0 } });
    expect(ack.transactionSets).toEqual([
      {
        transactionSetId: '837',
        controlNumber: '0001',
        implementationReference: '005010X222A1',
        disposition: 'R',
        accepted: false,
        errorCodes: ['4', '5'],
        segmentErrors: [
          { segmentId: 'CLM', position: 22, loopId: '2300', code: '8', elementErrors: [{ position: 2, dataElementRef: '782', code: '6', badValue: '5OO.00' }] },
          { segmentId: 'NM1', position: 9, loopId: '2010BA', code: '8', elementErrors: [{ position: 9, component: 1, dataElementRef: '67', code: '1' }] },
        ],
      },
    ]);
    // The activity summary keeps codes and positions, never the copied-back value.
    const summary = acknowledgmentFrom(ack, undefined, 'CLM-42');
    expect(summary).toMatchObject({ rejected: true, rejectedBy: '999', reason: '999 R IK5 4,5 IK3 CLM#22 code 8 IK4 2 code 6' });
    expect(JSON.stringify(summary)).not.toContain('5OO');
  });

  test('an accepted transaction', () => {
    const ack = parse999(ACCEPTED);
    expect(ack).toMatchObject({ disposition: 'A', accepted: true, groupControlNumber: '77' });
    expect(ack.transactionSets[0]).toMatchObject({ disposition: 'A', accepted: true, errorCodes: [], segmentErrors: [] });
    expect(acknowledgmentFrom(ack, undefined, 'X')).toEqual({ rejected: false, implementation: { disposition: 'A', groupControlNumber: '77', errorCodes: [], segmentErrors: [] } });
  });

  test('malformed input fails with the segment position', () => {
    const cases: [string, RegExp][] = [
      [REJECTED.replace('IK3*CLM*22*2300*8~', 'IK3*CLM*twenty*2300*8~'), /segment 6 IK3\/IK302 @byte \d+: must be a positive integer/],
      [REJECTED.replace('IK5*R*4*5~', 'IK5*Q*4*5~'), /segment 11 IK5\/IK501 .*IK501 Q is not/],
      [REJECTED.replace('AK2*837*0001*005010X222A1~\n', '').replace('SE*11', 'SE*10'), /segment 5 IK3 .*IK3 outside an AK2 loop/],
      [REJECTED.replace('SE*11*0001', 'SE*13*0001'), /segment 13 SE\/SE01 @byte \d+: SE01 13 but the set has 11 segments/],
      [REJECTED.replace('ST*999', 'ST*997'), /segment 3 ST\/ST01 .*not a 999/],
      [REJECTED.replace('AK9*R*1*1*0~\n', '').replace('SE*11', 'SE*10'), /999 has no AK9/],
      [REJECTED.replace('IK4*2*782*6*5OO.00~', 'IK4*2*782**5OO.00~'), /segment 8 IK4\/IK403 .*IK403 is required/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parse999(text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(X12ParseError);
      expect((error as Error).message).toMatch(message);
    }
  });

  test('property: whatever the emulator writes, the reader reads back the same errors and disposition', () => {
    const segId = fc.constantFrom('CLM', 'NM1', 'SV1', 'DTP', 'HI', 'REF', 'N4');
    const elementError = fc.record({ position: fc.integer({ min: 1, max: 30 }), code: fc.constantFrom('1', '2', '6', '7', '8', 'I12'), dataElementRef: fc.option(fc.constantFrom('782', '1250', '67'), { nil: undefined }), badValue: fc.option(fc.stringMatching(/^[A-Z0-9.-]{1,20}$/), { nil: undefined }) });
    const segmentError = fc.record({ segmentId: segId, position: fc.integer({ min: 2, max: 9999 }), loopId: fc.option(fc.constantFrom('2300', '2400', '2010BA'), { nil: undefined }), code: fc.constantFrom('3', '8', 'I4'), elements: fc.array(elementError, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(segmentError, { maxLength: 5 }), fc.constantFrom('A', 'E', 'R' as const), fc.integer({ min: 1, max: 999_999_999 }), (errors, disposition, gs06) => {
        const text = write999({
          ids: { senderId: 'SIMPAYER', receiverId: 'RCM', interchangeControlNumber: 5, groupControlNumber: 5, createdAt: new Date('2026-03-20T10:00:00Z') },
          stControl: '0005',
          groupControlNumber: String(gs06),
          groupVersion: '005010X222A1',
          transactionSetId: '837',
          transactionControlNumber: '0001',
          implementationReference: '005010X222A1',
          disposition,
          transactionErrorCodes: disposition === 'A' ? [] : ['5'],
          segmentErrors: errors.map((e) => ({ ...e, elements: e.elements.map(({ dataElementRef, badValue, ...rest }) => ({ ...rest, ...(dataElementRef ? { dataElementRef } : {}), ...(badValue ? { badValue } : {}) })) })) as SegmentError[],
        });
        const ack = parse999(text);
        expect(ack.groupControlNumber).toBe(String(gs06));
        expect(ack.disposition).toBe(disposition);
        expect(ack.accepted).toBe(disposition !== 'R');
        const set = ack.transactionSets[0];
        expect(set.segmentErrors.map((s) => [s.segmentId, s.position, s.loopId, s.code, s.elementErrors.map((el) => [el.position, el.code, el.dataElementRef, el.badValue])])).toEqual(
          errors.map((e) => [e.segmentId, e.position, e.loopId, e.code, e.elements.map((el) => [el.position, el.code, el.dataElementRef, el.badValue])]),
        );
        expect(acknowledgmentFrom(ack, undefined, 'C').rejected).toBe(disposition === 'R' || (disposition === 'E' && (errors.length > 0 || set.errorCodes.length > 0)));
      }),
      { numRuns: 200 },
    );
  });
});
