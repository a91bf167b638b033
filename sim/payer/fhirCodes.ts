import type { Extension } from '@medplum/fhirtypes';
import type { PriorAuthReason, ReviewAction } from '../../src/activities/payer/types';

/**
 * The payer's own copy of the code systems and extension URLs it speaks (FHIR R4 terminology, Da Vinci PAS 2.0,
 * X12 code lists as published at codesystem.x12.org). Written here, not imported from the product, so a wrong URL on
 * either side shows up as a disagreement instead of agreeing with itself.
 */
export const FHIR_JSON = 'application/fhir+json';

export const CODES = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  benefitType: 'http://terminology.hl7.org/CodeSystem/benefit-type',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  loinc: 'http://loinc.org',
  x12ReviewAction: 'https://codesystem.x12.org/005010/306',
  x12ReviewReason: 'https://codesystem.x12.org/external/886',
  // Business identifier systems agreed with the provider (trading-partner agreement, not a standard).
  authRequestId: 'urn:rcm:auth-request-id',
  memberRef: 'urn:rcm:member-ref',
  payerId: 'urn:rcm:payer-id',
  planType: 'urn:rcm:plan-type',
  payerTracking: 'urn:rcm:payer-tracking-id',
} as const;

export const PAS_REVIEW_ACTION = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction';
export const PAS_REVIEW_ACTION_CODE = 'http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode';

/** FHIR Money from cents: the decimal string of the amount read back as a JSON number (no float arithmetic). */
export function moneyFromCents(cents: number): { value: number; currency: 'USD' } {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  const abs = Math.abs(cents);
  return { value: Number(`${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`), currency: 'USD' };
}

/** PAS ClaimResponse.item.adjudication extension-reviewAction: code, certification number, reason codes. */
export function reviewAction(action: ReviewAction, number?: string, reasons: PriorAuthReason[] = []): Extension {
  return {
    url: PAS_REVIEW_ACTION,
    extension: [
      { url: PAS_REVIEW_ACTION_CODE, valueCodeableConcept: { coding: [{ system: CODES.x12ReviewAction, code: action }] } },
      ...(number ? [{ url: 'number', valueString: number }] : []),
      ...reasons.map((r) => ({ url: 'reasonCode', valueCodeableConcept: { coding: [{ system: CODES.x12ReviewReason, code: r.code, display: r.text }], text: r.text } })),
    ],
  };
}
