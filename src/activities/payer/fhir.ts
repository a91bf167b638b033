import type { Bundle, CodeableConcept, CoverageEligibilityRequest, Extension } from '@medplum/fhirtypes';
import { z } from 'zod';
import { formatCents, parseCents } from '../../domain/money';
import { PlanTypeSchema } from '../../domain/schemas/common';
import { buildPasRequestBundle } from './pasRequest';
export { dottedIcd10 } from './pasRequest';
import {
  REVIEW_ACTIONS,
  type CheckEligibilityInput,
  type EligibilityResult,
  type PriorAuthDecision,
  type PriorAuthReason,
  type ReviewAction,
  type SubmitPriorAuthInput,
} from './types';

/**
 * FHIR R4 mapping for eligibility (CoverageEligibilityRequest/Response) and Da Vinci PAS prior authorization
 * (Claim `use: preauthorization` in a Bundle → Bundle with ClaimResponse). Builders produce the request resources
 * from activity inputs; readers validate the response subset we rely on with zod and map it back to activity
 * results. Money on the wire is FHIR decimal `value`; it becomes integer cents here, exactly (parseCents on the
 * decimal's string form), never through float arithmetic.
 */

export const SYSTEM = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  benefitType: 'http://terminology.hl7.org/CodeSystem/benefit-type',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  claimInfoCategory: 'http://terminology.hl7.org/CodeSystem/claiminformationcategory',
  /** X12 278 HCR01 action codes (code list 306), as bound by PAS extension-reviewActionCode. */
  x12ReviewAction: 'https://codesystem.x12.org/005010/306',
  /** X12 278 HCR03 review decision reason codes (external code source 886). */
  x12ReviewReason: 'https://codesystem.x12.org/external/886',
  loinc: 'http://loinc.org',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  /** Our business identifiers (no PHI): prior-auth request ids and payer member surrogates. */
  authRequestId: 'urn:rcm:auth-request-id',
  journeyId: 'urn:rcm:journey-id',
  memberRef: 'urn:rcm:member-ref',
  payerId: 'urn:rcm:payer-id',
  /** Plan type of the coverage (our PLAN_TYPES), returned by payers/clearinghouses we integrate with. */
  planType: 'urn:rcm:plan-type',
  /** Payer tracking reference of a prior-auth case. */
  payerTracking: 'urn:rcm:payer-tracking-id',
} as const;

export const PAS_EXT = {
  reviewAction: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction',
  reviewActionCode: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode',
} as const;

export const FHIR_JSON = 'application/fhir+json';

// ---------------------------------------------------------------- eligibility

export function buildEligibilityRequest(input: CheckEligibilityInput, created: string, providerNpi: string): CoverageEligibilityRequest {
  return {
    resourceType: 'CoverageEligibilityRequest',
    identifier: [{ system: SYSTEM.journeyId, value: input.journeyId }],
    status: 'active',
    // The journey reads authorizationRequired: ask for it (auth-requirements) along with the benefits.
    purpose: ['auth-requirements', 'benefits'],
    patient: { identifier: { system: SYSTEM.memberRef, value: input.memberRef } },
    servicedDate: input.serviceDate,
    created,
    provider: { identifier: { system: SYSTEM.npi, value: providerNpi } },
    insurer: { identifier: { system: SYSTEM.payerId, value: input.payerId } },
    insurance: [{ focal: true, coverage: { identifier: { system: SYSTEM.memberRef, value: input.memberRef } } }],
    item: input.serviceCodes.map((code) => ({ productOrService: cpt(code) })),
  };
}

/** FHIR decimals arrive as JS numbers; format them back exactly (JSON numbers of money have ≤ 2 decimals). */
const MoneySchema = z.object({ value: z.number().finite(), currency: z.string().optional() });
const CodingSchema = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const CodeableConceptSchema = z.object({ coding: z.array(CodingSchema).optional(), text: z.string().optional() });

const BenefitSchema = z.object({
  type: CodeableConceptSchema,
  allowedMoney: MoneySchema.optional(),
  usedMoney: MoneySchema.optional(),
  allowedUnsignedInt: z.number().int().nonnegative().optional(),
  allowedString: z.string().optional(),
});

const EligibilityResponseSchema = z.object({
  resourceType: z.literal('CoverageEligibilityResponse'),
  id: z.string().min(1),
  outcome: z.enum(['queued', 'complete', 'error', 'partial']),
  insurance: z
    .array(
      z.object({
        inforce: z.boolean().optional(),
        coverage: z.object({ type: CodeableConceptSchema.optional() }).passthrough().optional(),
        item: z
          .array(
            z.object({
              productOrService: CodeableConceptSchema.optional(),
              authorizationRequired: z.boolean().optional(),
              benefit: z.array(BenefitSchema).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  contained: z.array(z.object({ resourceType: z.string(), id: z.string().optional(), type: CodeableConceptSchema.optional() }).passthrough()).optional(),
});

/**
 * FHIR Money `value` → cents. String() of a JSON number is its shortest round-trip decimal form ("12.5"), which
 * parseCents reads exactly; sub-cent or exponent forms throw a MoneyError (the caller maps it to a ValidationError).
 */
export function moneyToCents(money: { value: number }): number {
  return parseCents(String(money.value));
}

/** Cents → FHIR Money; the decimal literal "12.50" parses to the double nearest 12.5, which serialises back exactly. */
export function centsToMoney(cents: number): { value: number; currency: 'USD' } {
  return { value: Number(formatCents(cents)), currency: 'USD' };
}

function benefitCode(b: z.infer<typeof BenefitSchema>): string | undefined {
  return b.type.coding?.find((c) => c.system === SYSTEM.benefitType)?.code ?? b.type.coding?.[0]?.code;
}

/**
 * Map a CoverageEligibilityResponse to our result. `outcome: error` or no insurance → `unknown` (the journey escalates
 * rather than guessing). Benefits are taken from the focal insurance: `copay` allowedMoney, `deductible` allowed − used,
 * `copay-percent` (coinsurance, whole percent) → basis points.
 */
export function readEligibilityResponse(body: unknown): EligibilityResult | z.ZodError {
  const parsed = EligibilityResponseSchema.safeParse(body);
  if (!parsed.success) return parsed.error;
  const r = parsed.data;
  const insurance = r.insurance?.[0];
  const status: EligibilityResult['status'] = r.outcome === 'error' || !insurance || insurance.inforce === undefined ? 'unknown' : insurance.inforce ? 'active' : 'inactive';
  const items = insurance?.item ?? [];
  const benefits = items.flatMap((i) => i.benefit ?? []);
  const find = (code: string) => benefits.find((b) => benefitCode(b) === code);
  const copay = find('copay');
  const deductible = find('deductible');
  const coins = find('copay-percent');
  const planCode = [...(r.contained ?? []).map((c) => c.type), insurance?.coverage?.type]
    .flatMap((t) => t?.coding ?? [])
    .find((c) => c.system === SYSTEM.planType)?.code;
  const plan = PlanTypeSchema.safeParse(planCode);
  const deductibleRemaining = deductible?.allowedMoney ? Math.max(0, moneyToCents(deductible.allowedMoney) - (deductible.usedMoney ? moneyToCents(deductible.usedMoney) : 0)) : 0;
  return {
    responseId: r.id,
    status,
    ...(plan.success ? { planType: plan.data } : {}),
    authRequired: items.some((i) => i.authorizationRequired === true),
    copayCents: copay?.allowedMoney ? moneyToCents(copay.allowedMoney) : 0,
    deductibleRemainingCents: deductibleRemaining,
    coinsuranceBasisPoints: coins?.allowedUnsignedInt !== undefined ? coins.allowedUnsignedInt * 100 : 0,
  };
}

// ---------------------------------------------------------------- Da Vinci PAS

function cpt(code: string): CodeableConcept {
  return { coding: [{ system: SYSTEM.cpt, code }] };
}

/**
 * PAS request Bundle (pasRequest.ts): the Claim plus the Patient, Coverage, insurer and requestor it references by
 * `urn:uuid` fullUrl. The Patient carries the member surrogate only; demographics are masked, never sent.
 */
export function buildPriorAuthBundle(input: SubmitPriorAuthInput, created: string, providerNpi: string, opts: { providerName?: string; payerName?: string } = {}): Bundle {
  return buildPasRequestBundle(input, SYSTEM, { created, providerNpi, ...opts });
}

const ExtensionSchema: z.ZodType<{ url: string; valueString?: string; valueCodeableConcept?: z.infer<typeof CodeableConceptSchema>; extension?: unknown[] }> = z
  .object({
    url: z.string(),
    valueString: z.string().optional(),
    valueCodeableConcept: CodeableConceptSchema.optional(),
    extension: z.array(z.lazy(() => ExtensionSchema)).optional(),
  })
  .passthrough();

const AdjudicationSchema = z.object({ category: CodeableConceptSchema, value: z.number().optional(), extension: z.array(ExtensionSchema).optional() });

const ClaimResponseSchema = z.object({
  resourceType: z.literal('ClaimResponse'),
  id: z.string().optional(),
  identifier: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
  outcome: z.enum(['queued', 'complete', 'error', 'partial']),
  created: z.string().optional(),
  preAuthRef: z.string().min(1),
  request: z.object({ reference: z.string().optional(), identifier: z.object({ system: z.string().optional(), value: z.string().optional() }).optional() }).optional(),
  adjudication: z.array(AdjudicationSchema).optional(),
  item: z.array(z.object({ itemSequence: z.number().int(), adjudication: z.array(AdjudicationSchema) })).optional(),
  communicationRequest: z.array(z.object({ reference: z.string().optional() })).optional(),
});

const CommunicationRequestSchema = z.object({
  resourceType: z.literal('CommunicationRequest'),
  id: z.string().optional(),
  payload: z.array(z.object({ contentString: z.string().optional() })).optional(),
});

const ResponseBundleSchema = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.object({ resourceType: z.string() }).passthrough() })).optional(),
});

export interface PriorAuthResponse {
  trackingId: string;
  /** ClaimResponse.created: when the payer registered the case (stable across idempotent resubmissions). */
  created?: string;
  authRequestId?: string;
  decision: PriorAuthDecision;
}

interface ReviewActionRead {
  action: ReviewAction;
  number?: string;
  reasons: PriorAuthReason[];
}

function readReviewAction(extensions: z.infer<typeof ExtensionSchema>[] | undefined): ReviewActionRead | undefined {
  const ext = extensions?.find((e) => e.url === PAS_EXT.reviewAction);
  if (!ext) return undefined;
  const parts = (ext.extension ?? []) as z.infer<typeof ExtensionSchema>[];
  const code = parts.find((p) => p.url === PAS_EXT.reviewActionCode)?.valueCodeableConcept?.coding?.find((c) => c.system === SYSTEM.x12ReviewAction)?.code;
  if (!code || !(REVIEW_ACTIONS as readonly string[]).includes(code)) return undefined;
  const number = parts.find((p) => p.url === 'number')?.valueString;
  const reasons = parts
    .filter((p) => p.url === 'reasonCode')
    .map((p) => {
      const c = p.valueCodeableConcept?.coding?.[0];
      return { code: c?.code ?? 'unknown', text: p.valueCodeableConcept?.text ?? c?.display ?? '' };
    });
  return { action: code as ReviewAction, ...(number ? { number } : {}), reasons };
}

/** Combine item-level review actions when the payer gives no header-level one. */
function combineActions(actions: ReviewAction[]): ReviewAction {
  const distinct = [...new Set(actions)];
  if (distinct.length === 1) return distinct[0];
  if (distinct.includes('A4')) return 'A4';
  if (distinct.includes('CT')) return 'CT';
  if (distinct.some((a) => a === 'A1' || a === 'A2' || a === 'A6')) return 'A2';
  return distinct[0];
}

function readClaimResponse(cr: z.infer<typeof ClaimResponseSchema>, bundleEntries: { fullUrl?: string; resource: { resourceType: string } }[]): PriorAuthResponse | string {
  const itemActions = (cr.item ?? []).map((item) => ({ item, read: item.adjudication.map((a) => readReviewAction(a.extension)).find(Boolean) }));
  const header = (cr.adjudication ?? []).map((a) => readReviewAction(a.extension)).find(Boolean);
  const reads = itemActions.map((i) => i.read).filter((r): r is ReviewActionRead => r !== undefined);
  if (!header && reads.length === 0) return 'ClaimResponse carries no PAS reviewAction';
  const action = header?.action ?? combineActions(reads.map((r) => r.action));
  const authNumber = header?.number ?? reads.find((r) => r.number)?.number;
  const seen = new Set<string>();
  const reasons = [...(header?.reasons ?? []), ...reads.flatMap((r) => r.reasons)].filter((r) => (seen.has(r.code) ? false : (seen.add(r.code), true)));
  const units = itemActions.flatMap((i) => i.item.adjudication.filter((a) => a.category.coding?.some((c) => c.system === SYSTEM.adjudication && c.code === 'eligible')).map((a) => a.value ?? 0));
  const refs = new Set((cr.communicationRequest ?? []).map((r) => r.reference).filter(Boolean));
  const requestedDocuments = bundleEntries
    .filter((e) => e.resource.resourceType === 'CommunicationRequest' && (refs.size === 0 || (e.fullUrl !== undefined && refs.has(e.fullUrl)) || refs.has(`CommunicationRequest/${(e.resource as { id?: string }).id}`)))
    .flatMap((e) => {
      const c = CommunicationRequestSchema.safeParse(e.resource);
      return c.success ? (c.data.payload ?? []).map((p) => p.contentString).filter((s): s is string => !!s) : [];
    });
  const authRequestId = cr.request?.identifier?.system === SYSTEM.authRequestId ? cr.request.identifier.value : undefined;
  return {
    trackingId: cr.preAuthRef,
    ...(cr.created ? { created: cr.created } : {}),
    ...(authRequestId ? { authRequestId } : {}),
    decision: {
      action,
      ...(authNumber && ['A1', 'A2', 'A6'].includes(action) ? { authNumber } : {}),
      ...(units.length > 0 && ['A1', 'A2', 'A6'].includes(action) ? { approvedUnits: units.reduce((a, b) => a + b, 0) } : {}),
      reasons,
      requestedDocuments: action === 'A4' ? requestedDocuments : [],
    },
  };
}

/**
 * Read a PAS response Bundle ($submit response, ClaimResponse search result or webhook notification). Returns
 * `null` for a search with no ClaimResponse yet, a ZodError/string for a response that does not match PAS.
 * When a search holds several ClaimResponses (a pended one and its final decision) the last one wins.
 */
export function readPriorAuthBundle(body: unknown): PriorAuthResponse | null | z.ZodError | string {
  const bundle = ResponseBundleSchema.safeParse(body);
  if (!bundle.success) return bundle.error;
  const entries = bundle.data.entry ?? [];
  const responses = entries.filter((e) => e.resource.resourceType === 'ClaimResponse');
  if (responses.length === 0) return bundle.data.type === 'searchset' ? null : 'Bundle has no ClaimResponse';
  const cr = ClaimResponseSchema.safeParse(responses[responses.length - 1].resource);
  if (!cr.success) return cr.error;
  return readClaimResponse(cr.data, entries);
}

// ---------------------------------------------------------------- builders used by payer-side code (emulator)

export function reviewActionExtension(action: ReviewAction, number?: string, reasons: PriorAuthReason[] = []): Extension {
  return {
    url: PAS_EXT.reviewAction,
    extension: [
      { url: PAS_EXT.reviewActionCode, valueCodeableConcept: { coding: [{ system: SYSTEM.x12ReviewAction, code: action }] } },
      ...(number ? [{ url: 'number', valueString: number }] : []),
      ...reasons.map((r) => ({ url: 'reasonCode', valueCodeableConcept: { coding: [{ system: SYSTEM.x12ReviewReason, code: r.code, display: r.text }], text: r.text } })),
    ],
  };
}
