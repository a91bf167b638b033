import type {
  Bundle,
  BundleEntry,
  ClaimResponse,
  CodeableConcept,
  CommunicationRequest,
  CoverageEligibilityResponse,
  CoverageEligibilityResponseInsuranceItem,
  Identifier,
  OperationOutcome,
  Organization,
  Patient,
  Reference,
} from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CODES as SYSTEM, moneyFromCents as centsToMoney, reviewAction as reviewActionExtension } from './fhirCodes';
import type { PriorAuthReason, ReviewAction } from '../../src/activities/payer/types';
import type { MemberBenefits, MemberState } from './rules';

/**
 * Payer-side FHIR: lenient readers for the requests the emulator accepts and builders for its responses.
 */

export function operationOutcome(severity: 'error' | 'fatal', code: string, diagnostics: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: code as 'invalid', diagnostics }] };
}

const IdentifierSchema = z.object({ system: z.string().optional(), value: z.string().min(1) });
const ReferenceSchema = z.object({ reference: z.string().optional(), identifier: IdentifierSchema.optional() });
const CodeableSchema = z.object({ coding: z.array(z.object({ system: z.string().optional(), code: z.string().optional() })).min(1) });

/** Member id from a reference: `identifier.value`, or the id part of `Coverage/<id>` / `Patient/<id>`. */
function refValue(ref: z.infer<typeof ReferenceSchema> | undefined): string | undefined {
  return ref?.identifier?.value ?? ref?.reference?.split('/').pop();
}

function cptCode(cc: z.infer<typeof CodeableSchema>): string | undefined {
  return (cc.coding.find((c) => c.system === SYSTEM.cpt) ?? cc.coding[0]).code;
}

export const EligibilityRequestSchema = z.object({
  resourceType: z.literal('CoverageEligibilityRequest'),
  identifier: z.array(IdentifierSchema).optional(),
  purpose: z.array(z.enum(['auth-requirements', 'benefits', 'discovery', 'validation'])).min(1),
  patient: ReferenceSchema,
  insurance: z.array(z.object({ coverage: ReferenceSchema })).min(1),
  item: z.array(z.object({ productOrService: CodeableSchema })).optional(),
});

export interface EligibilityFacts {
  request: z.infer<typeof EligibilityRequestSchema>;
  memberRef: string;
  serviceCodes: string[];
}

export function readEligibilityRequest(body: unknown): EligibilityFacts | string {
  const parsed = EligibilityRequestSchema.safeParse(body);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const memberRef = refValue(parsed.data.insurance[0].coverage) ?? refValue(parsed.data.patient);
  if (!memberRef) return 'insurance[0].coverage has no member identifier';
  const serviceCodes = (parsed.data.item ?? []).map((i) => cptCode(i.productOrService)).filter((c): c is string => !!c);
  return { request: parsed.data, memberRef, serviceCodes };
}

function benefitType(code: string): CodeableConcept {
  return { coding: [{ system: SYSTEM.benefitType, code }] };
}

export function eligibilityResponse(opts: {
  id: string;
  payerId: string;
  created: string;
  facts: EligibilityFacts;
  state: MemberState;
  benefits: MemberBenefits;
  authRequired: (code: string) => boolean;
}): CoverageEligibilityResponse {
  const { facts, state, benefits } = opts;
  const asked = (purpose: string) => facts.request.purpose.includes(purpose as 'benefits');
  const insurer: Reference<Organization> = { identifier: { system: SYSTEM.payerId, value: opts.payerId } };
  const patient = facts.request.patient as Reference<Patient>;
  const base: CoverageEligibilityResponse = {
    resourceType: 'CoverageEligibilityResponse',
    id: opts.id,
    status: 'active',
    purpose: facts.request.purpose,
    patient,
    created: opts.created,
    ...(facts.request.identifier?.[0] ? { request: { identifier: facts.request.identifier[0] as Identifier } } : { request: { display: 'eligibility request' } }),
    outcome: state === 'unknown' ? 'error' : 'complete',
    insurer,
  };
  if (state === 'unknown') {
    return { ...base, disposition: 'Subscriber not found', error: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication-error', code: 'a001' }], text: 'Subscriber not found' } }] };
  }
  const items: CoverageEligibilityResponseInsuranceItem[] = facts.serviceCodes.map((code) => ({
    category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-benefitcategory', code: '30', display: 'Health Benefit Plan Coverage' }] },
    productOrService: { coding: [{ system: SYSTEM.cpt, code }] },
    network: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-network', code: 'in' }] },
    unit: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-unit', code: 'individual' }] },
    term: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/benefit-term', code: 'annual' }] },
    // Answer what was asked (CoverageEligibilityRequest.purpose): benefits for 'benefits', authorizationRequired for
    // 'auth-requirements'. A request that forgets to ask does not get the answer by accident.
    ...(state === 'active' && asked('benefits')
      ? {
          benefit: [
            { type: benefitType('copay'), allowedMoney: centsToMoney(benefits.copayCents) },
            { type: benefitType('deductible'), allowedMoney: centsToMoney(benefits.deductibleCents), usedMoney: centsToMoney(benefits.deductibleUsedCents) },
            { type: benefitType('copay-percent'), allowedUnsignedInt: benefits.coinsurancePercent },
          ],
        }
      : {}),
    ...(asked('auth-requirements') ? { authorizationRequired: opts.authRequired(code) } : {}),
  }));
  return {
    ...base,
    disposition: state === 'active' ? 'Coverage active' : 'Coverage not in force on the service date',
    contained: [
      {
        resourceType: 'Coverage',
        id: 'coverage',
        status: state === 'active' ? 'active' : 'cancelled',
        type: { coding: [{ system: SYSTEM.planType, code: benefits.planType }] },
        beneficiary: patient,
        payor: [insurer],
      },
    ],
    insurance: [{ coverage: { reference: '#coverage' }, inforce: state === 'active', item: items }],
  };
}

// ------------------------------------------------------------------ PAS

const CODES_MEMBER_REF = SYSTEM.memberRef;
const PAS_ITEM_CERTIFICATION = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-certificationType';
const PAS_ITEM_REQUEST_TYPE = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-serviceItemRequestType';
const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ExtensionSchema = z.object({ url: z.string(), valueCodeableConcept: CodeableSchema.optional() }).passthrough();

export const PasClaimSchema = z.object({
  resourceType: z.literal('Claim'),
  identifier: z.array(IdentifierSchema).min(1),
  use: z.literal('preauthorization'),
  patient: ReferenceSchema,
  insurer: ReferenceSchema,
  provider: ReferenceSchema,
  priority: CodeableSchema.optional(),
  insurance: z.array(z.object({ coverage: ReferenceSchema })).min(1),
  item: z
    .array(
      z.object({
        sequence: z.number().int().positive(),
        category: CodeableSchema,
        productOrService: CodeableSchema,
        quantity: z.object({ value: z.number().positive() }).optional(),
        extension: z.array(ExtensionSchema).optional(),
      }),
    )
    .min(1),
});

export interface PasFacts {
  claim: z.infer<typeof PasClaimSchema>;
  /** The Claim resource as received (served back at GET /fhir/Claim/:id). */
  raw: Record<string, unknown>;
  identifierKey: string;
  memberRef: string;
  urgency: 'standard' | 'expedited';
  services: { sequence: number; code: string; units: number }[];
  requestorIdentifier?: { system?: string; value: string };
}

const EntrySchema = z.object({ fullUrl: z.string().optional(), resource: z.object({ resourceType: z.string() }).passthrough() });

/**
 * PAS $submit input: a Bundle whose first entry is a Claim with `use: preauthorization`. The payer applies the PAS
 * rules it depends on: every entry has a `urn:uuid` fullUrl; the Claim's patient, insurer, provider and coverage
 * resolve to entries of the Bundle (Patient, Organization, Organization/Practitioner/PractitionerRole, Coverage);
 * every item has a category and the certificationType and serviceItemRequestType extensions.
 */
export function readPasBundle(body: unknown): PasFacts | string {
  const bundle = z.object({ resourceType: z.literal('Bundle'), entry: z.array(EntrySchema).min(1) }).safeParse(body);
  if (!bundle.success) return 'body is not a Bundle with entries';
  const entries = bundle.data.entry;
  const badUrl = entries.findIndex((e) => !e.fullUrl || !UUID_URN.test(e.fullUrl));
  if (badUrl >= 0) return `entry[${badUrl}].fullUrl must be urn:uuid:<UUID>`;
  const claim = PasClaimSchema.safeParse(entries[0].resource);
  if (!claim.success) return `first entry is not a PAS preauthorization Claim: ${claim.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const c = claim.data;
  const resolve = (ref: z.infer<typeof ReferenceSchema>, types: string[], what: string): Record<string, unknown> | string => {
    const hit = ref.reference ? entries.find((e) => e.fullUrl === ref.reference) : undefined;
    if (!hit) return `Claim.${what} does not resolve to an entry of the Bundle`;
    if (!types.includes(hit.resource.resourceType)) return `Claim.${what} resolves to a ${hit.resource.resourceType}, expected ${types.join(' or ')}`;
    return hit.resource;
  };
  const patient = resolve(c.patient, ['Patient'], 'patient');
  const insurer = resolve(c.insurer, ['Organization'], 'insurer');
  const provider = resolve(c.provider, ['Organization', 'Practitioner', 'PractitionerRole'], 'provider');
  const coverage = resolve(c.insurance[0].coverage, ['Coverage'], 'insurance[0].coverage');
  for (const r of [patient, insurer, provider, coverage]) if (typeof r === 'string') return r;
  for (const item of c.item) {
    const has = (url: string) => item.extension?.some((e) => e.url === url && e.valueCodeableConcept);
    if (!has(PAS_ITEM_REQUEST_TYPE)) return `item ${item.sequence} has no serviceItemRequestType extension`;
    if (!has(PAS_ITEM_CERTIFICATION)) return `item ${item.sequence} has no certificationType extension`;
  }
  const cov = z.object({ subscriberId: z.string().min(1).optional(), identifier: z.array(IdentifierSchema).optional() }).safeParse(coverage);
  const memberRef = (cov.success ? (cov.data.subscriberId ?? cov.data.identifier?.[0]?.value) : undefined) ?? refValue(c.patient);
  if (!memberRef) return 'Coverage has no subscriberId';
  const id = c.identifier[0];
  const requestorId = z.object({ identifier: z.array(IdentifierSchema).min(1) }).safeParse(provider);
  return {
    claim: c,
    ...(requestorId.success ? { requestorIdentifier: requestorId.data.identifier[0] } : {}),
    raw: entries[0].resource as Record<string, unknown>,
    identifierKey: `${id.system ?? ''}|${id.value}`,
    memberRef,
    urgency: c.priority?.coding.some((p) => p.code === 'stat') ? 'expedited' : 'standard',
    services: c.item.map((i) => ({ sequence: i.sequence, code: cptCode(i.productOrService) ?? '', units: i.quantity?.value ?? 1 })),
  };
}

export interface PasDecision {
  action: ReviewAction;
  authNumber?: string;
  reasons: PriorAuthReason[];
  requestedDocuments: string[];
  approvedUnitsPerItem?: number;
}

const LOINC_DISPLAY: Record<string, string> = {
  '11506-3': 'Progress note',
  '18748-4': 'Diagnostic imaging study',
  '34117-2': 'History and physical note',
  '11488-4': 'Consult note',
};

const CERTIFIED: ReviewAction[] = ['A1', 'A2', 'A6'];

/** The PAS response Bundle for a case's current decision (used by $submit, the search and the webhook). */
export function pasResponseBundle(opts: {
  trackingId: string;
  version: number;
  payerId: string;
  created: string;
  lastUpdated: string;
  facts: PasFacts;
  decision: PasDecision;
  bundleType: 'collection' | 'searchset';
}): Bundle {
  const { trackingId, facts, decision } = opts;
  const docRefs = decision.action === 'A4' ? decision.requestedDocuments.map((code, i) => ({ fullUrl: stableUuidUrn(`${trackingId}/docreq/${i + 1}`), code })) : [];
  const patient = memberReference(facts);
  const certified = CERTIFIED.includes(decision.action);
  const claimResponse: ClaimResponse = {
    resourceType: 'ClaimResponse',
    id: trackingId,
    meta: { versionId: String(opts.version), lastUpdated: opts.lastUpdated },
    identifier: [{ system: SYSTEM.payerTracking, value: trackingId }],
    status: 'active',
    type: { coding: [{ system: SYSTEM.claimType, code: 'professional' }] },
    use: 'preauthorization',
    patient,
    created: opts.created,
    insurer: { identifier: { system: SYSTEM.payerId, value: opts.payerId } },
    ...(requestorReference(facts) ? { requestor: requestorReference(facts) } : {}),
    request: { reference: `Claim/${trackingId}`, identifier: facts.claim.identifier[0] as Identifier },
    outcome: decision.action === 'A4' ? 'queued' : 'complete',
    disposition: { A1: 'Certified in total', A2: 'Certified - partial', A3: 'Not certified', A4: 'Pended', A6: 'Modified', CT: 'Contact payer', NA: 'No action required' }[decision.action],
    preAuthRef: trackingId,
    ...(certified ? { preAuthPeriod: { start: opts.created.slice(0, 10), end: addDays(opts.created, 90) } } : {}),
    item: facts.services.map((s) => {
      const units = decision.approvedUnitsPerItem !== undefined ? Math.min(decision.approvedUnitsPerItem, s.units) : s.units;
      return {
        itemSequence: s.sequence,
        adjudication: [
          {
            category: { coding: [{ system: SYSTEM.adjudication, code: 'submitted' }] },
            extension: [reviewActionExtension(decision.action, certified ? decision.authNumber : undefined, decision.reasons)],
          },
          ...(certified ? [{ category: { coding: [{ system: SYSTEM.adjudication, code: 'eligible' }] }, value: units }] : []),
        ],
      };
    }),
    ...(docRefs.length ? { communicationRequest: docRefs.map((d) => ({ reference: d.fullUrl })) } : {}),
  };
  const docEntries: BundleEntry[] = docRefs.map((d) => {
    const cr: CommunicationRequest = {
      resourceType: 'CommunicationRequest',
      status: 'active',
      category: [{ coding: [{ system: SYSTEM.loinc, code: d.code, display: LOINC_DISPLAY[d.code] ?? d.code }] }],
      payload: [{ contentString: d.code }],
      subject: patient,
      about: [{ reference: `Claim/${trackingId}` }],
    };
    return { fullUrl: d.fullUrl, resource: cr, ...(opts.bundleType === 'searchset' ? { search: { mode: 'include' as const } } : {}) };
  });
  return {
    resourceType: 'Bundle',
    type: opts.bundleType,
    timestamp: opts.lastUpdated,
    ...(opts.bundleType === 'searchset' ? { total: 1 } : { identifier: { system: SYSTEM.payerTracking, value: `${trackingId}-v${opts.version}` } }),
    entry: [{ fullUrl: stableUuidUrn(`${trackingId}/response/v${opts.version}`), resource: claimResponse, ...(opts.bundleType === 'searchset' ? { search: { mode: 'match' as const } } : {}) }, ...docEntries],
  };
}

export function emptySearchset(): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
}

function addDays(iso: string, days: number): string {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A stable `urn:uuid` for a payer-side resource: the same case answers with the same fullUrls on every poll. The
 * UUID is laid out as version 4 / RFC 4122 variant; its bits come from a hash of the name instead of a random source.
 */
export function stableUuidUrn(name: string): string {
  const h = createHash('sha256').update(`simpayer:${name}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The payer refers to the member by the surrogate it knows (identifier), not by the submitter's bundle-local fullUrl. */
function memberReference(facts: PasFacts): Reference<Patient> {
  return { identifier: { system: CODES_MEMBER_REF, value: facts.memberRef } };
}

function requestorReference(facts: PasFacts): Reference<Organization> | undefined {
  return facts.requestorIdentifier ? { identifier: facts.requestorIdentifier as Identifier } : undefined;
}

/** The received Claim as the payer stores it (GET /fhir/Claim/:id): its id, references by identifier. */
export function storedClaim(facts: PasFacts, id: string, insurerId: string): Record<string, unknown> {
  const member = { identifier: { system: CODES_MEMBER_REF, value: facts.memberRef } };
  return {
    ...facts.raw,
    id,
    patient: member,
    insurer: { identifier: { system: SYSTEM.payerId, value: insurerId } },
    provider: requestorReference(facts) ?? { display: 'requestor' },
    insurance: (facts.raw.insurance as Record<string, unknown>[]).map((i) => ({ ...i, coverage: member })),
  };
}
