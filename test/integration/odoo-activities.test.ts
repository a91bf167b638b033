/**
 * Odoo activities against the emulator over real HTTP, for JSON-RPC (Odoo 17) and JSON-2 (Odoo 19):
 * business behaviour, and idempotency — each create run twice, and once after a timeout where Odoo had
 * already committed, leaves exactly one record.
 */
import { OdooEmulator, startOdooEmulator } from '../../sim/odoo';
import { FailureType } from '../../src/activities/errors';
import { OdooActivities, OdooClient, createOdooActivities, createOdooClient } from '../../src/activities/odoo';
import { failureOf } from '../support/failures';


const MODES = [
  ['jsonrpc', '17.0'],
  ['json2', '19.0'],
] as const;

describe.each(MODES)('Odoo activities over %s (Odoo %s)', (protocol, version) => {
  let emu: OdooEmulator;
  let client: OdooClient;
  let impatient: OdooClient;
  let acts: OdooActivities;
  /** Same activities over a client with a short timeout, to observe timeouts after commit. */
  let actsShortTimeout: OdooActivities;
  let seq = 0;
  const uniq = (p: string) => `${p}-${protocol}-${++seq}`;
  const memoField = version === '17.0' ? 'ref' : 'memo';

  beforeAll(async () => {
    emu = await startOdooEmulator({ version });
    const cfg = { url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol } as const;
    client = createOdooClient({ ...cfg, timeoutMs: 5000 });
    impatient = createOdooClient({ ...cfg, timeoutMs: 400 });
    acts = createOdooActivities(client, { pageSize: 3 });
    actsShortTimeout = createOdooActivities(impatient);
  });

  afterAll(async () => {
    client?.close();
    impatient?.close();
    await emu?.close();
  });

  afterEach(() => emu.faults.clear());

  async function postedInvoice(priceCents = 10_000, quantity = 1): Promise<{ partnerId: number; invoiceId: number; claimId: string }> {
    const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 'site-1' });
    const claimId = uniq('CLM');
    const { invoiceId } = await acts.createDraftInvoice({
      claimId,
      partnerId,
      journeyId: uniq('J'),
      lines: [{ code: '99213', description: 'Office visit', quantity, priceCents }],
    });
    await acts.postInvoice({ invoiceId });
    return { partnerId, invoiceId, claimId };
  }

  // ------------------------------------------------------------------------------------------ idempotency

  interface Case {
    name: string;
    /** Everything the call needs that must exist beforehand; returns the call. */
    prepare: () => Promise<(a: OdooActivities) => Promise<Record<string, unknown>>>;
    /** The model/method whose commit is followed by a dropped response. */
    target: { model?: string; method: string };
    /** Records carrying the business key of the last prepared call. */
    count: () => number;
    idOf: (out: Record<string, unknown>) => unknown;
  }

  let last: Record<string, any> = {};
  const cases: Case[] = [
    {
      name: 'upsertPatientPartner',
      prepare: async () => {
        last = { patientRef: uniq('MRN') };
        return (a) => a.upsertPatientPartner({ patientRef: last.patientRef, siteId: 'site-1' }) as any;
      },
      target: { model: 'res.partner', method: 'create' },
      count: () => emu.store.count('res.partner', [['ref', '=', last.patientRef]]),
      idOf: (o) => o.partnerId,
    },
    {
      name: 'createIntakeTask',
      prepare: async () => {
        last = { journeyId: uniq('referral/site-1/R') };
        return (a) => a.createIntakeTask({ journeyId: last.journeyId, siteId: 'site-1', referralId: 'R-1', checklist: ['Referral letter', 'Insurance card <front & back>'] }) as any;
      },
      target: { model: 'project.task', method: 'create' },
      count: () => emu.store.count('project.task', [['name', '=', `[${last.journeyId}] Intake`]]),
      idOf: (o) => o.taskId,
    },
    {
      name: 'createDraftInvoice',
      prepare: async () => {
        const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 'site-1' });
        last = { claimId: uniq('CLM') };
        return (a) =>
          a.createDraftInvoice({
            claimId: last.claimId,
            partnerId,
            journeyId: 'J-1',
            lines: [
              { code: '99213', description: 'Office visit', quantity: 1, priceCents: 12_345 },
              { code: '81002', description: 'Urinalysis', quantity: 3, priceCents: 1_001 },
            ],
          }) as any;
      },
      target: { model: 'account.move', method: 'create' },
      count: () => emu.store.count('account.move', [['move_type', '=', 'out_invoice'], ['ref', '=', last.claimId]]),
      idOf: (o) => o.invoiceId,
    },
    {
      name: 'registerPayment',
      prepare: async () => {
        const { invoiceId, claimId } = await postedInvoice(20_000);
        last = { memo: `TRN${seq}/${claimId}`, invoiceId };
        return (a) => a.registerPayment({ invoiceId, amountCents: 5_000, memo: last.memo, date: '2026-03-02' }) as any;
      },
      target: { model: 'account.payment.register', method: 'action_create_payments' },
      count: () => emu.store.count('account.payment', [[memoField, '=', last.memo]]),
      idOf: (o) => o.paymentId,
    },
    {
      name: 'createCreditNote (partial write-off)',
      prepare: async () => {
        const { invoiceId } = await postedInvoice(20_000);
        last = { key: uniq('WO'), invoiceId };
        return (a) => a.createCreditNote({ invoiceId, amountCents: 1_234, reason: 'Small balance write-off', key: last.key }) as any;
      },
      target: { model: 'account.move', method: 'create' },
      count: () => emu.store.count('account.move', [['move_type', '=', 'out_refund'], ['reversed_entry_id', '=', last.invoiceId]]),
      idOf: (o) => o.creditNoteId,
    },
    {
      name: 'createCreditNote (full reversal)',
      prepare: async () => {
        const { invoiceId } = await postedInvoice(7_500, 2);
        last = { key: uniq('REV'), invoiceId };
        return (a) => a.createCreditNote({ invoiceId, amountCents: 15_000, reason: 'Claim voided', key: last.key }) as any;
      },
      target: { model: 'account.move.reversal', method: 'refund_moves' },
      count: () => emu.store.count('account.move', [['move_type', '=', 'out_refund'], ['reversed_entry_id', '=', last.invoiceId]]),
      idOf: (o) => o.creditNoteId,
    },
    {
      name: 'scheduleActivity',
      prepare: async () => {
        const { invoiceId } = await postedInvoice();
        last = { summary: uniq('Follow up denial'), invoiceId };
        return (a) =>
          a.scheduleActivity({ journeyId: 'J-1', resModel: 'account.move', resId: invoiceId, summary: last.summary, note: 'CARC 16: missing info', deadline: '2026-04-01' }) as any;
      },
      target: { model: 'mail.activity', method: 'create' },
      count: () => emu.store.count('mail.activity', [['res_id', '=', last.invoiceId], ['summary', '=', last.summary]]),
      idOf: (o) => o.activityId,
    },
    {
      name: 'openTicket',
      prepare: async () => {
        last = { journeyId: uniq('J') };
        return (a) => a.openTicket({ journeyId: last.journeyId, queue: 'denials', title: 'CO-197 precert missing', description: 'Route to PA team', priority: 'high' }) as any;
      },
      target: { model: 'helpdesk.ticket', method: 'create' },
      count: () => emu.store.count('helpdesk.ticket', [['name', '=like', `[${last.journeyId}] %`]]),
      idOf: (o) => o.ticketId,
    },
    {
      name: 'mirrorApproval',
      prepare: async () => {
        last = { journeyId: uniq('J') };
        return (a) => a.mirrorApproval({ journeyId: last.journeyId, kind: 'write-off', amountCents: 2_500, requesterId: 'user-17', status: 'pending' }) as any;
      },
      target: { model: 'approval.request', method: 'create' },
      count: () => emu.store.count('approval.request', [['name', '=', `[${last.journeyId}] write-off`]]),
      idOf: (o) => o.approvalId,
    },
    {
      name: 'attachDocument',
      prepare: async () => {
        const { invoiceId } = await postedInvoice();
        last = { name: `${uniq('eob')}.pdf`, invoiceId };
        return (a) =>
          a.attachDocument({ resModel: 'account.move', resId: invoiceId, name: last.name, mimetype: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 test').toString('base64') }) as any;
      },
      target: { model: 'ir.attachment', method: 'create' },
      count: () => emu.store.count('ir.attachment', [['res_model', '=', 'account.move'], ['res_id', '=', last.invoiceId], ['name', '=', last.name]]),
      idOf: (o) => o.attachmentId,
    },
    {
      name: 'postChatter',
      prepare: async () => {
        const { invoiceId } = await postedInvoice();
        last = { key: uniq('timeline_evt'), invoiceId };
        return (a) => a.postChatter({ resModel: 'account.move', resId: invoiceId, body: 'Stage 8: claim submitted <837P>', key: last.key }) as any;
      },
      target: { model: 'account.move', method: 'message_post' },
      count: () => emu.store.count('mail.message', [['model', '=', 'account.move'], ['res_id', '=', last.invoiceId], ['body', 'like', `[rcm:${last.key}]`]]),
      idOf: (o) => o.messageId,
    },
  ];

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('run twice → one record, same id', async () => {
      const call = await c.prepare();
      const first = await call(acts);
      const second = await call(acts);
      expect(c.idOf(second)).toBe(c.idOf(first));
      expect(c.count()).toBe(1);
    });

    it('timeout after commit, then retried → one record', async () => {
      const call = await c.prepare();
      emu.faults.set({ afterCommitTimeoutRate: 1, match: c.target, afterCommitMode: 'hang' });
      const f = await failureOf(call(actsShortTimeout));
      expect(f.type).toBe(FailureType.Timeout);
      expect(f.nonRetryable).toBe(false);
      expect(emu.stats().faults.afterCommit).toBeGreaterThan(0);
      emu.faults.clear();
      expect(c.count()).toBe(1); // Odoo committed although the caller saw a timeout
      const retried = await call(acts);
      expect(c.count()).toBe(1);
      expect(c.idOf(retried)).toEqual(expect.any(Number));
    });

    it('connection reset after commit, then retried → one record', async () => {
      const call = await c.prepare();
      emu.faults.set({ afterCommitTimeoutRate: 1, match: c.target, afterCommitMode: 'reset' });
      const f = await failureOf(call(acts));
      expect(f.nonRetryable).toBe(false);
      emu.faults.clear();
      await call(acts);
      expect(c.count()).toBe(1);
    });
  });

  // ------------------------------------------------------------------------------------------ behaviour

  it('createDraftInvoice converts cents at the boundary and returns the Odoo total', async () => {
    const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 'site-1' });
    const out = await acts.createDraftInvoice({
      claimId: uniq('CLM'),
      partnerId,
      journeyId: 'J-1',
      lines: [
        { code: '99214', description: 'Visit', quantity: 1, priceCents: 19_999 },
        { code: '36415', description: 'Venipuncture', quantity: 3, priceCents: 333 },
      ],
    });
    expect(out).toEqual({ invoiceId: expect.any(Number), state: 'draft', amountTotalCents: 19_999 + 999 });
    const [line] = emu.store.search('account.move.line', [['move_id', '=', out.invoiceId]], ['price_unit', 'name']);
    expect(line).toMatchObject({ price_unit: 199.99, name: '99214 Visit' });
  });

  it('createDraftInvoice for an unknown partner is a non-retryable ValidationError', async () => {
    const f = await failureOf(acts.createDraftInvoice({ claimId: uniq('CLM'), partnerId: 888_888, journeyId: 'J', lines: [{ code: '99213', description: 'x', quantity: 1, priceCents: 100 }] }));
    expect(f.type).toBe(FailureType.Validation);
    expect(f.nonRetryable).toBe(true);
  });

  it('postInvoice is idempotent; voidDraftInvoice cancels drafts and leaves posted invoices alone', async () => {
    const { invoiceId } = await postedInvoice();
    expect(await acts.postInvoice({ invoiceId })).toEqual({ state: 'posted' });
    expect(await acts.voidDraftInvoice({ invoiceId })).toEqual({ state: 'posted', voided: false });
    expect(emu.store.get('account.move', invoiceId)).toMatchObject({ state: 'posted' });

    const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 's' });
    const draft = await acts.createDraftInvoice({ claimId: uniq('CLM'), partnerId, journeyId: 'J', lines: [{ code: '99213', description: 'x', quantity: 1, priceCents: 100 }] });
    expect(await acts.voidDraftInvoice({ invoiceId: draft.invoiceId })).toEqual({ state: 'cancel', voided: true });
    expect(await acts.voidDraftInvoice({ invoiceId: draft.invoiceId })).toEqual({ state: 'cancel', voided: true });
    const f = await failureOf(acts.postInvoice({ invoiceId: draft.invoiceId }));
    expect(f.type).toBe(FailureType.Validation);
    expect((await failureOf(acts.postInvoice({ invoiceId: 777_777 }))).type).toBe(FailureType.NotFound);
  });

  it('postInvoice after a timeout-after-commit finds the invoice posted', async () => {
    const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 's' });
    const { invoiceId } = await acts.createDraftInvoice({ claimId: uniq('CLM'), partnerId, journeyId: 'J', lines: [{ code: '99213', description: 'x', quantity: 1, priceCents: 100 }] });
    emu.faults.set({ afterCommitTimeoutRate: 1, match: { model: 'account.move', method: 'action_post' } });
    expect((await failureOf(actsShortTimeout.postInvoice({ invoiceId }))).type).toBe(FailureType.Timeout);
    emu.faults.clear();
    expect(await acts.postInvoice({ invoiceId })).toEqual({ state: 'posted' });
    expect(emu.store.count('account.move', [['id', '=', invoiceId], ['name', '=like', 'INV/%']])).toBe(1);
  });

  it('registerPayment: partial then full, with residual in cents; draft invoices are refused', async () => {
    const { invoiceId, claimId } = await postedInvoice(15_050);
    const p1 = await acts.registerPayment({ invoiceId, amountCents: 10_025, memo: `EFT1/${claimId}`, date: '2026-03-02' });
    expect(p1).toEqual({ paymentId: expect.any(Number), paymentState: 'partial', residualCents: 5_025 });
    const p2 = await acts.registerPayment({ invoiceId, amountCents: 5_025, memo: `EFT2/${claimId}`, date: '2026-03-03' });
    expect(p2).toMatchObject({ paymentState: 'paid', residualCents: 0 });
    expect(p2.paymentId).not.toBe(p1.paymentId);
    // the first one again (e.g. a duplicate 835) returns the same payment and the current state
    expect(await acts.registerPayment({ invoiceId, amountCents: 10_025, memo: `EFT1/${claimId}`, date: '2026-03-02' })).toEqual({ paymentId: p1.paymentId, paymentState: 'paid', residualCents: 0 });
    expect(emu.store.search('account.payment', [['id', '=', p1.paymentId]], ['amount', 'reconciled_invoice_ids'])[0]).toMatchObject({ amount: 100.25, reconciled_invoice_ids: [invoiceId] });

    const { partnerId } = await acts.upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 's' });
    const draft = await acts.createDraftInvoice({ claimId: uniq('CLM'), partnerId, journeyId: 'J', lines: [{ code: '99213', description: 'x', quantity: 1, priceCents: 100 }] });
    const f = await failureOf(acts.registerPayment({ invoiceId: draft.invoiceId, amountCents: 100, memo: 'EFT9/x', date: '2026-03-02' }));
    expect(f.type).toBe(FailureType.Validation);
    expect(f.nonRetryable).toBe(true);
  });

  it('createCreditNote: full reversal marks the invoice reversed; partial reduces the residual; too much is refused', async () => {
    const full = await postedInvoice(4_000, 2);
    const { creditNoteId } = await acts.createCreditNote({ invoiceId: full.invoiceId, amountCents: 8_000, reason: 'Duplicate claim', key: uniq('REV') });
    const note = emu.store.get('account.move', creditNoteId)!;
    expect(note).toMatchObject({ move_type: 'out_refund', state: 'posted', reversed_entry_id: [full.invoiceId, expect.any(String)], amount_total: 80 });
    expect(emu.store.get('account.move', full.invoiceId)).toMatchObject({ payment_state: 'reversed', amount_residual: 0 });

    const partial = await postedInvoice(10_000);
    await acts.registerPayment({ invoiceId: partial.invoiceId, amountCents: 9_000, memo: `EFT/${partial.claimId}`, date: '2026-03-02' });
    const key = uniq('WO');
    await acts.createCreditNote({ invoiceId: partial.invoiceId, amountCents: 1_000, reason: 'Small balance', key });
    expect(emu.store.get('account.move', partial.invoiceId)).toMatchObject({ amount_residual: 0, payment_state: 'paid' });
    expect(emu.store.count('account.move', [['ref', '=', key], ['state', '=', 'posted']])).toBe(1);

    const big = await postedInvoice(1_000);
    const f = await failureOf(acts.createCreditNote({ invoiceId: big.invoiceId, amountCents: 1_001, reason: 'x', key: uniq('WO') }));
    expect(f.type).toBe(FailureType.Validation);
  });

  it('a business key reused for another invoice is a ValidationError, not the other record', async () => {
    const a = await postedInvoice(5_000);
    const b = await postedInvoice(5_000);
    const memo = `DUP/${a.claimId}`;
    await acts.registerPayment({ invoiceId: a.invoiceId, amountCents: 100, memo, date: '2026-03-02' });
    expect((await failureOf(acts.registerPayment({ invoiceId: b.invoiceId, amountCents: 100, memo, date: '2026-03-02' }))).type).toBe(FailureType.Validation);
    const key = uniq('WO');
    await acts.createCreditNote({ invoiceId: a.invoiceId, amountCents: 100, reason: 'x', key });
    expect((await failureOf(acts.createCreditNote({ invoiceId: b.invoiceId, amountCents: 100, reason: 'x', key }))).type).toBe(FailureType.Validation);
  });

  it('scheduleActivity resolves the model and an assignee login; a missing record is NotFound', async () => {
    const { invoiceId } = await postedInvoice();
    const { activityId } = await acts.scheduleActivity({ journeyId: 'J', resModel: 'account.move', resId: invoiceId, summary: 'Appeal due', note: 'Line 1\nLine <2>', deadline: '2026-05-01', assignee: 'readonly' });
    expect(emu.store.get('mail.activity', activityId)).toMatchObject({ res_model: 'account.move', res_id: invoiceId, user_id: [6, expect.any(String)], date_deadline: '2026-05-01', activity_type_id: [4, 'To-Do'] });
    expect(String(emu.store.get('mail.activity', activityId)!.note)).toContain('Line &lt;2&gt;');
    const f = await failureOf(acts.scheduleActivity({ journeyId: 'J', resModel: 'account.move', resId: 999_999, summary: 'x', note: '', deadline: '2026-05-01' }));
    expect(f.type).toBe(FailureType.NotFound);
    const g = await failureOf(acts.scheduleActivity({ journeyId: 'J', resModel: 'no.such.model', resId: 1, summary: 'x', note: '', deadline: '2026-05-01' }));
    expect(g.type).toBe(FailureType.NotFound);
  });

  it('openTicket maps priority, creates the queue team once, and reports created', async () => {
    const journeyId = uniq('J');
    const a = await acts.openTicket({ journeyId, queue: 'eligibility', title: 'Coverage inactive', description: 'Check payer', priority: 'urgent' });
    const b = await acts.openTicket({ journeyId, queue: 'eligibility', title: 'Coverage inactive', description: 'Check payer', priority: 'urgent' });
    const c = await acts.openTicket({ journeyId, queue: 'eligibility', title: 'Second issue', description: '', priority: 'low' });
    expect(a.created).toBe(true);
    expect(b).toEqual({ ticketId: a.ticketId, created: false });
    expect(c.created).toBe(true);
    expect(emu.store.get('helpdesk.ticket', a.ticketId)).toMatchObject({ priority: '3', team_id: [expect.any(Number), 'eligibility'] });
    expect(emu.store.count('helpdesk.team', [['name', '=', 'eligibility']])).toBe(1);
  });

  it('mirrorApproval moves pending → approved idempotently and records the decision once', async () => {
    const journeyId = uniq('J');
    const input = { journeyId, kind: 'billing-release', amountCents: 123_456, requesterId: 'user-1' };
    const pending = await acts.mirrorApproval({ ...input, status: 'pending' });
    expect(pending.status).toBe('pending');
    expect(await acts.mirrorApproval({ ...input, status: 'pending' })).toEqual(pending);
    const approved = await acts.mirrorApproval({ ...input, status: 'approved', approverId: 'user-2', reason: 'Within limit' });
    expect(approved).toEqual({ approvalId: pending.approvalId, status: 'approved' });
    expect(await acts.mirrorApproval({ ...input, status: 'approved', approverId: 'user-2', reason: 'Within limit' })).toEqual(approved);
    expect(emu.store.get('approval.request', pending.approvalId)).toMatchObject({ amount: 1234.56, request_status: 'approved' });
    expect(emu.store.count('mail.message', [['model', '=', 'approval.request'], ['res_id', '=', pending.approvalId]])).toBe(1);

    const refused = await acts.mirrorApproval({ journeyId: uniq('J'), kind: 'write-off', amountCents: 10, requesterId: 'user-1', status: 'refused', approverId: 'user-3' });
    expect(refused.status).toBe('refused');
  });

  it('attachDocument stores the bytes', async () => {
    const { invoiceId } = await postedInvoice();
    const bytes = Buffer.from('835 remittance advice');
    const { attachmentId } = await acts.attachDocument({ resModel: 'account.move', resId: invoiceId, name: 'era.txt', mimetype: 'text/plain', contentBase64: bytes.toString('base64') });
    expect(emu.store.get('ir.attachment', attachmentId)).toMatchObject({ file_size: bytes.length, res_model: 'account.move', res_id: invoiceId, mimetype: 'text/plain' });
  });

  it('postChatter escapes the body and keys on the marker even when keys look like LIKE wildcards', async () => {
    const { invoiceId } = await postedInvoice();
    const a = await acts.postChatter({ resModel: 'account.move', resId: invoiceId, body: 'Held: <NSA dispute>', key: 'evt_1' });
    const b = await acts.postChatter({ resModel: 'account.move', resId: invoiceId, body: 'Other', key: 'evtX1' }); // `_` must not match `X`
    expect(b.messageId).not.toBe(a.messageId);
    expect(String(emu.store.get('mail.message', a.messageId)!.body)).toContain('&lt;NSA dispute&gt;');
  });

  it('findInvoices / findPayments page through results and return cents', async () => {
    const before = await acts.findInvoices({ fromDate: '2000-01-01', toDate: '2999-12-31' });
    const { invoiceId, claimId } = await postedInvoice(33_333);
    await acts.registerPayment({ invoiceId, amountCents: 11_111, memo: `RECON/${claimId}`, date: '2026-02-01' });
    const today = new Date().toISOString().slice(0, 10);
    const invoices = await acts.findInvoices({ fromDate: '2000-01-01', toDate: '2999-12-31' });
    expect(invoices.length).toBe(before.length + 1);
    expect(invoices.find((i) => i.invoiceId === invoiceId)).toEqual({ claimId, invoiceId, amountTotalCents: 33_333, residualCents: 22_222, paymentState: 'partial', state: 'posted' });
    expect((await acts.findInvoices({ fromDate: '1999-01-01', toDate: '1999-12-31' })).length).toBe(0);
    expect((await acts.findInvoices({ fromDate: today, toDate: today })).some((i) => i.invoiceId === invoiceId)).toBe(true);
    const payments = await acts.findPayments({ fromDate: '2026-02-01', toDate: '2026-02-01' });
    expect(payments).toContainEqual({ paymentId: expect.any(Number), memo: `RECON/${claimId}`, amountCents: 11_111, invoiceIds: [invoiceId] });
  });

  it('invalid input is a non-retryable ValidationError that does not echo values', async () => {
    const f = await failureOf(acts.upsertPatientPartner({ patientRef: '1980-02-03', siteId: 's' }));
    expect(f.type).toBe(FailureType.Validation);
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain('patientRef');
    expect(f.message).not.toContain('1980');
    const g = await failureOf(acts.registerPayment({ invoiceId: 1, amountCents: 10.5, memo: 'a/b', date: '2026-01-01' }));
    expect(g.type).toBe(FailureType.Validation);
  });

  it('the read-only integration user gets AccessError from create activities', async () => {
    const ro = createOdooClient({ url: emu.url, db: emu.db, login: 'readonly', apiKey: 'readonly-api-key', protocol });
    try {
      const f = await failureOf(createOdooActivities(ro).upsertPatientPartner({ patientRef: uniq('MRN'), siteId: 's' }));
      expect(f.type).toBe(FailureType.Access);
      expect(f.nonRetryable).toBe(true);
    } finally {
      ro.close();
    }
  });
});
