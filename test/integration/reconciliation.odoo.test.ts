import { OdooEmulator, startOdooEmulator } from '../../sim/odoo';
import { FailureType } from '../../src/activities/errors';
import { createOdooActivities, createOdooClient, createOdooReconciliationActivities, type OdooActivities, type OdooClient, type OdooReconciliationActivities } from '../../src/activities/odoo';
import { parsePayerMemo } from '../../src/activities/odoo/reconciliationTotals';
import { failureOf } from '../support/failures';

/**
 * The reconciliation's Odoo aggregates against the emulator over HTTP, for JSON-RPC (Odoo 17, memo in `ref`) and
 * JSON-2 (Odoo 19, memo in `memo`), with a page size of 2 so every read pages.
 */
describe.each([
  ['jsonrpc', '17.0'],
  ['json2', '19.0'],
] as const)('reconciliation Odoo aggregates over %s (Odoo %s)', (protocol, version) => {
  let emu: OdooEmulator;
  let client: OdooClient;
  let acts: OdooActivities;
  let recon: OdooReconciliationActivities;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    emu = await startOdooEmulator({ version });
    client = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol, timeoutMs: 5000 });
    acts = createOdooActivities(client);
    recon = createOdooReconciliationActivities(client, { pageSize: 2 });
  });
  afterAll(async () => {
    client?.close();
    await emu?.close();
  });

  async function postedInvoice(claimId: string): Promise<number> {
    const { partnerId } = await acts.upsertPatientPartner({ patientRef: 'PT-AGG-1', siteId: 'site-a' });
    const { invoiceId } = await acts.createDraftInvoice({ claimId, partnerId, journeyId: `referral/site-a/${claimId}`, lines: [{ code: '99213', description: '99213', quantity: 1, priceCents: 50_000 }] });
    await acts.postInvoice({ invoiceId });
    return invoiceId;
  }

  it('sums payer payments per claim family and per deposit trace; patient payments and look-alike families stay out', async () => {
    const stem = `RC${Date.now().toString(36).toUpperCase()}${protocol === 'json2' ? 'J' : 'R'}`;
    const family = stem;
    const lookalike = `${stem}Z`; // a different journey whose stem extends ours
    const trace = `EFT${stem}`;
    const other = `CHK${stem}`;
    const inv = await postedInvoice(`${family}-1`); // the invoice keeps the attempt-1 claim id
    const invLook = await postedInvoice(`${lookalike}-1`);
    await acts.registerPayment({ invoiceId: inv, amountCents: 1_000, memo: `${trace}/${family}-1`, date: today });
    await acts.registerPayment({ invoiceId: inv, amountCents: 2_500, memo: `${trace}/${family}-2`, date: today }); // resubmission, same deposit
    await acts.registerPayment({ invoiceId: inv, amountCents: 300, memo: `${other}/${family}-2`, date: today });
    await acts.registerPayment({ invoiceId: inv, amountCents: 99, memo: `${family}-1/patient/MSG1`, date: today });
    await acts.registerPayment({ invoiceId: invLook, amountCents: 4_000, memo: `${trace}/${lookalike}-1`, date: today });

    const families = await recon.odooClaimFamilyTotals({ families: [family, 'RC-NEVER-INVOICED'] });
    expect(families).toEqual([
      { family, invoiced: true, byTrace: expect.arrayContaining([{ traceNumber: trace, registeredCents: 3_500 }, { traceNumber: other, registeredCents: 300 }]) },
      { family: 'RC-NEVER-INVOICED', invoiced: false, byTrace: [] },
    ]);
    expect(families[0].byTrace).toHaveLength(2);
    expect(await recon.odooClaimFamilyTotals({ families: [lookalike] })).toEqual([{ family: lookalike, invoiced: true, byTrace: [{ traceNumber: trace, registeredCents: 4_000 }] }]);

    expect(await recon.odooDepositTotals({ traces: [trace, other, `NONE${stem}`] })).toEqual([
      { traceNumber: trace, registeredCents: 7_500, payments: 3 },
      { traceNumber: other, registeredCents: 300, payments: 1 },
      { traceNumber: `NONE${stem}`, registeredCents: 0, payments: 0 },
    ]);
  });

  it('rejects unbounded or odd input as a non-retryable ValidationError', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `RC${i}`);
    expect((await failureOf(recon.odooClaimFamilyTotals({ families: many }))).type).toBe(FailureType.Validation);
    expect((await failureOf(recon.odooDepositTotals({ traces: ['x'.repeat(81)] }))).nonRetryable).toBe(true);
  });
});

describe('parsePayerMemo', () => {
  it('reads <TRN02>/<CLP01> and ignores patient payments and other memos', () => {
    expect(parsePayerMemo('EFT1/RCABC-2')).toEqual({ traceNumber: 'EFT1', claimId: 'RCABC-2' });
    expect(parsePayerMemo('A/B/RCABC-2')).toEqual({ traceNumber: 'A/B', claimId: 'RCABC-2' });
    expect(parsePayerMemo('RCABC-1/patient/M1')).toBeUndefined();
    for (const memo of ['RCABC-1', '/RCABC-1', 'EFT1/', false, null]) expect(parsePayerMemo(memo)).toBeUndefined();
  });
});
