import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { startPayerEmulator, type PayerEmulator } from '../../sim/payer';
import { createPayerActivities, createPayerClient, payerConfigFromEnv, type PayerActivities, type PayerClient, type SubmitClaimInput } from '../../src/activities/payer';
import { acknowledgmentFrom, acknowledgmentFromResponse } from '../../src/activities/payer/ack';
import { parse277ca } from '../../src/domain/x12/ack277ca';
import { parse999 } from '../../src/domain/x12/ack999';
import { parse835 } from '../../src/domain/x12';

/**
 * 999 and 277CA from the payer emulator over real HTTP, read by the product's parsers: an accepted claim (999 A,
 * 277CA A2:20 with a payer claim control number that the 835 then uses as CLP07), a rule-driven 277CA A7 rejection
 * corrected by a frequency-7 claim naming that number in REF*F8 and paid, and a rule-driven 999 R naming the
 * segment and element.
 */

let odoo: OdooEmulator;
let emu: PayerEmulator;
let client: PayerClient;
let payer: PayerActivities;

const claimInput = (claimId: string, over: Partial<SubmitClaimInput> = {}): SubmitClaimInput => ({
  claimId,
  payerId: 'SIMPAYER',
  frequencyCode: '1',
  memberRef: 'MBR-1001',
  serviceDate: '2026-03-02',
  lines: [{ code: '99214', modifiers: [], icd10: ['M54.50'], units: 1, chargeCents: 18_000 }],
  ...over,
});

async function text(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${emu.url}${url}`);
  return { status: res.status, body: await res.text() };
}

beforeAll(async () => {
  odoo = await startOdooEmulator();
  emu = await startPayerEmulator({ seed: 12 });
  client = createPayerClient(payerConfigFromEnv({ PAYER_BASE_URL: emu.url, ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key' }));
  payer = createPayerActivities(client);
});

afterAll(async () => {
  client?.close();
  await emu?.close();
  await odoo?.close();
});

describe('payer acknowledgments (999 + 277CA)', () => {
  test('accepted: 999 A, 277CA A2:20 with REF*1K, and the 835 pays under that claim control number', async () => {
    const ack = await payer.submitClaim(claimInput('CLM-ACK-1'));
    expect(ack.status).toBe('accepted');
    const claimAck = await text('/x12/277ca/CLM-ACK-1');
    expect(claimAck.status).toBe(200);
    const parsed = parse277ca(claimAck.body);
    expect(parsed.claims).toEqual([expect.objectContaining({ patientControlNumber: 'CLM-ACK-1', accepted: true, statuses: [expect.objectContaining({ category: 'A2', statusCode: '20', chargeCents: 18_000 })] })]);
    const ccn = parsed.claims[0].payerClaimControlNumber!;
    expect(ccn).toMatch(/^\d{13}$/);
    // The 999 is filed under the 837's GS06 (echoed in AK102); the emulator lists what it acknowledged.
    const group = emu.control.implementationAcks().at(-1)!.groupControlNumber;
    const ack999 = parse999((await text(`/x12/999/${group}`)).body);
    expect(ack999.groupControlNumber).toBe(group);
    expect(ack999).toMatchObject({ disposition: 'A', accepted: true });
    expect(acknowledgmentFrom(ack999, parsed, 'CLM-ACK-1')).toMatchObject({ rejected: false, claim: { accepted: true, payerClaimControlNumber: ccn } });

    const file = await emu.control.adjudicate('CLM-ACK-1');
    const remit = parse835(file!.content);
    const clp = remit.transactions[0].claims[0];
    expect(clp).toMatchObject({ patientControlNumber: 'CLM-ACK-1', payerClaimControlNumber: ccn });
  });

  test('277CA A7 rejection by rule → corrected claim (frequency 7, REF*F8 = the rejection CCN) accepted and paid', async () => {
    emu.control.rejectNextClaim({ category: 'A7', statusCode: '562', entityCode: '85', reason: 'billing provider NPI not enrolled' });
    const rejected = await payer.submitClaim(claimInput('CLM-ACK-2'));
    expect(rejected).toMatchObject({ status: 'rejected', errors: ['billing provider NPI not enrolled'] });
    const rejection = parse277ca((await text('/x12/277ca/CLM-ACK-2')).body);
    const summary = acknowledgmentFrom(undefined, rejection, 'CLM-ACK-2');
    expect(summary).toMatchObject({ rejected: true, rejectedBy: '277CA', reason: '277CA A7:562:85', claim: { accepted: false, statuses: [{ category: 'A7', statusCode: '562', entityCode: '85' }] } });
    expect(rejection.claims[0].statuses[0]).toMatchObject({ actionCode: 'U', message: 'BILLING PROVIDER NPI NOT ENROLLED' });
    expect((await payer.getClaimStatus({ claimId: 'CLM-ACK-2', payerId: 'SIMPAYER' })).statusCategory).toBe('A7');

    const ccn = summary.claim!.payerClaimControlNumber!;
    const corrected = await payer.submitClaim(claimInput('CLM-ACK-2', { frequencyCode: '7', payerClaimControlNumber: ccn }));
    expect(corrected.status).toBe('accepted');
    const accepted = parse277ca((await text('/x12/277ca/CLM-ACK-2')).body).claims[0];
    expect(accepted).toMatchObject({ accepted: true, statuses: [expect.objectContaining({ category: 'A2', statusCode: '20' })] });
    const remit = parse835((await emu.control.adjudicate('CLM-ACK-2'))!.content);
    const claim = remit.transactions[0].claims[0];
    expect(claim).toMatchObject({ patientControlNumber: 'CLM-ACK-2', payerClaimControlNumber: accepted.payerClaimControlNumber });
    expect(claim.paidCents).toBeGreaterThan(0);
  });

  test('999 R by rule: the transaction is rejected with IK3 segment/position and IK4 element/code; no 277CA', async () => {
    emu.control.rejectNextSyntax({ segmentId: 'CLM', element: 2, code: '6' });
    const rejected = await payer.submitClaim(claimInput('CLM-ACK-3'));
    expect(rejected.status).toBe('rejected');
    expect((await text('/x12/277ca/CLM-ACK-3')).status).toBe(404);
    // The JSON answer carries the 999 itself; read it the way the submit activity will (acknowledgmentFromResponse).
    const raw = await fetch(`${emu.url}/x12/837`, { method: 'POST', headers: { 'Content-Type': 'application/edi-x12' }, body: 'ISA*00*          *00*          *ZZ*RCM            *ZZ*SIMPAYER       *260302*1000*^*00501*000000777*0*P*:~GS*HC*RCM*SIMPAYER*20260302*1000*777*X*005010X222A1~ST*837*0001*005010X222A1~CLM*CLM-ACK-4*1O0.00***11:B:1~SE*3*0001~GE*1*777~IEA*1*000000777~' });
    const body = (await raw.json()) as { status: string; ack999: string; ack277ca?: string };
    expect(body.status).toBe('rejected');
    expect(body.ack277ca).toBeUndefined();
    const summary = acknowledgmentFromResponse(body, 'CLM-ACK-4');
    expect(summary).toMatchObject({ rejected: true, rejectedBy: '999', implementation: { disposition: 'R', groupControlNumber: '777' } });
    expect(summary!.implementation!.segmentErrors).toEqual(expect.arrayContaining([{ segmentId: 'CLM', position: 2, loopId: '2300', segmentCode: '8', element: 2, dataElementRef: '782', elementCode: '6' }]));
    expect(JSON.stringify(summary)).not.toContain('1O0.00');
    const fetched = parse999((await text('/x12/999/777')).body);
    expect(fetched.transactionSets[0]).toMatchObject({ controlNumber: '0001', disposition: 'R', accepted: false });
  });
});
