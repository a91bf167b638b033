import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Claim, CodeableConcept, Coverage, Organization, Patient } from '@medplum/fhirtypes';
import type { SubmitPriorAuthInput } from './types';

/**
 * Da Vinci PAS (STU 2) prior-authorization request Bundle. Every resource the Claim points to travels in the Bundle
 * and is referenced by its `fullUrl` (`urn:uuid:<random UUID v4>`), so the payer resolves them without a lookup:
 *   Claim (use preauthorization; items with category, certificationType and serviceItemRequestType)
 *   Patient (PAS Beneficiary)    — member surrogate identifier only; name, gender and birth date are present as
 *                                   required but masked (data-absent-reason): demographics never leave in a PA
 *   Coverage (PAS Coverage)      — subscriberId = member surrogate, beneficiary → Patient, payor → insurer
 *   Organization (PAS Insurer)   — payer id
 *   Organization (PAS Requestor) — the billing provider, NPI
 * The Claim's business identifier (authRequestId) is what the payer deduplicates on, so new fullUrls on a retry are
 * harmless.
 */
export const PAS_PROFILE = {
  bundle: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-pas-request-bundle',
  claim: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim',
  beneficiary: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-beneficiary',
  coverage: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-coverage',
  insurer: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-insurer',
  requestor: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-requestor',
} as const;

export const PAS_ITEM_EXT = {
  certificationType: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-certificationType',
  serviceItemRequestType: 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-serviceItemRequestType',
} as const;

/** X12 278 code lists as FHIR code systems (codesystem.x12.org). */
export const X12_CODES = {
  /** 1365 service type: 1 medical care, 2 surgical, 4 diagnostic X-ray, 62 MRI/CAT scan, 73 diagnostic medical… */
  serviceType: 'https://codesystem.x12.org/005010/1365',
  /** 1322 certification type: I initial, R renewal, S revised, E extension… */
  certificationType: 'https://codesystem.x12.org/005010/1322',
  /** 1525 request category: HS health services review, SC specialty care review, AR admission review. */
  requestCategory: 'https://codesystem.x12.org/005010/1525',
} as const;

const DATA_ABSENT = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const masked = { extension: [{ url: DATA_ABSENT, valueCode: 'masked' }] };

export interface PasSystems {
  cpt: string;
  icd10cm: string;
  claimType: string;
  processPriority: string;
  claimInfoCategory: string;
  npi: string;
  authRequestId: string;
  journeyId: string;
  memberRef: string;
  payerId: string;
}

export interface PasRequestOptions {
  created: string;
  providerNpi: string;
  providerName?: string;
  payerName?: string;
  /** UUID source for fullUrls (tests pass a deterministic one). */
  uuid?: () => string;
}

/**
 * X12 1365 service type for a CPT/HCPCS code, by the AMA CPT sections: radiology 70010–79999 (MRI/CT 70336–70559,
 * 72125–72159, 73200–73725, 74150–74183 → 62, other imaging → 4), surgery 10004–69990 → 2, the rest 1 medical care.
 */
export function serviceTypeFor(code: string): { code: string; display: string } {
  if (!/^\d{5}$/.test(code)) return { code: '1', display: 'Medical Care' };
  const n = Number(code);
  const inRange = (a: number, b: number) => n >= a && n <= b;
  if (inRange(70336, 70559) || inRange(72125, 72159) || inRange(73200, 73725) || inRange(74150, 74183)) return { code: '62', display: 'MRI/CAT Scan' };
  if (inRange(70010, 79999)) return { code: '4', display: 'Diagnostic X-Ray' };
  if (inRange(10004, 69990)) return { code: '2', display: 'Surgical' };
  return { code: '1', display: 'Medical Care' };
}

function coded(system: string, code: string, display?: string): CodeableConcept {
  return { coding: [{ system, code, ...(display ? { display } : {}) }] };
}

export function dottedIcd10(code: string): string {
  const c = code.replace('.', '').toUpperCase();
  return c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

export function buildPasRequestBundle(input: SubmitPriorAuthInput, systems: PasSystems, opts: PasRequestOptions): Bundle {
  const uuid = opts.uuid ?? randomUUID;
  const url = { patient: `urn:uuid:${uuid()}`, coverage: `urn:uuid:${uuid()}`, insurer: `urn:uuid:${uuid()}`, requestor: `urn:uuid:${uuid()}`, claim: `urn:uuid:${uuid()}` };
  const member = { system: systems.memberRef, value: input.memberRef };

  const patient: Patient = {
    resourceType: 'Patient',
    meta: { profile: [PAS_PROFILE.beneficiary] },
    identifier: [{ ...member, type: coded('http://terminology.hl7.org/CodeSystem/v2-0203', 'MB', 'Member Number') }],
    name: [masked],
    gender: 'unknown',
    _birthDate: masked,
  } as Patient;
  const insurer: Organization = {
    resourceType: 'Organization',
    meta: { profile: [PAS_PROFILE.insurer] },
    identifier: [{ system: systems.payerId, value: input.payerId }],
    active: true,
    type: [coded('http://terminology.hl7.org/CodeSystem/organization-type', 'pay', 'Payer')],
    name: opts.payerName ?? input.payerId,
  };
  const requestor: Organization = {
    resourceType: 'Organization',
    meta: { profile: [PAS_PROFILE.requestor] },
    identifier: [{ system: systems.npi, value: opts.providerNpi }],
    active: true,
    type: [coded('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider')],
    name: opts.providerName ?? `Provider ${opts.providerNpi}`,
  };
  const coverage: Coverage = {
    resourceType: 'Coverage',
    meta: { profile: [PAS_PROFILE.coverage] },
    identifier: [member],
    status: 'active',
    subscriberId: input.memberRef,
    beneficiary: { reference: url.patient },
    relationship: coded('http://terminology.hl7.org/CodeSystem/subscriber-relationship', 'self', 'Self'),
    payor: [{ reference: url.insurer }],
  };
  const claim: Claim = {
    resourceType: 'Claim',
    meta: { profile: [PAS_PROFILE.claim] },
    // authRequestId first: the payer's idempotency key and what decisions are correlated by.
    identifier: [
      { system: systems.authRequestId, value: input.authRequestId },
      { system: systems.journeyId, value: input.journeyId },
    ],
    status: 'active',
    type: coded(systems.claimType, 'professional'),
    use: 'preauthorization',
    patient: { reference: url.patient },
    created: opts.created,
    insurer: { reference: url.insurer },
    provider: { reference: url.requestor },
    priority: coded(systems.processPriority, input.urgency === 'expedited' ? 'stat' : 'normal'),
    insurance: [{ sequence: 1, focal: true, coverage: { reference: url.coverage } }],
    diagnosis: input.diagnoses.map((d, i) => ({ sequence: i + 1, diagnosisCodeableConcept: coded(systems.icd10cm, dottedIcd10(d)) })),
    ...(input.attachments?.length
      ? {
          supportingInfo: input.attachments.map((documentId, i) => ({
            sequence: i + 1,
            category: coded(systems.claimInfoCategory, 'attachment'),
            valueReference: { identifier: { value: documentId } },
          })),
        }
      : {}),
    item: input.services.map((s, i) => {
      const type = serviceTypeFor(s.code);
      return {
        extension: [
          { url: PAS_ITEM_EXT.serviceItemRequestType, valueCodeableConcept: coded(X12_CODES.requestCategory, 'HS', 'Health Services Review') },
          { url: PAS_ITEM_EXT.certificationType, valueCodeableConcept: coded(X12_CODES.certificationType, 'I', 'Initial') },
        ],
        sequence: i + 1,
        diagnosisSequence: input.diagnoses.map((_, j) => j + 1).slice(0, 4),
        category: coded(X12_CODES.serviceType, type.code, type.display),
        productOrService: coded(systems.cpt, s.code),
        quantity: { value: s.units },
      };
    }),
  };
  const entry = (fullUrl: string, resource: BundleEntry['resource']): BundleEntry => ({ fullUrl, resource });
  return {
    resourceType: 'Bundle',
    meta: { profile: [PAS_PROFILE.bundle] },
    type: 'collection',
    identifier: { system: systems.authRequestId, value: input.authRequestId },
    timestamp: opts.created,
    entry: [entry(url.claim, claim), entry(url.patient, patient), entry(url.coverage, coverage), entry(url.insurer, insurer), entry(url.requestor, requestor)],
  };
}
