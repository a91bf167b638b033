/**
 * Inputs and outputs of the Odoo activities. Workflows import these with `import type` only.
 * Money is integer cents; ids are Odoo record ids (numbers) or our opaque business ids (strings, no PHI).
 */
import { z } from 'zod';

/** Opaque business id (journey, site, referral, claim…): URL/workflow-id safe, never a name. */
const Id = z.string().regex(/^[A-Za-z0-9._:/|-]{1,128}$/, 'must be an opaque id ([A-Za-z0-9._:/|-], 1–128 chars)');
/** Opaque patient reference; anything that looks like a date (DOB pasted by mistake) is refused. */
const PatientRef = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an opaque id')
  .refine((s) => !/\d{4}[-/.]?\d{2}[-/.]?\d{2}/.test(s) && !/\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/.test(s), 'must not look like a date');
const RecordId = z.number().int().positive();
const Cents = z.number().int().refine(Number.isSafeInteger, 'must be safe integer cents');
const PositiveCents = Cents.refine((n) => n > 0, 'must be > 0 cents');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date');
const ModelName = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'must be an Odoo model name');
/** Short human text that goes into Odoo (summaries, titles): bounded, single line. */
const Line = (max: number) => z.string().min(1).max(max).refine((s) => !/[\r\n]/.test(s), 'must be a single line');

export const UpsertPatientPartnerInputSchema = z.object({ patientRef: PatientRef, siteId: Id });
export type UpsertPatientPartnerInput = z.infer<typeof UpsertPatientPartnerInputSchema>;
export interface UpsertPatientPartnerOutput {
  partnerId: number;
}

export const CreateIntakeTaskInputSchema = z.object({
  journeyId: Id,
  siteId: Id,
  referralId: Id,
  checklist: z.array(Line(200)).max(100),
});
export type CreateIntakeTaskInput = z.infer<typeof CreateIntakeTaskInputSchema>;
export interface CreateIntakeTaskOutput {
  taskId: number;
}

export const InvoiceLineSchema = z.object({
  /** CPT/HCPCS or internal charge code. */
  code: z.string().regex(/^[A-Za-z0-9.-]{1,20}$/),
  description: Line(200),
  quantity: z.number().int().positive().max(9999),
  priceCents: Cents.refine((n) => n >= 0, 'must be >= 0 cents'),
});
export type InvoiceLine = z.infer<typeof InvoiceLineSchema>;

export const CreateDraftInvoiceInputSchema = z.object({
  claimId: Id,
  partnerId: RecordId,
  journeyId: Id,
  lines: z.array(InvoiceLineSchema).min(1).max(200),
});
export type CreateDraftInvoiceInput = z.infer<typeof CreateDraftInvoiceInputSchema>;
export type InvoiceState = 'draft' | 'posted' | 'cancel';
export interface CreateDraftInvoiceOutput {
  invoiceId: number;
  state: InvoiceState;
  amountTotalCents: number;
}

export const PostInvoiceInputSchema = z.object({ invoiceId: RecordId });
export type PostInvoiceInput = z.infer<typeof PostInvoiceInputSchema>;
export interface PostInvoiceOutput {
  state: 'posted';
}

export const VoidDraftInvoiceInputSchema = z.object({ invoiceId: RecordId });
export type VoidDraftInvoiceInput = z.infer<typeof VoidDraftInvoiceInputSchema>;
export interface VoidDraftInvoiceOutput {
  state: InvoiceState;
  /** false when the invoice was already posted (a posted invoice is reversed with a credit note, not voided). */
  voided: boolean;
}

export type PaymentState = 'not_paid' | 'in_payment' | 'paid' | 'partial' | 'reversed' | 'invoicing_legacy';

export const RegisterPaymentInputSchema = z.object({
  invoiceId: RecordId,
  amountCents: PositiveCents,
  /** `${TRN02}/${CLP01}` built by the caller: the payment's business key. */
  memo: z.string().regex(/^[A-Za-z0-9._:/|-]{1,128}$/),
  date: IsoDate,
});
export type RegisterPaymentInput = z.infer<typeof RegisterPaymentInputSchema>;
export interface RegisterPaymentOutput {
  paymentId: number;
  paymentState: PaymentState;
  residualCents: number;
}

/**
 * A provider-level adjustment of an 835 (PLB) posted as its own payment, never on a claim invoice: L6 interest is money
 * in (inbound), a WO/FB recoupment or a 72 authorized return is money out (outbound). The memo is the business key.
 */
export const PostProviderAdjustmentInputSchema = z.object({
  /** `PLB|<TRN02>|<index>|<reason>` built by the caller */
  memo: z.string().regex(/^PLB\|[A-Za-z0-9._:/|-]{1,120}$/),
  direction: z.enum(['inbound', 'outbound']),
  amountCents: PositiveCents,
  date: IsoDate,
});
export type PostProviderAdjustmentInput = z.infer<typeof PostProviderAdjustmentInputSchema>;
export interface PostProviderAdjustmentOutput {
  paymentId: number;
  created: boolean;
}

export const CreateCreditNoteInputSchema = z.object({
  invoiceId: RecordId,
  amountCents: PositiveCents,
  /** Short reason code/text (CARC group, "write-off: small balance"…), no PHI. */
  reason: Line(200),
  /** Business key of the credit note (stored in its `ref`). */
  key: Id,
});
export type CreateCreditNoteInput = z.infer<typeof CreateCreditNoteInputSchema>;
export interface CreateCreditNoteOutput {
  creditNoteId: number;
}

export const ScheduleActivityInputSchema = z.object({
  journeyId: Id,
  resModel: ModelName,
  resId: RecordId,
  summary: Line(200),
  note: z.string().max(10_000),
  /** YYYY-MM-DD */
  deadline: IsoDate,
  /** Odoo res.users id, or a login. Defaults to the integration user. */
  assignee: z.union([RecordId, z.string().min(1).max(128)]).optional(),
});
export type ScheduleActivityInput = z.infer<typeof ScheduleActivityInputSchema>;
export interface ScheduleActivityOutput {
  activityId: number;
}

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const OpenTicketInputSchema = z.object({
  journeyId: Id,
  /** Work queue = helpdesk team name (e.g. `denials`, `prior-auth`). */
  queue: Line(64),
  title: Line(200),
  description: z.string().max(10_000),
  priority: z.enum(TICKET_PRIORITIES),
});
export type OpenTicketInput = z.infer<typeof OpenTicketInputSchema>;
export interface OpenTicketOutput {
  ticketId: number;
  created: boolean;
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'refused'] as const;
export type MirrorApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export type OdooApprovalStatus = 'new' | 'pending' | 'approved' | 'refused' | 'cancel';
export const MirrorApprovalInputSchema = z.object({
  journeyId: Id,
  /** Approval kind, e.g. `billing-release`, `write-off`; also the approval.category name when not configured. */
  kind: Id,
  amountCents: Cents.refine((n) => n >= 0, 'must be >= 0 cents'),
  /** Our user id of the preparer (opaque). */
  requesterId: Id,
  status: z.enum(APPROVAL_STATUSES),
  /** Our user id of the approver (opaque). */
  approverId: Id.optional(),
  reason: z.string().max(2000).optional(),
});
export type MirrorApprovalInput = z.infer<typeof MirrorApprovalInputSchema>;
export interface MirrorApprovalOutput {
  approvalId: number;
  status: OdooApprovalStatus;
}

export const AttachDocumentInputSchema = z.object({
  resModel: ModelName,
  resId: RecordId,
  name: Line(255),
  mimetype: z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i),
  contentBase64: z
    .string()
    .max(40 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export type AttachDocumentInput = z.infer<typeof AttachDocumentInputSchema>;
export interface AttachDocumentOutput {
  attachmentId: number;
}

export const PostChatterInputSchema = z.object({
  resModel: ModelName,
  resId: RecordId,
  body: z.string().min(1).max(10_000),
  /** Idempotency key; stored in the message as a `[rcm:<key>]` marker. */
  key: z.string().regex(/^[A-Za-z0-9._:/|-]{1,128}$/),
});
export type PostChatterInput = z.infer<typeof PostChatterInputSchema>;
export interface PostChatterOutput {
  messageId: number;
}

export const DateRangeInputSchema = z.object({ fromDate: IsoDate, toDate: IsoDate }).refine((r) => r.fromDate <= r.toDate, 'fromDate must be <= toDate');
export type DateRangeInput = z.infer<typeof DateRangeInputSchema>;
export type FindInvoicesInput = DateRangeInput;
export type FindPaymentsInput = DateRangeInput;

export interface InvoiceSummary {
  /** The invoice `ref` (our claim id); null for invoices not created by us. */
  claimId: string | null;
  invoiceId: number;
  amountTotalCents: number;
  residualCents: number;
  paymentState: PaymentState;
  state: InvoiceState;
}

export interface PaymentSummary {
  paymentId: number;
  memo: string | null;
  amountCents: number;
  invoiceIds: number[];
}
