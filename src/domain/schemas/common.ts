import { z } from 'zod';

/**
 * Building blocks shared by every message schema. Ids are opaque, URL/workflow-id safe tokens so they can go
 * into workflow ids (`referral/<siteId>/<referralId>`) and search attributes without leaking PHI.
 */

/** Business ids (site, referral, payer, message…): 1–64 characters of `[A-Za-z0-9._-]`. */
export const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const IdSchema = z.string().regex(ID_PATTERN);

/**
 * Opaque patient reference (an MRN surrogate / Odoo partner external id), never a name or date of birth
 * (ENGINEERING.md: no PHI in workflow state). Same alphabet as ids, and a value holding something that parses as a
 * plausible date of birth is refused because a DOB pasted into the field is the classic leak. Only real calendar
 * dates count (month 1-12, a day that month has, a year 1900 to next year): an opaque id that merely contains a run
 * of digits (`CM-CP10061397-P0`) is accepted.
 */
export const PatientRefSchema = IdSchema.refine((s) => !containsPlausibleDate(s), {
  message: 'patientRef must be an opaque id, not a date of birth',
});

/** Separated dates anywhere (1980-03-07, 03/07/1980, 3.7.80), or the whole value / a whole token being YYYYMMDD or MMDDYYYY. */
export function containsPlausibleDate(value: string): boolean {
  const thisYear = new Date().getUTCFullYear();
  const ok = (y: number, m: number, d: number) => {
    if (y < 1900 || y > thisYear + 1 || m < 1 || m > 12 || d < 1) return false;
    return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
  };
  const year2 = (y: number) => (y >= 100 ? y : y + (y <= thisYear % 100 ? 2000 : 1900));
  for (const m of value.matchAll(/(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g)) {
    if (ok(+m[1], +m[2], +m[3])) return true;
  }
  for (const m of value.matchAll(/(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?!\d)/g)) {
    const y = year2(+m[3]);
    if (ok(y, +m[1], +m[2]) || ok(y, +m[2], +m[1])) return true;
  }
  // Unseparated: only a token that is exactly eight digits (split on the id punctuation), not digits inside a longer run.
  for (const token of value.split(/[._-]/)) {
    if (!/^\d{8}$/.test(token)) continue;
    if (ok(+token.slice(0, 4), +token.slice(4, 6), +token.slice(6, 8))) return true;
    if (ok(+token.slice(4, 8), +token.slice(0, 2), +token.slice(2, 4))) return true;
  }
  return false;
}

/** Every message a payer or system sends carries a messageId: the dedupe key for signals/updates. */
export const MessageIdSchema = z.string().regex(/^[A-Za-z0-9._:|-]{1,128}$/);

/** ISO-8601 instant with an explicit offset or Z, e.g. `2026-03-02T10:00:00-05:00`. */
export const IsoDateTimeSchema = z.string().datetime({ offset: true });
/** ISO calendar date `YYYY-MM-DD` (service dates, dates of service). */
export const IsoDateSchema = z.string().date();

/** Integer cents (money.ts): safe integer, may be negative (reversals). */
export const CentsSchema = z.number().int().refine(Number.isSafeInteger, { message: 'must be safe integer cents' });
export const NonNegativeCentsSchema = CentsSchema.refine((n) => n >= 0, { message: 'must be >= 0 cents' });
export const PositiveCentsSchema = CentsSchema.refine((n) => n > 0, { message: 'must be > 0 cents' });

/** CPT (5 chars, Category II/III end in F/T) or HCPCS Level II (letter + 4 digits). */
export const ProcedureCodeSchema = z.string().regex(/^(?:\d{4}[0-9FTU]|[A-Z]\d{4})$/);
/** ICD-10-CM diagnosis code, with or without the dot (`M54.50`, `M5450`). */
export const Icd10Schema = z.string().regex(/^[A-TV-Z]\d[0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/);
/** CPT/HCPCS modifier: two alphanumerics (`25`, `LT`, `GA`). */
export const ModifierSchema = z.string().regex(/^[0-9A-Z]{2}$/);
/** Service units: positive integer. */
export const UnitsSchema = z.number().int().min(1).max(9999);

/** Plan types, which select the regulatory clocks (CMS-0057-F, ERISA, Medicare timely filing…). */
export const PLAN_TYPES = [
  'medicare_advantage',
  'medicaid_ffs',
  'medicaid_managed',
  'chip',
  'qhp_exchange',
  'erisa_group',
  'commercial',
  'medicare_ffs',
  'self_pay',
] as const;
export const PlanTypeSchema = z.enum(PLAN_TYPES);
export type PlanType = z.infer<typeof PlanTypeSchema>;

export const UrgencySchema = z.enum(['standard', 'expedited']);
export type Urgency = z.infer<typeof UrgencySchema>;

/** People who act on journeys. Limits per role live in approvals policy, configurable per site. */
export const ROLES = [
  'intake_coordinator',
  'scheduler',
  'coder',
  'coding_supervisor',
  'billing_specialist',
  'billing_supervisor',
  'revenue_cycle_manager',
  'cfo',
  'system',
] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** A short free-text reason (audit timeline). Never clinical notes. */
export const ReasonSchema = z.string().max(1000);

/** An OIDC issuer identifier (a URL, no PHI) recorded with a verified decision. */
export const IssuerSchema = z.string().min(1).max(200).regex(/^https?:\/\/[^\s]+$/, 'must be an issuer URL');

export interface ValidationIssue {
  /** dotted path into the value, e.g. `orderedServices.0.cpt` (empty for the root) */
  path: string;
  message: string;
}

/** Thrown by parseOrThrow: stable name (map to a non-retryable failure type) and field paths, no values (no PHI). */
export class DomainValidationError extends Error {
  readonly issues: ValidationIssue[];
  readonly what: string;
  constructor(what: string, issues: ValidationIssue[]) {
    super(`${what} is invalid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'DomainValidationError';
    this.what = what;
    this.issues = issues;
  }
}

/** Convert a zod error to path/message pairs. */
export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * Validate `value` against `schema` and return the parsed output, or throw a DomainValidationError whose message
 * lists each failing field path, e.g. `referral is invalid: orderedServices.0.cpt: Invalid`.
 */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new DomainValidationError(what, issuesOf(result.error));
  return result.data;
}
