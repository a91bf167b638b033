/**
 * The Odoo models the product talks to, with the business rules that matter for integration: invoice
 * posting/cancel/draft, payment registration, reversals/credit notes, approvals, chatter, activities.
 * Amounts are floats on the wire (like Odoo); internally every sum is done in integer cents.
 */
import { missingError, userError, valueError } from './errors';
import {
  Env, FieldDef, MethodDef, ModelDef, Registry, createRecords, displayName, requireRows,
} from './orm';
import { US_STATES, ensurePatientDemographics } from './patients';
import type { Row } from './store';

const cents = (x: unknown): number => (typeof x === 'number' ? Math.round(x * 100) : 0);
const amount = (c: number): number => c / 100;

const char = (string?: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'char', string, ...extra });
const m2o = (relation: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: 'many2one', relation, ...extra });
const active: FieldDef = { type: 'boolean', default: () => true };

const MOVE_TYPES = ['entry', 'out_invoice', 'out_refund', 'in_invoice', 'in_refund', 'out_receipt', 'in_receipt'] as const;

function moveTotalCents(env: Env, move: Row): number {
  return env.store.rowsWhere('account.move.line', 'move_id', move.id).reduce((sum, l) => sum + lineSubtotalCents(l), 0);
}

function lineSubtotalCents(line: Row): number {
  const qty = typeof line.quantity === 'number' ? line.quantity : 1;
  return Math.round(qty * cents(line.price_unit));
}

function moveResidualCents(env: Env, move: Row): number {
  if (move.state !== 'posted') return moveTotalCents(env, move);
  return Math.max(0, moveTotalCents(env, move) - ((move._reconciled_cents as number) ?? 0));
}

function paymentState(env: Env, move: Row): string {
  if (move.state !== 'posted' || !['out_invoice', 'out_refund', 'in_invoice', 'in_refund'].includes(String(move.move_type))) return 'not_paid';
  const total = moveTotalCents(env, move);
  const reconciled = (move._reconciled_cents as number) ?? 0;
  const byReversal = (move._reversed_cents as number) ?? 0;
  if (total > 0 && reconciled >= total) {
    if (byReversal >= total) return 'reversed';
    return env.options.fullyPaidState;
  }
  if (reconciled > 0) return 'partial';
  return 'not_paid';
}

/** Reconcile `amountCents` against a posted invoice; returns what was actually applied. */
function reconcile(env: Env, move: Row, amountCents: number, byReversal: boolean): number {
  const applied = Math.min(amountCents, moveResidualCents(env, move));
  if (applied <= 0) return 0;
  env.store.update('account.move', move.id, {
    _reconciled_cents: ((move._reconciled_cents as number) ?? 0) + applied,
    ...(byReversal ? { _reversed_cents: ((move._reversed_cents as number) ?? 0) + applied } : {}),
  });
  return applied;
}

const POSTED_LOCKED_FIELDS = ['invoice_line_ids', 'line_ids', 'partner_id', 'move_type', 'journal_id', 'date', 'invoice_date'];

function moveDisplayName(_env: Env, row: Row): string {
  if (typeof row.name === 'string' && row.name !== '/' && row.name !== '') return row.name;
  const label = row.move_type === 'out_refund' ? 'Credit Note' : row.move_type === 'out_invoice' ? 'Invoice' : 'Entry';
  return `Draft ${label} (* ${row.id})`;
}

function postMoves(env: Env, ids: number[]): false {
  const moves = requireRows(env, env.model('account.move'), ids);
  for (const move of moves) {
    if (move.state === 'posted') throw userError(`The entry ${moveDisplayName(env, move)} (id ${move.id}) is already posted.`);
    if (move.state !== 'draft') throw userError('Only draft journal entries can be posted.');
    const lines = env.store.rowsWhere('account.move.line', 'move_id', move.id);
    if (!lines.length) throw userError('You need to add a line before posting.');
    const isCustomer = String(move.move_type).startsWith('out_');
    if (isCustomer && typeof move.partner_id !== 'number') {
      const doc = move.move_type === 'out_refund' ? 'Customer Credit Note' : 'Customer Invoice';
      throw userError(`The field 'Customer' is required, please complete it to validate the ${doc}.`);
    }
    const total = moveTotalCents(env, move);
    if (total < 0) {
      throw userError('You cannot validate an invoice with a negative total amount. You should create a credit note instead. Use the action menu to transform it into a credit note or refund.');
    }
    const date = (move.invoice_date as string) || env.today();
    const year = date.slice(0, 4);
    const prefix = move.move_type === 'out_refund' ? 'RINV' : move.move_type === 'out_invoice' ? 'INV' : 'MISC';
    const name = move.name && move.name !== '/' ? move.name : `${prefix}/${year}/${String(env.store.nextCounter(`${prefix}/${year}`)).padStart(5, '0')}`;
    env.store.update('account.move', move.id, { state: 'posted', name, invoice_date: move.invoice_date || (isCustomer ? date : false) });
    // Emulator shortcut: a credit note linked to its origin reconciles with it when posted (in Odoo the
    // full reversal does this itself; for a partial credit note the accountant adds the outstanding credit).
    if (move.move_type === 'out_refund' && typeof move.reversed_entry_id === 'number') {
      const origin = env.store.get('account.move', move.reversed_entry_id);
      if (origin && origin.state === 'posted') {
        const applied = reconcile(env, origin, total, true);
        env.store.update('account.move', move.id, { _reconciled_cents: applied });
      }
    }
  }
  return false;
}

function buttonDraft(env: Env, ids: number[]): false {
  const moves = requireRows(env, env.model('account.move'), ids);
  for (const move of moves) {
    if (move.state !== 'posted' && move.state !== 'cancel') throw userError('Only posted/cancelled journal entries can be reset to draft.');
    if (((move._reconciled_cents as number) ?? 0) > 0) {
      throw userError('You cannot reset to draft an entry with reconciled payments or credit notes: unreconcile them first.');
    }
    env.store.update('account.move', move.id, { state: 'draft' });
  }
  return false;
}

function buttonCancel(env: Env, ids: number[]): false {
  const moves = requireRows(env, env.model('account.move'), ids);
  // Odoo 17+: posted moves are reset to draft first, then cancelled.
  const posted = moves.filter((m) => m.state === 'posted').map((m) => m.id);
  if (posted.length) buttonDraft(env, posted);
  for (const move of moves) {
    if (env.store.get('account.move', move.id)!.state !== 'draft') throw userError('Only draft journal entries can be cancelled.');
    env.store.update('account.move', move.id, { state: 'cancel' });
  }
  return false;
}

function activeMoves(env: Env, what: string): Row[] {
  const model = env.context.active_model;
  const ids = env.context.active_ids ?? (env.context.active_id !== undefined ? [env.context.active_id] : undefined);
  if (model !== 'account.move' || !Array.isArray(ids) || ids.length === 0) {
    throw userError(`The ${what} wizard should only be called on account.move records (context active_model/active_ids).`);
  }
  return requireRows(env, env.model('account.move'), ids as number[]);
}

function act(resModel: string, name: string, ids: number[]): Record<string, unknown> {
  return ids.length === 1
    ? { name, type: 'ir.actions.act_window', res_model: resModel, view_mode: 'form', res_id: ids[0], context: { create: false } }
    : { name, type: 'ir.actions.act_window', res_model: resModel, view_mode: 'list,form', domain: [['id', 'in', ids]], context: { create: false } };
}

function approverStatus(env: Env, req: Row): string {
  if (req._cancelled) return 'cancel';
  const approvers = env.store.rowsWhere('approval.approver', 'request_id', req.id);
  if (!approvers.length) return 'new';
  const statuses = approvers.map((a) => String(a.status));
  const category = typeof req.category_id === 'number' ? env.store.get('approval.category', req.category_id) : undefined;
  const minimum = Math.min(Number(category?.approval_minimum ?? 1) || 1, approvers.length);
  if (statuses.includes('refused')) return 'refused';
  if (statuses.includes('cancel')) return 'cancel';
  if (statuses.filter((s) => s === 'approved').length >= minimum) return 'approved';
  if (statuses.includes('pending')) return 'pending';
  return 'new';
}

function setApproverStatus(env: Env, requestIds: number[], status: string, onlyCurrentUser: boolean): true {
  requireRows(env, env.model('approval.request'), requestIds);
  for (const a of env.store.rows('approval.approver')) {
    if (!requestIds.includes(a.request_id as number)) continue;
    if (onlyCurrentUser && a.user_id !== env.uid) continue;
    env.store.update('approval.approver', a.id, { status });
  }
  return true;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

const mailThread: ModelDef = {
  name: 'mail.thread',
  description: 'Email Thread',
  fields: {},
  methods: {
    message_post: {
      params: [],
      varKw: true,
      access: 'read', // posting on a record you can read is allowed (Odoo checks write only for some models)
      impl: (env, model, ids, a) => {
        if (ids.length !== 1) throw valueError(`Expected singleton: ${model.name}(${ids.join(', ')},)`);
        requireRows(env, model, ids);
        const raw = typeof a.body === 'string' ? a.body : '';
        const body = a.body_is_html ? raw : raw ? `<p>${escapeHtml(raw).replace(/\n/g, '<br>')}</p>` : '';
        const messageType = typeof a.message_type === 'string' ? a.message_type : 'notification';
        const user = env.store.get('res.users', env.uid);
        const [id] = createRecords(env.sudo(), env.model('mail.message'), [
          {
            body,
            model: model.name,
            res_id: ids[0],
            message_type: messageType,
            subject: typeof a.subject === 'string' ? a.subject : false,
            subtype_xmlid: typeof a.subtype_xmlid === 'string' ? a.subtype_xmlid : 'mail.mt_note',
            author_id: typeof user?.partner_id === 'number' ? user.partner_id : false,
            date: env.now(),
          },
        ]);
        return id;
      },
    },
  },
};

const recordAction = (impl: (env: Env, ids: number[], a: Record<string, unknown>) => unknown, params: string[] = []): MethodDef => ({
  params,
  access: 'write',
  impl: (env, _model, ids, a) => impl(env, ids, a),
});

export const MODELS: ModelDef[] = [
  mailThread,
  {
    name: 'res.company',
    description: 'Companies',
    fields: { name: char('Company Name', { required: true }) },
  },
  {
    name: 'res.users',
    description: 'User',
    recName: 'name',
    fields: { name: char('Name'), login: char('Login', { required: true }), partner_id: m2o('res.partner'), active, share: { type: 'boolean' } },
  },
  {
    name: 'res.partner',
    description: 'Contact',
    mailThread: true,
    fields: {
      name: char('Name', { required: true }),
      ref: char('Reference'),
      email: char('Email'),
      phone: char('Phone'),
      is_company: { type: 'boolean' },
      parent_id: m2o('res.partner'),
      comment: { type: 'html', string: 'Notes' },
      customer_rank: { type: 'integer' },
      company_id: m2o('res.company'),
      active,
      // Address (standard contact fields) and the patient fields a clinic adds as custom fields.
      street: char('Street'),
      street2: char('Street2'),
      city: char('City'),
      state_id: m2o('res.country.state', { string: 'State' }),
      zip: char('Zip'),
      x_birthdate: { type: 'date', string: 'Date of Birth' },
      x_gender: { type: 'selection', string: 'Gender', selection: ['female', 'male', 'other'] },
    },
    beforeSearchRead: ensurePatientDemographics,
  },
  {
    name: 'res.country.state',
    description: 'Country state',
    displayName: (_env, row) => `${String(row.name)} (US)`,
    fields: { name: char('State Name', { required: true }), code: char('State Code', { required: true }) },
  },
  {
    name: 'ir.model',
    description: 'Models',
    fields: { model: char('Model', { required: true }), name: char('Model Description', { required: true }) },
  },
  {
    name: 'mail.activity.type',
    description: 'Activity Type',
    fields: { name: char('Name', { required: true }), res_model: char('Model'), active },
  },
  {
    name: 'mail.activity',
    description: 'Activity',
    displayName: (env, row) => {
      if (typeof row.summary === 'string' && row.summary) return row.summary;
      const t = typeof row.activity_type_id === 'number' ? env.store.get('mail.activity.type', row.activity_type_id) : undefined;
      return String(t?.name ?? `mail.activity,${row.id}`);
    },
    fields: {
      res_model_id: m2o('ir.model', { required: true, string: 'Document Model', ondelete: 'cascade' }),
      res_model: char('Related Document Model', {
        compute: (env, row) => (typeof row.res_model_id === 'number' ? env.store.get('ir.model', row.res_model_id)?.model ?? false : false),
      }),
      res_id: { type: 'integer', string: 'Related Document ID', required: true },
      res_name: char('Document Name', {
        compute: (env, row) => {
          const m = typeof row.res_model_id === 'number' ? (env.store.get('ir.model', row.res_model_id)?.model as string | undefined) : undefined;
          const def = m ? env.registry.get(m) : undefined;
          const target = def ? env.store.get(def.name, row.res_id as number) : undefined;
          return def && target ? displayName(env, def, target) : false;
        },
      }),
      activity_type_id: m2o('mail.activity.type', { default: () => 4 }),
      summary: char('Summary'),
      note: { type: 'html', string: 'Note' },
      date_deadline: { type: 'date', string: 'Due Date', required: true, default: (env) => env.today() },
      user_id: m2o('res.users', { string: 'Assigned to', default: (env) => env.uid }),
      active,
    },
    beforeCreate: (env, vals) => {
      const irModel = env.store.get('ir.model', vals.res_model_id as number);
      const target = irModel ? env.registry.get(String(irModel.model)) : undefined;
      if (!target || !env.store.get(target.name, vals.res_id as number)) {
        throw missingError(`Record does not exist or has been deleted.\n(Record: ${String(irModel?.model ?? '?')}(${String(vals.res_id)},), User: ${env.uid})`);
      }
    },
  },
  {
    name: 'mail.message',
    description: 'Message',
    displayName: (_env, row) => (typeof row.subject === 'string' && row.subject ? row.subject : `mail.message,${row.id}`),
    fields: {
      body: { type: 'html', string: 'Contents' },
      subject: char('Subject'),
      model: char('Related Document Model'),
      res_id: { type: 'integer', string: 'Related Document ID' },
      message_type: { type: 'selection', selection: ['email', 'comment', 'notification', 'user_notification', 'auto_comment'], default: () => 'comment' },
      subtype_xmlid: char('Subtype'),
      author_id: m2o('res.partner'),
      date: { type: 'datetime', default: (env) => env.now() },
    },
  },
  {
    name: 'ir.attachment',
    description: 'Attachment',
    fields: {
      name: char('Name', { required: true }),
      res_model: char('Resource Model'),
      res_id: { type: 'integer', string: 'Resource ID' },
      datas: { type: 'binary', string: 'File Content (base64)' },
      mimetype: char('Mime Type'),
      type: { type: 'selection', selection: ['url', 'binary'], default: () => 'binary' },
      public: { type: 'boolean' },
      file_size: {
        type: 'integer',
        string: 'File Size',
        compute: (_env, row) => (typeof row.datas === 'string' ? Buffer.from(row.datas, 'base64').length : 0),
      },
    },
    beforeCreate: (env, vals) => {
      if (typeof vals.res_model === 'string' && vals.res_model && typeof vals.res_id === 'number' && vals.res_id) {
        const def = env.registry.get(vals.res_model);
        if (def && !env.store.get(def.name, vals.res_id)) {
          throw missingError(`Record does not exist or has been deleted.\n(Record: ${vals.res_model}(${vals.res_id},), User: ${env.uid})`);
        }
      }
      if (typeof vals.datas === 'string' && !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(vals.datas)) throw valueError('Incorrect padding: datas is not base64');
    },
  },
  {
    name: 'project.project',
    description: 'Project',
    mailThread: true,
    fields: { name: char('Name', { required: true }), active },
  },
  {
    name: 'project.task',
    description: 'Task',
    mailThread: true,
    fields: {
      name: char('Title', { required: true }),
      project_id: m2o('project.project'),
      description: { type: 'html', string: 'Description' },
      partner_id: m2o('res.partner'),
      user_ids: { type: 'many2many', relation: 'res.users', default: (env) => [env.uid] },
      date_deadline: { type: 'date', string: 'Deadline' },
      active,
    },
  },
  {
    name: 'crm.lead',
    description: 'Lead',
    mailThread: true,
    fields: {
      name: char('Opportunity', { required: true }),
      partner_id: m2o('res.partner'),
      type: { type: 'selection', selection: ['lead', 'opportunity'], default: () => 'lead' },
      description: { type: 'html', string: 'Notes' },
      expected_revenue: { type: 'monetary', string: 'Expected Revenue' },
      user_id: m2o('res.users', { default: (env) => env.uid }),
      active,
    },
  },
  {
    name: 'account.journal',
    description: 'Journal',
    fields: { name: char('Journal Name', { required: true }), code: char('Short Code', { required: true }), type: { type: 'selection', selection: ['sale', 'purchase', 'cash', 'bank', 'general'], required: true }, active },
  },
  {
    name: 'account.move',
    description: 'Journal Entry',
    mailThread: true,
    displayName: moveDisplayName,
    fields: {
      name: char('Number', { default: () => '/' }),
      move_type: { type: 'selection', selection: MOVE_TYPES, required: true, default: () => 'entry' },
      ref: char('Reference'),
      state: { type: 'selection', selection: ['draft', 'posted', 'cancel'], required: true, default: () => 'draft' },
      partner_id: m2o('res.partner', { string: 'Partner' }),
      journal_id: m2o('account.journal', {
        required: true,
        default: (env, vals) => (String(vals.move_type ?? 'entry').startsWith('out_') ? 1 : 4),
      }),
      date: { type: 'date', string: 'Date', required: true, default: (env) => env.today() },
      invoice_date: { type: 'date', string: 'Invoice/Bill Date' },
      invoice_date_due: { type: 'date', string: 'Due Date' },
      invoice_origin: char('Origin'),
      narration: { type: 'html', string: 'Terms and Conditions' },
      invoice_line_ids: { type: 'one2many', relation: 'account.move.line', inverse: 'move_id', string: 'Invoice lines' },
      line_ids: { type: 'one2many', relation: 'account.move.line', inverse: 'move_id', string: 'Journal Items' },
      reversed_entry_id: m2o('account.move', { string: 'Reversal of' }),
      reversal_move_ids: { type: 'one2many', relation: 'account.move', inverse: 'reversed_entry_id', string: 'Reversal Moves' },
      amount_untaxed: { type: 'monetary', compute: (env, row) => amount(moveTotalCents(env, row)) },
      amount_tax: { type: 'monetary', compute: () => 0 },
      amount_total: { type: 'monetary', compute: (env, row) => amount(moveTotalCents(env, row)) },
      amount_residual: { type: 'monetary', compute: (env, row) => amount(row.state === 'cancel' ? 0 : moveResidualCents(env, row)) },
      payment_state: {
        type: 'selection',
        selection: ['not_paid', 'in_payment', 'paid', 'partial', 'reversed', 'invoicing_legacy'],
        compute: (env, row) => paymentState(env, row),
      },
    },
    beforeCreate: (_env, vals) => {
      vals.state = 'draft';
    },
    beforeWrite: (env, rows, vals) => {
      for (const row of rows) {
        if (row.state !== 'posted') continue;
        const locked = Object.keys(vals).filter((k) => POSTED_LOCKED_FIELDS.includes(k));
        if (locked.length) {
          throw userError(`You cannot modify the following fields of a posted entry (${moveDisplayName(env, row)}): ${locked.join(', ')}. Reset it to draft first.`);
        }
      }
    },
    beforeUnlink: (env, rows) => {
      for (const row of rows) {
        if (row.state === 'posted' || (row.name && row.name !== '/')) throw userError('You cannot delete an entry which has been posted once.');
      }
    },
    methods: {
      action_post: recordAction((env, ids) => postMoves(env, ids)),
      button_cancel: recordAction((env, ids) => buttonCancel(env, ids)),
      button_draft: recordAction((env, ids) => buttonDraft(env, ids)),
    },
  },
  {
    name: 'account.move.line',
    description: 'Journal Item',
    fields: {
      move_id: m2o('account.move', { required: true, ondelete: 'cascade', string: 'Journal Entry' }),
      name: char('Label'),
      quantity: { type: 'float', default: () => 1 },
      price_unit: { type: 'float', string: 'Unit Price' },
      price_subtotal: { type: 'monetary', compute: (_env, row) => amount(lineSubtotalCents(row)) },
      price_total: { type: 'monetary', compute: (_env, row) => amount(lineSubtotalCents(row)) },
    },
    beforeCreate: (env, vals) => {
      const move = env.store.get('account.move', vals.move_id as number);
      if (move && move.state !== 'draft') throw userError(`You cannot modify a posted entry (${moveDisplayName(env, move)}). Reset it to draft first.`);
    },
    beforeWrite: (env, rows) => {
      for (const line of rows) {
        const move = env.store.get('account.move', line.move_id as number);
        if (move && move.state !== 'draft') throw userError(`You cannot modify a posted entry (${moveDisplayName(env, move)}). Reset it to draft first.`);
      }
    },
    beforeUnlink: (env, rows) => {
      for (const line of rows) {
        const move = env.store.get('account.move', line.move_id as number);
        if (move && move.state !== 'draft') throw userError(`You cannot modify a posted entry (${moveDisplayName(env, move)}). Reset it to draft first.`);
      }
    },
  },
  {
    name: 'account.payment',
    description: 'Payments',
    mailThread: true,
    fields: {
      name: char('Number', { default: () => '/' }),
      amount: { type: 'monetary', string: 'Amount' },
      date: { type: 'date', required: true, default: (env) => env.today() },
      memo: char('Memo', { since: 18 }),
      ref: char('Memo', { until: 17 }),
      payment_reference: char('Payment Reference'),
      partner_id: m2o('res.partner'),
      journal_id: m2o('account.journal', { default: () => 2 }),
      payment_type: { type: 'selection', selection: ['outbound', 'inbound'], default: () => 'inbound' },
      partner_type: { type: 'selection', selection: ['customer', 'supplier'], default: () => 'customer' },
      state: { type: 'selection', selection: ['draft', 'in_process', 'paid', 'posted', 'canceled', 'cancel', 'rejected'], default: () => 'draft' },
      reconciled_invoice_ids: { type: 'many2many', relation: 'account.move', string: 'Reconciled Invoices' },
    },
    methods: {
      action_post: recordAction((env, ids) => {
        for (const p of requireRows(env, env.model('account.payment'), ids)) {
          if (p.state !== 'draft') throw userError('Only a draft payment can be posted.');
          env.store.update('account.payment', p.id, { state: env.major >= 18 ? 'paid' : 'posted', name: paymentName(env, p) });
        }
        return false;
      }),
    },
  },
  {
    name: 'account.payment.register',
    description: 'Pay',
    transient: true,
    fields: {
      amount: { type: 'monetary', string: 'Amount' },
      payment_date: { type: 'date', required: true, default: (env) => env.today() },
      communication: char('Memo'),
      journal_id: m2o('account.journal', { default: () => 2 }),
      payment_difference_handling: { type: 'selection', selection: ['open', 'reconcile'], default: () => 'open' },
      group_payment: { type: 'boolean', default: () => true },
    },
    beforeCreate: (env, vals) => {
      const moves = activeMoves(env, 'register payment');
      if (moves.some((m) => m.state !== 'posted')) throw userError('You can only register payment for posted journal entries.');
      const residual = moves.reduce((s, m) => s + moveResidualCents(env, m), 0);
      if (residual <= 0) throw userError("You can't register a payment because there is nothing left to pay on the selected journal items.");
      vals._invoice_ids = moves.map((m) => m.id);
      if (vals.amount === undefined || vals.amount === 0) vals.amount = amount(residual);
      if (!vals.communication) {
        const m = moves[0];
        vals.communication = (m.ref as string) || (m.name as string);
      }
      if (cents(vals.amount) <= 0) throw userError('The payment amount must be strictly positive.');
    },
    methods: {
      action_create_payments: recordAction((env, ids) => {
        const created: number[] = [];
        for (const wiz of requireRows(env, env.model('account.payment.register'), ids)) {
          const moves = requireRows(env, env.model('account.move'), (wiz._invoice_ids as number[]) ?? []);
          const partner = moves[0]?.partner_id;
          const memoField = env.major >= 18 ? 'memo' : 'ref';
          const [pid] = createRecords(env, env.model('account.payment'), [
            {
              amount: wiz.amount,
              date: wiz.payment_date,
              [memoField]: wiz.communication || false,
              payment_reference: wiz.communication || false,
              partner_id: typeof partner === 'number' ? partner : false,
              journal_id: wiz.journal_id,
              payment_type: 'inbound',
              partner_type: 'customer',
            },
          ]);
          let left = cents(wiz.amount);
          const reconciled: number[] = [];
          for (const move of moves) {
            if (left <= 0) break;
            const applied = reconcile(env, env.store.get('account.move', move.id)!, left, false);
            if (applied > 0) reconciled.push(move.id);
            left -= applied;
          }
          const p = env.store.get('account.payment', pid)!;
          env.store.update('account.payment', pid, { state: env.major >= 18 ? 'paid' : 'posted', name: paymentName(env, p), reconciled_invoice_ids: reconciled });
          created.push(pid);
        }
        return act('account.payment', 'Payments', created);
      }),
    },
  },
  {
    name: 'account.move.reversal',
    description: 'Account Move Reversal',
    transient: true,
    fields: {
      move_ids: { type: 'many2many', relation: 'account.move' },
      new_move_ids: { type: 'many2many', relation: 'account.move' },
      reason: char('Reason displayed on Credit Note'),
      date: { type: 'date', string: 'Reversal date', required: true, default: (env) => env.today() },
      journal_id: m2o('account.journal'),
    },
    beforeCreate: (env, vals) => {
      const moves = activeMoves(env, 'reversal');
      if (moves.some((m) => m.state !== 'posted')) throw userError('You can only reverse posted moves.');
      vals.move_ids = moves.map((m) => m.id);
    },
    methods: {
      refund_moves: recordAction((env, ids) => reverseMoves(env, ids)),
      reverse_moves: recordAction((env, ids) => reverseMoves(env, ids), ['is_modify']),
    },
  },
  {
    name: 'helpdesk.team',
    description: 'Helpdesk Team',
    mailThread: true,
    fields: { name: char('Helpdesk Team', { required: true }), active },
  },
  {
    name: 'helpdesk.ticket',
    description: 'Helpdesk Ticket',
    mailThread: true,
    fields: {
      name: char('Subject', { required: true }),
      description: { type: 'html', string: 'Description' },
      team_id: m2o('helpdesk.team', { string: 'Helpdesk Team' }),
      priority: { type: 'selection', selection: ['0', '1', '2', '3'], default: () => '0' },
      partner_id: m2o('res.partner'),
      user_id: m2o('res.users'),
      active,
    },
  },
  {
    name: 'approval.category',
    description: 'Approval Category',
    fields: {
      name: char('Name', { required: true }),
      approval_minimum: { type: 'integer', default: () => 1 },
      has_amount: { type: 'selection', selection: ['required', 'optional', 'no'], default: () => 'optional' },
      active,
    },
  },
  {
    name: 'approval.request',
    description: 'Approval Request',
    mailThread: true,
    fields: {
      name: char('Approval Subject', { required: true }),
      category_id: m2o('approval.category', { required: true, string: 'Category' }),
      request_owner_id: m2o('res.users', { default: (env) => env.uid, string: 'Request Owner' }),
      amount: { type: 'float', string: 'Amount' },
      reason: { type: 'html', string: 'Description' },
      approver_ids: { type: 'one2many', relation: 'approval.approver', inverse: 'request_id' },
      request_status: {
        type: 'selection',
        selection: ['new', 'pending', 'approved', 'refused', 'cancel'],
        compute: (env, row) => approverStatus(env, row),
      },
      date_confirmed: { type: 'datetime' },
    },
    methods: {
      action_confirm: recordAction((env, ids) => {
        for (const req of requireRows(env, env.model('approval.request'), ids)) {
          const category = env.store.get('approval.category', req.category_id as number);
          const approvers = env.store.rowsWhere('approval.approver', 'request_id', req.id);
          const minimum = Number(category?.approval_minimum ?? 1);
          if (approvers.length < minimum) throw userError(`You have to add at least ${minimum} approvers to confirm your request.`);
          // Like Odoo, confirming (re)sets every approver to pending: calling it twice is not harmless.
          for (const a of approvers) env.store.update('approval.approver', a.id, { status: 'pending' });
          env.store.update('approval.request', req.id, { date_confirmed: env.now(), _cancelled: false });
        }
        return true;
      }),
      action_approve: recordAction((env, ids) => setApproverStatus(env, ids, 'approved', true), ['approver']),
      action_refuse: recordAction((env, ids) => setApproverStatus(env, ids, 'refused', true), ['approver']),
      action_draft: recordAction((env, ids) => setApproverStatus(env, ids, 'new', false)),
      action_cancel: recordAction((env, ids) => {
        for (const req of requireRows(env, env.model('approval.request'), ids)) env.store.update('approval.request', req.id, { _cancelled: true });
        return true;
      }),
    },
  },
  {
    name: 'approval.approver',
    description: 'Approver',
    recName: 'status',
    fields: {
      request_id: m2o('approval.request', { required: true, ondelete: 'cascade' }),
      user_id: m2o('res.users', { required: true }),
      status: { type: 'selection', selection: ['new', 'pending', 'waiting', 'approved', 'refused', 'cancel'], default: () => 'new' },
      required: { type: 'boolean' },
    },
  },
];

function paymentName(env: Env, p: Row): string {
  if (typeof p.name === 'string' && p.name !== '/' && p.name) return p.name;
  const journal = env.store.get('account.journal', p.journal_id as number);
  const year = String(p.date ?? env.today()).slice(0, 4);
  const prefix = `P${String(journal?.code ?? 'BNK1')}/${year}`;
  return `${prefix}/${String(env.store.nextCounter(prefix)).padStart(5, '0')}`;
}

function reverseMoves(env: Env, wizardIds: number[]): Record<string, unknown> {
  const created: number[] = [];
  for (const wiz of requireRows(env, env.model('account.move.reversal'), wizardIds)) {
    const newIds: number[] = [];
    for (const moveId of (wiz.move_ids as number[]) ?? []) {
      const move = env.store.get('account.move', moveId);
      if (!move) continue;
      const origin = moveDisplayName(env, move);
      const reason = typeof wiz.reason === 'string' && wiz.reason ? wiz.reason : '';
      const lines = env.store.rowsWhere('account.move.line', 'move_id', move.id);
      const [rid] = createRecords(env, env.model('account.move'), [
        {
          move_type: move.move_type === 'out_invoice' ? 'out_refund' : move.move_type === 'in_invoice' ? 'in_refund' : move.move_type,
          partner_id: move.partner_id ?? false,
          journal_id: typeof wiz.journal_id === 'number' ? wiz.journal_id : move.journal_id,
          date: wiz.date,
          invoice_date: wiz.date,
          ref: reason ? `Reversal of: ${origin}, ${reason}` : `Reversal of: ${origin}`,
          reversed_entry_id: move.id,
          invoice_line_ids: lines.map((l) => [0, 0, { name: l.name, quantity: l.quantity, price_unit: l.price_unit }]),
        },
      ]);
      newIds.push(rid);
    }
    env.store.update('account.move.reversal', wiz.id, { new_move_ids: newIds });
    created.push(...newIds);
  }
  return act('account.move', 'Reverse Moves', created);
}

export function buildRegistry(): Registry {
  const registry = new Registry();
  for (const m of MODELS) registry.add(m);
  return registry;
}

/** Seed data every fresh database has (ids chosen like a typical Odoo demo db where it matters). */
export function seed(env: Env, users: { uid: number; login: string; name: string }[]): void {
  const s = env.store;
  s.insertWithId('res.company', 1, { name: 'RCM Health (emulated)' });
  s.insertWithId('res.partner', 1, { name: 'RCM Health (emulated)', is_company: true, active: true });
  s.insertWithId('res.partner', 2, { name: 'OdooBot', active: true });
  let partnerId = 3;
  s.insertWithId('res.users', 1, { name: 'OdooBot', login: '__system__', partner_id: 2, active: false });
  for (const u of users) {
    s.insertWithId('res.partner', partnerId, { name: u.name, active: true });
    s.insertWithId('res.users', u.uid, { name: u.name, login: u.login, partner_id: partnerId, active: true });
    partnerId++;
  }
  env.registry.names().forEach((name, i) => {
    if (name === 'mail.thread') return;
    s.insertWithId('ir.model', i + 1, { model: name, name: env.registry.get(name)!.description });
  });
  ['Email', 'Call', 'Meeting', 'To-Do', 'Upload Document'].forEach((name, i) => s.insertWithId('mail.activity.type', i + 1, { name, active: true }));
  s.insertWithId('account.journal', 1, { name: 'Customer Invoices', code: 'INV', type: 'sale', active: true });
  s.insertWithId('account.journal', 2, { name: 'Bank', code: 'BNK1', type: 'bank', active: true });
  s.insertWithId('account.journal', 3, { name: 'Cash', code: 'CSH1', type: 'cash', active: true });
  s.insertWithId('account.journal', 4, { name: 'Miscellaneous Operations', code: 'MISC', type: 'general', active: true });
  s.insertWithId('project.project', 1, { name: 'Referral Intake', active: true });
  s.insertWithId('helpdesk.team', 1, { name: 'Customer Care', active: true });
  for (const st of US_STATES) s.insertWithId('res.country.state', st.id, { name: st.name, code: st.code });
  s.insertWithId('approval.category', 1, { name: 'Billing Release', approval_minimum: 1, has_amount: 'required', active: true });
  s.insertWithId('approval.category', 2, { name: 'Write-off', approval_minimum: 1, has_amount: 'required', active: true });
}

/** Records per model, for /__sim/stats and tests. */
export function countByModel(env: Env): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of env.store.models()) {
    const n = env.store.count(name);
    if (n > 0) out[name] = n;
  }
  return out;
}


