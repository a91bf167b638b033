import { startOdooEmulator, type OdooEmulator } from '../../sim/odoo';
import { createOdooActivities, createOdooClient, type OdooActivities, type OdooClient } from '../../src/activities/odoo';
import type { JourneyLedger } from '../../src/workflows/journeyState';
import { expectLedgerMatchesOdoo } from '../support/ledgerInvariant';

/**
 * The ledger invariant itself: money written through the production Odoo activities over real HTTP, then compared
 * with a hand-built JourneyLedger. It must pass when they agree and name each difference when they do not — an
 * invariant that cannot fail proves nothing.
 */
describe.each([
  ['jsonrpc', '17.0'],
  ['json2', '19.0'],
] as const)('ledger invariant against the Odoo emulator over %s (Odoo %s)', (protocol, version) => {
  let emu: OdooEmulator;
  let client: OdooClient;
  let odoo: OdooActivities;
  let seq = 0;

  beforeAll(async () => {
    emu = await startOdooEmulator({ version });
    client = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol });
    odoo = createOdooActivities(client);
  });
  afterAll(async () => {
    client?.close();
    await emu?.close();
  });

  const failureOf = async (ledger: JourneyLedger): Promise<string> => {
    const err = await expectLedgerMatchesOdoo(ledger, emu).then(
      () => undefined,
      (e: Error) => e,
    );
    if (!err) throw new Error('expected the ledger invariant to fail');
    return err.message;
  };

  /**
   * A journey's money as the product writes it: invoice 1,200.00 under the first claim id, payer payment 800.00,
   * contractual credit 200.00, patient payment 100.00 → 100.00 open. Returns the ledger the journey should hold.
   */
  async function journeyWithMoney(): Promise<JourneyLedger> {
    const n = ++seq;
    const claim = `RCLEDGER${protocol}${n}A`;
    const second = `RCLEDGER${protocol}${n}B`;
    const { partnerId } = await odoo.upsertPatientPartner({ patientRef: `PT-LEDGER-${protocol}-${n}`, siteId: 'site-a' });
    const { invoiceId } = await odoo.createDraftInvoice({ claimId: claim, partnerId, journeyId: `referral/site-a/L${n}`, lines: [{ code: '99214', description: 'office visit', quantity: 1, priceCents: 120_000 }] });
    await odoo.postInvoice({ invoiceId });
    const payerMemo = `EFT${n}/${claim}`;
    const creditKey = `EFT${n}|${claim}|CCN${n}|1/CO`;
    const patientMemo = `${claim}/patient/pay-${n}`;
    await odoo.registerPayment({ invoiceId, amountCents: 80_000, memo: payerMemo, date: '2026-03-02' });
    await odoo.createCreditNote({ invoiceId, amountCents: 20_000, reason: 'contractual adjustment (CAS CO)', key: creditKey });
    await odoo.registerPayment({ invoiceId, amountCents: 10_000, memo: patientMemo, date: '2026-03-03' });
    return {
      invoiceId,
      chargeCents: 120_000,
      paidCents: 80_000,
      patientPaidCents: 10_000,
      adjustedCents: 20_000,
      writtenOffCents: 0,
      balanceCents: 10_000,
      // the second claim (e.g. a corrected claim after CO-16) reuses the first claim's invoice
      claimIds: [claim, second],
      payments: [
        { memo: payerMemo, amountCents: 80_000, source: 'payer' },
        { memo: patientMemo, amountCents: 10_000, source: 'patient' },
      ],
      credits: [{ key: creditKey, amountCents: 20_000, kind: 'contractual' }],
    };
  }

  it('passes when the ledger is what Odoo holds (as a ledger or as a status carrying it)', async () => {
    const ledger = await journeyWithMoney();
    await expectLedgerMatchesOdoo(ledger, emu);
    await expectLedgerMatchesOdoo({ ledger }, emu);
  });

  it('fails on a posted payment the journey does not know', async () => {
    const ledger = await journeyWithMoney();
    const stray = `EFT-STRAY/${ledger.claimIds[0]}`;
    await odoo.registerPayment({ invoiceId: ledger.invoiceId!, amountCents: 5_000, memo: stray, date: '2026-03-04' });
    const message = await failureOf(ledger);
    expect(message).toContain(`posted payment the journey does not know`);
    expect(message).toContain(`memo ${stray} amount 5000`);
    expect(message).toContain('payer payments: Odoo 85000, ledger paidCents 80000');
    expect(message).toContain(`residual: Odoo 5000, ledger balanceCents 10000`);
  });

  it('fails on a second invoice for another claim id of the same journey', async () => {
    const ledger = await journeyWithMoney();
    const [partner] = emu.store.search('account.move', [['id', '=', ledger.invoiceId!]], ['partner_id']) as { partner_id: [number, string] }[];
    const { invoiceId } = await odoo.createDraftInvoice({ claimId: ledger.claimIds[1], partnerId: partner.partner_id[0], journeyId: 'referral/site-a/dup', lines: [{ code: '99214', description: 'office visit', quantity: 1, priceCents: 120_000 }] });
    await odoo.postInvoice({ invoiceId });
    const message = await failureOf(ledger);
    expect(message).toContain(`2 live invoices for claims ${ledger.claimIds.join(', ')}`);
    expect(message).toContain(`${invoiceId}`);
  });

  it('fails when an amount differs, naming the payment, the credit note and the totals', async () => {
    const ledger = await journeyWithMoney();
    const wrongPayment = { ...ledger, payments: [{ ...ledger.payments[0], amountCents: 70_000 }, ledger.payments[1]], paidCents: 70_000, balanceCents: 20_000 };
    const paymentMessage = await failureOf(wrongPayment);
    expect(paymentMessage).toContain(`payment ${ledger.payments[0].memo}: Odoo 80000, ledger 70000`);
    expect(paymentMessage).toContain('payer payments: Odoo 80000, ledger paidCents 70000');
    expect(paymentMessage).toContain('residual: Odoo 10000, ledger balanceCents 20000');

    const wrongCredit = { ...ledger, credits: [{ ...ledger.credits[0], amountCents: 25_000 }], adjustedCents: 25_000, balanceCents: 5_000 };
    expect(await failureOf(wrongCredit)).toContain(`credit note ${ledger.credits[0].key}: Odoo 20000, ledger 25000`);

    const wrongCharge = { ...ledger, chargeCents: 130_000 };
    const chargeMessage = await failureOf(wrongCharge);
    expect(chargeMessage).toContain(`invoice ${ledger.invoiceId} total: Odoo 120000, ledger chargeCents 130000`);
    expect(chargeMessage).toContain('= 20000, but balanceCents is 10000'); // the ledger's own arithmetic
  });

  it('fails on money the ledger has and Odoo does not, and on an unknown credit note', async () => {
    const ledger = await journeyWithMoney();
    const phantom = { ...ledger, payments: [...ledger.payments, { memo: `${ledger.claimIds[0]}/patient/never`, amountCents: 1_000, source: 'patient' as const }], patientPaidCents: 11_000, balanceCents: 9_000 };
    expect(await failureOf(phantom)).toContain(`no posted payment with memo ${ledger.claimIds[0]}/patient/never`);

    const writeOffKey = `${ledger.claimIds[0]}/write-off`;
    await odoo.createCreditNote({ invoiceId: ledger.invoiceId!, amountCents: 10_000, reason: 'uncollectible', key: writeOffKey });
    const message = await failureOf(ledger);
    expect(message).toContain(`credit note the journey does not know`);
    expect(message).toContain(`ref ${writeOffKey} amount 10000`);
    await expectLedgerMatchesOdoo({ ...ledger, credits: [...ledger.credits, { key: writeOffKey, amountCents: 10_000, kind: 'write_off' }], writtenOffCents: 10_000, balanceCents: 0 }, emu);
  });

  it('a cancelled journey: a voided draft is fine, a posted receivable the ledger does not have is not', async () => {
    const n = ++seq;
    const claim = `RCVOID${protocol}${n}`;
    const { partnerId } = await odoo.upsertPatientPartner({ patientRef: `PT-VOID-${protocol}-${n}`, siteId: 'site-a' });
    const lines = [{ code: '99213', description: 'office visit', quantity: 1, priceCents: 20_000 }];
    const { invoiceId } = await odoo.createDraftInvoice({ claimId: claim, partnerId, journeyId: `referral/site-a/V${n}`, lines });
    await odoo.voidDraftInvoice({ invoiceId });
    const cancelled: JourneyLedger = { invoiceId, chargeCents: 0, paidCents: 0, patientPaidCents: 0, adjustedCents: 0, writtenOffCents: 0, balanceCents: 0, claimIds: [claim], payments: [], credits: [] };
    await expectLedgerMatchesOdoo(cancelled, emu);

    const posted = `RCPOSTED${protocol}${n}`;
    const other = await odoo.createDraftInvoice({ claimId: posted, partnerId, journeyId: `referral/site-a/P${n}`, lines });
    await odoo.postInvoice({ invoiceId: other.invoiceId });
    const message = await failureOf({ ...cancelled, invoiceId: undefined, claimIds: [posted] });
    expect(message).toContain(`invoice ${other.invoiceId} is posted (total 20000) but the ledger has no receivable`);
  });
});
