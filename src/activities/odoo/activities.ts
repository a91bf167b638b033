/**
 * Odoo activities. Odoo has no idempotency keys, so every create first searches its business key and a
 * second call — or a retry after a timeout where Odoo did commit — returns the existing record. State
 * changes (post, cancel, approve) read the current state first, so repeating them is harmless.
 *
 * Failures are typed by the client (src/activities/odoo/errors.ts): validation/access/missing are
 * non-retryable, conflicts/5xx/network/timeouts retryable. Nothing here logs record content.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { FailureType, permanentFailure } from '../errors';
import type { OdooClient, OdooContext, OdooDomain } from './client';
import { firstId } from './client';
import { centsToOdoo, odooToCents } from './money';
import {
  AttachDocumentInput, AttachDocumentInputSchema, AttachDocumentOutput, CreateCreditNoteInput, CreateCreditNoteInputSchema, CreateCreditNoteOutput,
  CreateDraftInvoiceInput, CreateDraftInvoiceInputSchema, CreateDraftInvoiceOutput, CreateIntakeTaskInput, CreateIntakeTaskInputSchema,
  CreateIntakeTaskOutput, DateRangeInputSchema, FindInvoicesInput, FindPaymentsInput, InvoiceState, InvoiceSummary, MirrorApprovalInput,
  MirrorApprovalInputSchema, MirrorApprovalOutput, OdooApprovalStatus, OpenTicketInput, OpenTicketInputSchema, OpenTicketOutput, PaymentState,
  PaymentSummary, PostChatterInput, PostChatterInputSchema, PostChatterOutput, PostInvoiceInput, PostInvoiceInputSchema, PostInvoiceOutput,
  PostProviderAdjustmentInput, PostProviderAdjustmentInputSchema, PostProviderAdjustmentOutput,
  RegisterPaymentInput, RegisterPaymentInputSchema, RegisterPaymentOutput, ScheduleActivityInput, ScheduleActivityInputSchema,
  ScheduleActivityOutput, TicketPriority, UpsertPatientPartnerInput, UpsertPatientPartnerInputSchema, UpsertPatientPartnerOutput,
  VoidDraftInvoiceInput, VoidDraftInvoiceInputSchema, VoidDraftInvoiceOutput,
} from './types';

export interface OdooActivitiesConfig {
  /** project.project for intake tasks; default: the project named `intakeProjectName` (created if missing). */
  intakeProjectId?: number;
  intakeProjectName?: string;
  /** mail.activity.type for scheduled activities; default: the type named "To-Do" if there is one. */
  activityTypeId?: number;
  /** Work queue → helpdesk.team id; unmapped queues use the team with the queue's name (created if missing). */
  helpdeskTeams?: Record<string, number>;
  /** Approval kind → approval.category id; unmapped kinds use the category with the kind's name (created if missing). */
  approvalCategories?: Record<string, number>;
  /** account.journal for payments; default: the register wizard's default (first bank journal). */
  bankJournalId?: number;
  /** Page size for reconciliation reads. */
  pageSize?: number;
}

const NO_ARCHIVE_FILTER: OdooContext = { active_test: false };
const PRIORITY: Record<TicketPriority, string> = { low: '0', normal: '1', high: '2', urgent: '3' };

/** Heartbeat when running as an activity; a no-op when called directly (contract tests, scripts). */
function heartbeat(details?: unknown): void {
  asyncLocalStorage.getStore()?.heartbeat(details);
}

function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, activity: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    // Paths and rules only: values may be sensitive.
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
    throw permanentFailure(FailureType.Validation, `${activity}: invalid input: ${problems}`);
  }
  return r.data;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

function paragraphs(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('');
}

/** Odoo's `like` treats `%`/`_` as wildcards; escape them so a key only matches itself (still post-filtered). */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Keys are at most 128 characters; longer composites are hashed (still deterministic). */
function boundedKey(key: string): string {
  return key.length <= 128 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function m2oId(v: unknown): number | undefined {
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  if (typeof v === 'number') return v;
  return undefined;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

interface MoveRow {
  id: number;
  state: InvoiceState;
  move_type: string;
  ref: string | false;
  amount_total: number;
  amount_residual: number;
  payment_state: PaymentState;
  partner_id: [number, string] | false;
}

const MOVE_FIELDS = ['state', 'move_type', 'ref', 'amount_total', 'amount_residual', 'payment_state', 'partner_id'];

export function createOdooActivities(client: OdooClient, config: OdooActivitiesConfig = {}) {
  const pageSize = config.pageSize ?? 200;
  const cache = new Map<string, Promise<number>>();

  /** Resolve-or-create a configuration record once per worker (failed lookups are retried next time). */
  function cached(key: string, make: () => Promise<number>): Promise<number> {
    const hit = cache.get(key);
    if (hit) return hit;
    const p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    return p;
  }

  /** The lowest-id record matching `domain` (deterministic if duplicates exist from before). */
  async function findOne<T extends { id: number }>(model: string, domain: OdooDomain, fields: string[], context?: OdooContext): Promise<T | undefined> {
    const rows = await client.searchRead<T>(model, domain, { fields, limit: 1, order: 'id asc', context });
    return rows[0];
  }

  async function findOrCreateByName(model: string, name: string, extra: Record<string, unknown> = {}): Promise<number> {
    const found = await findOne(model, [['name', '=', name]], ['id'], NO_ARCHIVE_FILTER);
    if (found) return found.id;
    return client.create(model, { name, ...extra });
  }

  async function readMove(invoiceId: number): Promise<MoveRow> {
    const [row] = await client.read<MoveRow>('account.move', [invoiceId], MOVE_FIELDS);
    if (!row) throw permanentFailure(FailureType.NotFound, `account.move ${invoiceId} not found`);
    return row;
  }

  async function irModelId(model: string): Promise<number> {
    return cached(`ir.model:${model}`, async () => {
      const found = await findOne('ir.model', [['model', '=', model]], ['id']);
      if (!found) throw permanentFailure(FailureType.NotFound, `ir.model ${model} not installed`);
      return found.id;
    });
  }

  /** account.payment's memo field: `memo` since Odoo 18, `ref` before. */
  async function paymentMemoField(): Promise<'memo' | 'ref'> {
    return (await client.version()).major >= 18 ? 'memo' : 'ref';
  }

  async function findPaymentByMemo(memo: string): Promise<{ id: number; reconciled_invoice_ids: number[] } | undefined> {
    const field = await paymentMemoField();
    return findOne('account.payment', [[field, '=', memo]], ['reconciled_invoice_ids']);
  }

  // ---------------------------------------------------------------------------------------------- partners & tasks

  async function upsertPatientPartner(input: UpsertPatientPartnerInput): Promise<UpsertPatientPartnerOutput> {
    const { patientRef, siteId } = parseInput(UpsertPatientPartnerInputSchema, input, 'upsertPatientPartner');
    const found = await findOne<{ id: number; active: boolean }>('res.partner', [['ref', '=', patientRef]], ['active'], NO_ARCHIVE_FILTER);
    if (found) {
      if (!found.active) await client.write('res.partner', [found.id], { active: true });
      return { partnerId: found.id };
    }
    const partnerId = await client.create('res.partner', {
      name: `Patient ${patientRef}`,
      ref: patientRef,
      comment: `<p>Site ${escapeHtml(siteId)}</p>`,
      customer_rank: 1,
    });
    return { partnerId };
  }

  async function intakeProjectId(): Promise<number> {
    if (config.intakeProjectId) return config.intakeProjectId;
    const name = config.intakeProjectName ?? 'Referral Intake';
    return cached(`project:${name}`, () => findOrCreateByName('project.project', name));
  }

  async function createIntakeTask(input: CreateIntakeTaskInput): Promise<CreateIntakeTaskOutput> {
    const { journeyId, siteId, referralId, checklist } = parseInput(CreateIntakeTaskInputSchema, input, 'createIntakeTask');
    const name = `[${journeyId}] Intake`;
    const found = await findOne('project.task', [['name', '=', name]], ['id'], NO_ARCHIVE_FILTER);
    if (found) return { taskId: found.id };
    const projectId = await intakeProjectId();
    const items = checklist.map((c) => `<li>${escapeHtml(c)}</li>`).join('');
    const description = `<p>Site ${escapeHtml(siteId)} · referral ${escapeHtml(referralId)}</p>${items ? `<ul>${items}</ul>` : ''}`;
    const taskId = await client.create('project.task', { name, project_id: projectId, description });
    return { taskId };
  }

  // ---------------------------------------------------------------------------------------------- invoices

  async function createDraftInvoice(input: CreateDraftInvoiceInput): Promise<CreateDraftInvoiceOutput> {
    const { claimId, partnerId, journeyId, lines } = parseInput(CreateDraftInvoiceInputSchema, input, 'createDraftInvoice');
    const key: OdooDomain = [['move_type', '=', 'out_invoice'], ['ref', '=', claimId]];
    let invoice = await findOne<MoveRow>('account.move', key, MOVE_FIELDS);
    if (!invoice) {
      const id = await client.create('account.move', {
        move_type: 'out_invoice',
        partner_id: partnerId,
        ref: claimId,
        invoice_origin: journeyId,
        invoice_line_ids: lines.map((l) => [0, 0, { name: `${l.code} ${l.description}`, quantity: l.quantity, price_unit: centsToOdoo(l.priceCents) }]),
      });
      heartbeat({ invoiceId: id });
      invoice = await readMove(id);
    }
    return { invoiceId: invoice.id, state: invoice.state, amountTotalCents: odooToCents(invoice.amount_total) };
  }

  async function postInvoice(input: PostInvoiceInput): Promise<PostInvoiceOutput> {
    const { invoiceId } = parseInput(PostInvoiceInputSchema, input, 'postInvoice');
    const move = await readMove(invoiceId);
    if (move.state === 'posted') return { state: 'posted' };
    if (move.state === 'cancel') throw permanentFailure(FailureType.Validation, `postInvoice: account.move ${invoiceId} is cancelled`);
    try {
      await client.call('account.move', 'action_post', { ids: [invoiceId] });
    } catch (err) {
      // A concurrent/previous attempt may have posted it ("already posted" is a UserError): check, don't guess.
      if ((err as { type?: string }).type !== FailureType.Validation) throw err;
      if ((await readMove(invoiceId)).state !== 'posted') throw err;
    }
    return { state: 'posted' };
  }

  async function voidDraftInvoice(input: VoidDraftInvoiceInput): Promise<VoidDraftInvoiceOutput> {
    const { invoiceId } = parseInput(VoidDraftInvoiceInputSchema, input, 'voidDraftInvoice');
    const move = await readMove(invoiceId);
    if (move.state === 'cancel') return { state: 'cancel', voided: true };
    // Odoo's button_cancel would reset a posted invoice to draft and cancel it; a posted invoice must be
    // reversed with a credit note instead, so we leave it alone and say so.
    if (move.state === 'posted') return { state: 'posted', voided: false };
    try {
      await client.call('account.move', 'button_cancel', { ids: [invoiceId] });
    } catch (err) {
      if ((err as { type?: string }).type !== FailureType.Validation) throw err;
      const now = await readMove(invoiceId);
      if (now.state !== 'cancel') throw err;
    }
    return { state: 'cancel', voided: true };
  }

  // ---------------------------------------------------------------------------------------------- payments

  async function paymentResult(paymentId: number, invoiceId: number): Promise<RegisterPaymentOutput> {
    const move = await readMove(invoiceId);
    return { paymentId, paymentState: move.payment_state, residualCents: odooToCents(move.amount_residual) };
  }

  async function registerPayment(input: RegisterPaymentInput): Promise<RegisterPaymentOutput> {
    const { invoiceId, amountCents, memo, date } = parseInput(RegisterPaymentInputSchema, input, 'registerPayment');
    const existing = await findPaymentByMemo(memo);
    if (existing) {
      const linked = existing.reconciled_invoice_ids ?? [];
      if (linked.length && !linked.includes(invoiceId)) {
        throw permanentFailure(FailureType.Validation, `registerPayment: memo already used by account.payment ${existing.id} for another invoice`);
      }
      return paymentResult(existing.id, invoiceId);
    }
    const move = await readMove(invoiceId);
    if (move.state !== 'posted') throw permanentFailure(FailureType.Validation, `registerPayment: account.move ${invoiceId} is ${move.state}, not posted`);
    if (odooToCents(move.amount_residual) <= 0) throw permanentFailure(FailureType.Validation, `registerPayment: account.move ${invoiceId} has nothing left to pay`);
    const context = { active_model: 'account.move', active_ids: [invoiceId] };
    const wizardId = await client.create(
      'account.payment.register',
      { amount: centsToOdoo(amountCents), payment_date: date, communication: memo, ...(config.bankJournalId ? { journal_id: config.bankJournalId } : {}) },
      context,
    );
    heartbeat({ wizardId });
    const action = await client.call<{ res_id?: number } | boolean>('account.payment.register', 'action_create_payments', { ids: [wizardId], context });
    const fromAction = typeof action === 'object' && action && typeof action.res_id === 'number' ? action.res_id : undefined;
    const paymentId = fromAction ?? (await findPaymentByMemo(memo))?.id;
    if (!paymentId) throw permanentFailure(FailureType.NotFound, `registerPayment: payment for account.move ${invoiceId} not found after creation`);
    return paymentResult(paymentId, invoiceId);
  }

  /** A PLB line as its own posted payment (no invoice), found by memo first so a retry never posts it twice. */
  async function postProviderAdjustment(input: PostProviderAdjustmentInput): Promise<PostProviderAdjustmentOutput> {
    const { memo, direction, amountCents, date } = parseInput(PostProviderAdjustmentInputSchema, input, 'postProviderAdjustment');
    const field = await paymentMemoField();
    const existing = await findOne<{ id: number; state: string }>('account.payment', [[field, '=', memo]], ['state']);
    if (existing) {
      // A retry after the create but before the post (e.g. the response was lost) finishes the post.
      if (existing.state === 'draft') await client.call('account.payment', 'action_post', { ids: [existing.id] });
      return { paymentId: existing.id, created: false };
    }
    const paymentId = await client.create('account.payment', {
      amount: centsToOdoo(amountCents),
      date,
      [field]: memo,
      payment_type: direction,
      partner_type: 'customer',
      ...(config.bankJournalId ? { journal_id: config.bankJournalId } : {}),
    });
    heartbeat({ paymentId });
    await client.call('account.payment', 'action_post', { ids: [paymentId] });
    return { paymentId, created: true };
  }

  // ---------------------------------------------------------------------------------------------- credit notes

  interface CreditNoteRow {
    id: number;
    state: InvoiceState;
    ref: string | false;
    reversed_entry_id: [number, string] | false;
  }

  async function findCreditNote(key: string): Promise<CreditNoteRow | undefined> {
    // Either our key in `ref`, or a reversal whose generated ref ends with "(<key>)" (crash before we rewrote it).
    const rows = await client.searchRead<CreditNoteRow>(
      'account.move',
      [['move_type', '=', 'out_refund'], '|', ['ref', '=', key], ['ref', '=like', `%(${likeLiteral(key)})`]],
      { fields: ['state', 'ref', 'reversed_entry_id'], order: 'id asc' },
    );
    return rows.find((r) => r.ref === key || (typeof r.ref === 'string' && r.ref.endsWith(`(${key})`)));
  }

  async function createCreditNote(input: CreateCreditNoteInput): Promise<CreateCreditNoteOutput> {
    const { invoiceId, amountCents, reason, key } = parseInput(CreateCreditNoteInputSchema, input, 'createCreditNote');
    const found = await findCreditNote(key);
    const origin = found ? m2oId(found.reversed_entry_id) : undefined;
    if (found && origin !== undefined && origin !== invoiceId) {
      throw permanentFailure(FailureType.Validation, `createCreditNote: key already used by credit note account.move ${found.id} for another invoice`);
    }
    let note: Pick<CreditNoteRow, 'id' | 'state' | 'ref'> | undefined = found;
    if (!note) {
      const invoice = await readMove(invoiceId);
      if (invoice.move_type !== 'out_invoice') throw permanentFailure(FailureType.Validation, `createCreditNote: account.move ${invoiceId} is not a customer invoice`);
      if (invoice.state !== 'posted') throw permanentFailure(FailureType.Validation, `createCreditNote: account.move ${invoiceId} is ${invoice.state}, not posted`);
      const total = odooToCents(invoice.amount_total);
      const residual = odooToCents(invoice.amount_residual);
      if (amountCents > residual) {
        throw permanentFailure(FailureType.Validation, `createCreditNote: ${amountCents} cents exceeds the open balance of account.move ${invoiceId}`);
      }
      let id: number | undefined;
      if (amountCents === total && residual === total) {
        // Full reversal through Odoo's wizard: the credit note copies the invoice lines.
        const context = { active_model: 'account.move', active_ids: [invoiceId] };
        const wizardId = await client.create('account.move.reversal', { reason: `${reason} (${key})` }, context);
        const action = await client.call<{ res_id?: number }>('account.move.reversal', 'refund_moves', { ids: [wizardId], context });
        id = typeof action?.res_id === 'number' ? action.res_id : undefined;
        if (id === undefined) {
          const [wizard] = await client.read<{ new_move_ids: number[] }>('account.move.reversal', [wizardId], ['new_move_ids']);
          id = firstId(wizard?.new_move_ids);
        }
        if (id === undefined) throw permanentFailure(FailureType.NotFound, `createCreditNote: reversal of account.move ${invoiceId} produced no credit note`);
      } else {
        // Partial write-off: a one-line credit note linked to the invoice.
        id = await client.create('account.move', {
          move_type: 'out_refund',
          partner_id: m2oId(invoice.partner_id) ?? false,
          ref: key,
          reversed_entry_id: invoiceId,
          invoice_line_ids: [[0, 0, { name: reason, quantity: 1, price_unit: centsToOdoo(amountCents) }]],
        });
      }
      heartbeat({ creditNoteId: id });
      const created = await readMove(id);
      note = { id, state: created.state, ref: created.ref };
    }
    if (note.ref !== key) await client.write('account.move', [note.id], { ref: key });
    if (note.state === 'draft') {
      try {
        await client.call('account.move', 'action_post', { ids: [note.id] });
      } catch (err) {
        if ((err as { type?: string }).type !== FailureType.Validation || (await readMove(note.id)).state !== 'posted') throw err;
      }
    } else if (note.state === 'cancel') {
      throw permanentFailure(FailureType.Validation, `createCreditNote: credit note account.move ${note.id} for this key is cancelled`);
    }
    return { creditNoteId: note.id };
  }

  // ---------------------------------------------------------------------------------------------- activities, tickets

  async function activityTypeId(): Promise<number | undefined> {
    if (config.activityTypeId) return config.activityTypeId;
    return cached('mail.activity.type:To-Do', async () => (await findOne('mail.activity.type', [['name', '=', 'To-Do']], ['id']))?.id ?? 0).then((id) => id || undefined);
  }

  async function resolveUser(assignee: number | string): Promise<number> {
    if (typeof assignee === 'number') return assignee;
    return cached(`res.users:${assignee}`, async () => {
      const found = await findOne('res.users', [['login', '=', assignee]], ['id']);
      if (!found) throw permanentFailure(FailureType.NotFound, 'scheduleActivity: assignee login not found in Odoo');
      return found.id;
    });
  }

  async function scheduleActivity(input: ScheduleActivityInput): Promise<ScheduleActivityOutput> {
    const { journeyId, resModel, resId, summary, note, deadline, assignee } = parseInput(ScheduleActivityInputSchema, input, 'scheduleActivity');
    const resModelId = await irModelId(resModel);
    const found = await findOne(
      'mail.activity',
      [['res_model_id', '=', resModelId], ['res_id', '=', resId], ['summary', '=', summary]],
      ['id'],
      NO_ARCHIVE_FILTER,
    );
    if (found) return { activityId: found.id };
    const typeId = await activityTypeId();
    const activityId = await client.create('mail.activity', {
      res_model_id: resModelId,
      res_id: resId,
      summary,
      note: `${paragraphs(note)}<p>Journey ${escapeHtml(journeyId)}</p>`,
      date_deadline: deadline,
      ...(typeId ? { activity_type_id: typeId } : {}),
      ...(assignee !== undefined ? { user_id: await resolveUser(assignee) } : {}),
    });
    return { activityId };
  }

  async function openTicket(input: OpenTicketInput): Promise<OpenTicketOutput> {
    const { journeyId, queue, title, description, priority } = parseInput(OpenTicketInputSchema, input, 'openTicket');
    const name = `[${journeyId}] ${queue}: ${title}`;
    const found = await findOne('helpdesk.ticket', [['name', '=', name]], ['id'], NO_ARCHIVE_FILTER);
    if (found) return { ticketId: found.id, created: false };
    const teamId = config.helpdeskTeams?.[queue] ?? (await cached(`helpdesk.team:${queue}`, () => findOrCreateByName('helpdesk.team', queue)));
    const ticketId = await client.create('helpdesk.ticket', {
      name,
      description: paragraphs(description),
      team_id: teamId,
      priority: PRIORITY[priority],
    });
    return { ticketId, created: true };
  }

  // ---------------------------------------------------------------------------------------------- approvals

  async function readApprovalStatus(id: number): Promise<OdooApprovalStatus> {
    const [row] = await client.read<{ request_status: OdooApprovalStatus }>('approval.request', [id], ['request_status']);
    if (!row) throw permanentFailure(FailureType.NotFound, `approval.request ${id} not found`);
    return row.request_status;
  }

  async function mirrorApproval(input: MirrorApprovalInput): Promise<MirrorApprovalOutput> {
    const { journeyId, kind, amountCents, requesterId, status, approverId, reason } = parseInput(MirrorApprovalInputSchema, input, 'mirrorApproval');
    const name = `[${journeyId}] ${kind}`;
    let approvalId = (await findOne('approval.request', [['name', '=', name]], ['id']))?.id;
    if (approvalId === undefined) {
      const categoryId = config.approvalCategories?.[kind] ?? (await cached(`approval.category:${kind}`, () => findOrCreateByName('approval.category', kind, { approval_minimum: 1 })));
      const botUid = await client.uid();
      // The integration user is the (only) approver so it can mirror decisions taken in our app.
      approvalId = await client.create('approval.request', {
        name,
        category_id: categoryId,
        amount: centsToOdoo(amountCents),
        reason: `<p>Prepared by ${escapeHtml(requesterId)} in RCM (journey ${escapeHtml(journeyId)})</p>`,
        approver_ids: [[0, 0, { user_id: botUid, required: true }]],
      });
      heartbeat({ approvalId });
    }
    let current = await readApprovalStatus(approvalId);
    if (current === 'new') {
      await client.call('approval.request', 'action_confirm', { ids: [approvalId] });
      current = await readApprovalStatus(approvalId);
    }
    if (status === 'approved' && current !== 'approved') {
      await client.call('approval.request', 'action_approve', { ids: [approvalId] });
      current = await readApprovalStatus(approvalId);
    } else if (status === 'refused' && current !== 'refused') {
      await client.call('approval.request', 'action_refuse', { ids: [approvalId] });
      current = await readApprovalStatus(approvalId);
    }
    if (status !== 'pending' && current !== status) {
      throw permanentFailure(FailureType.Validation, `mirrorApproval: approval.request ${approvalId} is ${current} in Odoo, could not mirror ${status}`);
    }
    if (status !== 'pending') {
      const who = approverId ? ` by ${approverId}` : '';
      await postChatter({
        resModel: 'approval.request',
        resId: approvalId,
        body: `Decision mirrored from RCM: ${status}${who}${reason ? `\nReason: ${reason}` : ''}`,
        key: boundedKey(`approval:${journeyId}:${kind}:${status}`),
      });
    }
    return { approvalId, status: current };
  }

  // ---------------------------------------------------------------------------------------------- documents, chatter

  async function attachDocument(input: AttachDocumentInput): Promise<AttachDocumentOutput> {
    const { resModel, resId, name, mimetype, contentBase64 } = parseInput(AttachDocumentInputSchema, input, 'attachDocument');
    const found = await findOne('ir.attachment', [['res_model', '=', resModel], ['res_id', '=', resId], ['name', '=', name]], ['id']);
    if (found) return { attachmentId: found.id };
    heartbeat({ uploading: true });
    const attachmentId = await client.create('ir.attachment', { name, res_model: resModel, res_id: resId, datas: contentBase64, mimetype, type: 'binary' });
    return { attachmentId };
  }

  async function postChatter(input: PostChatterInput): Promise<PostChatterOutput> {
    const { resModel, resId, body, key } = parseInput(PostChatterInputSchema, input, 'postChatter');
    const marker = `[rcm:${key}]`;
    const candidates = await client.searchRead<{ id: number; body: string | false }>(
      'mail.message',
      [['model', '=', resModel], ['res_id', '=', resId], ['body', 'ilike', likeLiteral(marker)]],
      { fields: ['body'], order: 'id asc' },
    );
    const existing = candidates.find((m) => typeof m.body === 'string' && m.body.includes(marker));
    if (existing) return { messageId: existing.id };
    const result = await client.call<unknown>(resModel, 'message_post', {
      ids: [resId],
      kwargs: { body: `${body}\n${marker}`, message_type: 'comment', subtype_xmlid: 'mail.mt_note' },
    });
    const messageId = firstId(result);
    if (messageId === undefined) throw permanentFailure(FailureType.NotFound, `postChatter: ${resModel}.message_post returned no message id`);
    return { messageId };
  }

  // ---------------------------------------------------------------------------------------------- reconciliation reads

  async function readAll<T>(model: string, domain: OdooDomain, fields: string[]): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await client.searchRead<T>(model, domain, { fields, limit: pageSize, offset, order: 'id asc' });
      out.push(...page);
      heartbeat({ model, read: out.length });
      if (page.length < pageSize) return out;
    }
  }

  async function findInvoices(input: FindInvoicesInput): Promise<InvoiceSummary[]> {
    const { fromDate, toDate } = parseInput(DateRangeInputSchema, input, 'findInvoices');
    const rows = await readAll<MoveRow>('account.move', [['move_type', '=', 'out_invoice'], ['date', '>=', fromDate], ['date', '<=', toDate]], MOVE_FIELDS);
    return rows.map((r) => ({
      claimId: str(r.ref),
      invoiceId: r.id,
      amountTotalCents: odooToCents(r.amount_total),
      residualCents: odooToCents(r.amount_residual),
      paymentState: r.payment_state,
      state: r.state,
    }));
  }

  async function findPayments(input: FindPaymentsInput): Promise<PaymentSummary[]> {
    const { fromDate, toDate } = parseInput(DateRangeInputSchema, input, 'findPayments');
    const memoField = await paymentMemoField();
    const rows = await readAll<Record<string, unknown> & { id: number }>(
      'account.payment',
      [['date', '>=', fromDate], ['date', '<=', toDate]],
      [memoField, 'amount', 'reconciled_invoice_ids'],
    );
    return rows.map((r) => ({
      paymentId: r.id,
      memo: str(r[memoField]),
      amountCents: odooToCents(r.amount),
      invoiceIds: Array.isArray(r.reconciled_invoice_ids) ? (r.reconciled_invoice_ids as number[]) : [],
    }));
  }

  return {
    upsertPatientPartner,
    createIntakeTask,
    createDraftInvoice,
    postInvoice,
    voidDraftInvoice,
    registerPayment,
    postProviderAdjustment,
    createCreditNote,
    scheduleActivity,
    openTicket,
    mirrorApproval,
    attachDocument,
    postChatter,
    findInvoices,
    findPayments,
  };
}

/** The activity interface workflows proxy (`proxyActivities<OdooActivities>()`). */
export type OdooActivities = ReturnType<typeof createOdooActivities>;
