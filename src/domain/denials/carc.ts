/**
 * CARC routing table (DOMAIN.md "Denial routing"): claim adjustment reason code → work queue and action.
 * Code descriptions paraphrase the X12 Claim Adjustment Reason Code list (x12.org/codes). Numbers (SLA days) are
 * defaults, configurable per site via DenialRoutingConfig.
 */
export const DENIAL_QUEUES = [
  'patient_responsibility',
  'contractual',
  'eligibility_cob',
  'authorization',
  'coding',
  'documentation',
  'medical_necessity',
  'credentialing',
  'timely_filing',
  'duplicate',
  'general_review',
] as const;
export type DenialQueue = (typeof DENIAL_QUEUES)[number];

export const DENIAL_ACTIONS = [
  'appeal',
  'corrected_claim',
  'new_claim',
  'rebill_other_payer',
  'patient_statement',
  'write_off_approval',
  'contractual_adjustment',
  'reverify_coverage',
  'send_records',
  'enrollment_fix',
  /** correct the billing data (identifiers, NPI, demographics) and resubmit — not a credentialing problem */
  'billing_data_fix',
  /** non-covered service: check for a signed ABN / patient-liability notice before billing the patient or writing off */
  'abn_check',
  /** informational (e.g. OA-23 prior payer's adjudication on a secondary's 835): never posted again */
  'informational',
  'verify_original',
  'general_review',
] as const;
export type DenialAction = (typeof DENIAL_ACTIONS)[number];

export interface CarcEntry {
  code: string;
  description: string;
  queue: DenialQueue;
  action: DenialAction;
  appealable: boolean;
  /** what to do when the primary action fails (e.g. timely-filing appeal lost → write-off with approval) */
  fallbackAction?: DenialAction;
}

const SRC = 'DOMAIN.md Denial routing; X12 CARC list';
export const CARC_SOURCE = SRC;

const e = (code: string, description: string, queue: DenialQueue, action: DenialAction, appealable: boolean, fallbackAction?: DenialAction): CarcEntry => ({
  code,
  description,
  queue,
  action,
  appealable,
  ...(fallbackAction ? { fallbackAction } : {}),
});

export const CARC_TABLE: readonly CarcEntry[] = [
  // patient responsibility → patient statement
  e('1', 'Deductible amount', 'patient_responsibility', 'patient_statement', false),
  e('2', 'Coinsurance amount', 'patient_responsibility', 'patient_statement', false),
  e('3', 'Co-payment amount', 'patient_responsibility', 'patient_statement', false),
  e('119', 'Benefit maximum for this time period or occurrence has been reached', 'patient_responsibility', 'patient_statement', false),
  e('35', 'Lifetime benefit maximum has been reached', 'patient_responsibility', 'patient_statement', false),
  e('100', 'Payment made to patient/insured/responsible party', 'patient_responsibility', 'patient_statement', false),
  e('142', 'Monthly Medicaid patient liability amount', 'patient_responsibility', 'patient_statement', false),
  // contractual → adjust (write-off per contract, no approval below limit)
  e('45', 'Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement', 'contractual', 'contractual_adjustment', false),
  e('24', 'Charges are covered under a capitation agreement/managed care plan', 'contractual', 'contractual_adjustment', false),
  e('59', 'Processed based on multiple or concurrent procedure rules', 'contractual', 'contractual_adjustment', false),
  e('253', 'Sequestration - reduction in federal payment', 'contractual', 'contractual_adjustment', false),
  // Ordinary adjustments on a paid claim are not denials (DOMAIN.md "Clarifications (second pass)": CO-237, CO-131,
  // CO/OA-94, CO-144, CO-223 post as adjustments).
  e('237', 'Legislated/Regulatory Penalty (e.g. MIPS/EHR payment adjustment)', 'contractual', 'contractual_adjustment', false),
  e('131', 'Claim specific negotiated discount', 'contractual', 'contractual_adjustment', false),
  e('94', 'Processed in excess of charges', 'contractual', 'contractual_adjustment', false),
  e('144', 'Incentive adjustment, e.g. preferred product/service', 'contractual', 'contractual_adjustment', false),
  e('223', 'Adjustment code for mandated federal, state or local law/regulation that is not already covered by another code', 'contractual', 'contractual_adjustment', false),
  // eligibility / coordination of benefits → re-verify coverage, bill the correct payer
  e('22', 'This care may be covered by another payer per coordination of benefits', 'eligibility_cob', 'rebill_other_payer', false),
  e('23', 'The impact of prior payer(s) adjudication including payments and/or adjustments', 'eligibility_cob', 'rebill_other_payer', false),
  e('19', 'This is a work-related injury/illness and thus the liability of the Worker\'s Compensation carrier', 'eligibility_cob', 'rebill_other_payer', false),
  e('20', 'This injury/illness is covered by the liability carrier', 'eligibility_cob', 'rebill_other_payer', false),
  e('21', 'This injury/illness is the liability of the no-fault carrier', 'eligibility_cob', 'rebill_other_payer', false),
  e('26', 'Expenses incurred prior to coverage', 'eligibility_cob', 'reverify_coverage', false, 'patient_statement'),
  e('27', 'Expenses incurred after coverage terminated', 'eligibility_cob', 'reverify_coverage', false, 'patient_statement'),
  e('31', 'Patient cannot be identified as our insured', 'eligibility_cob', 'reverify_coverage', false),
  e('140', 'Patient/Insured health identification number and name do not match', 'eligibility_cob', 'reverify_coverage', false),
  e('32', 'Our records indicate the patient is not an eligible dependent', 'eligibility_cob', 'reverify_coverage', false),
  e('33', 'Insured has no dependent coverage', 'eligibility_cob', 'reverify_coverage', false),
  e('109', 'Claim/service not covered by this payer/contractor; send to the correct payer/contractor', 'eligibility_cob', 'rebill_other_payer', false),
  // authorization / referral → retro-auth or appeal
  e('15', 'The authorization number is missing, invalid, or does not apply to the billed services or provider', 'authorization', 'appeal', true, 'write_off_approval'),
  e('39', 'Services denied at the time authorization/pre-certification was requested', 'authorization', 'appeal', true, 'write_off_approval'),
  e('197', 'Precertification/authorization/notification/pre-treatment absent', 'authorization', 'appeal', true, 'write_off_approval'),
  e('198', 'Precertification/notification/authorization/pre-treatment exceeded', 'authorization', 'appeal', true, 'write_off_approval'),
  e('242', 'Services not provided by network/primary care providers', 'authorization', 'appeal', true, 'write_off_approval'),
  e('288', 'Referral absent', 'authorization', 'appeal', true, 'write_off_approval'),
  // coding → corrected claim after coding review
  e('4', 'The procedure code is inconsistent with the modifier used, or a required modifier is missing', 'coding', 'corrected_claim', false),
  e('5', 'The procedure code/type of bill is inconsistent with the place of service', 'coding', 'corrected_claim', false),
  e('6', 'The procedure/revenue code is inconsistent with the patient\'s age', 'coding', 'corrected_claim', false),
  e('7', 'The procedure/revenue code is inconsistent with the patient\'s gender', 'coding', 'corrected_claim', false),
  e('8', 'The procedure code is inconsistent with the provider type/specialty (taxonomy)', 'coding', 'corrected_claim', false),
  e('9', 'The diagnosis is inconsistent with the patient\'s age', 'coding', 'corrected_claim', false),
  e('10', 'The diagnosis is inconsistent with the patient\'s gender', 'coding', 'corrected_claim', false),
  e('11', 'The diagnosis is inconsistent with the procedure', 'coding', 'corrected_claim', false),
  e('58', 'Treatment was deemed by the payer to have been rendered in an inappropriate or invalid place of service', 'coding', 'corrected_claim', false),
  e('97', 'The benefit for this service is included in the payment/allowance for another service already adjudicated', 'coding', 'corrected_claim', false),
  e('234', 'This procedure is not paid separately', 'coding', 'corrected_claim', false),
  e('236', 'This procedure or procedure/modifier combination is not compatible with another procedure on the same day (NCCI)', 'coding', 'corrected_claim', false),
  e('146', 'Diagnosis was invalid for the date(s) of service reported', 'coding', 'corrected_claim', false),
  e('167', 'This (these) diagnosis(es) is (are) not covered', 'coding', 'corrected_claim', false),
  e('150', 'Payer deems the information submitted does not support this level of service', 'coding', 'corrected_claim', true),
  e('151', 'Payer deems the information submitted does not support this many/frequency of services', 'coding', 'corrected_claim', true),
  e('181', 'Procedure code was invalid on the date of service', 'coding', 'corrected_claim', false),
  e('182', 'Procedure modifier was invalid on the date of service', 'coding', 'corrected_claim', false),
  // documentation → send records. CO-16 alone is a billing error → corrected claim; a records remark (M127, N29,
  // N225) → send records; MA130 → new claim (DOMAIN.md "Clarifications (second pass)", see route.ts)
  e('16', 'Claim/service lacks information or has submission/billing error(s)', 'documentation', 'corrected_claim', false),
  e('251', 'The attachment/other documentation that was received was incomplete or deficient', 'documentation', 'send_records', false),
  e('252', 'An attachment/other documentation is required to adjudicate this claim/service', 'documentation', 'send_records', false),
  e('107', 'The related or qualifying claim/service was not identified on this claim', 'documentation', 'send_records', false),
  e('129', 'Prior processing information appears incorrect', 'documentation', 'send_records', false),
  // medical necessity → clinical appeal. Non-covered (96/204) is a benefit decision, not a necessity one: check for a
  // signed ABN / patient-liability notice (bill the patient) else write off — not an appeal (DOMAIN.md second pass).
  e('50', 'These are non-covered services because this is not deemed a medical necessity by the payer', 'medical_necessity', 'appeal', true, 'write_off_approval'),
  e('55', 'Procedure/treatment/drug is deemed experimental/investigational by the payer', 'medical_necessity', 'appeal', true, 'write_off_approval'),
  e('96', 'Non-covered charge(s)', 'medical_necessity', 'abn_check', false, 'write_off_approval'),
  e('204', 'This service/equipment/drug is not covered under the patient\'s current benefit plan', 'medical_necessity', 'abn_check', false, 'write_off_approval'),
  e('49', 'This is a non-covered service because it is a routine/preventive exam', 'medical_necessity', 'appeal', true, 'write_off_approval'),
  // credentialing → enrollment fix then rebill
  e('185', 'The rendering provider is not eligible to perform the service billed', 'credentialing', 'enrollment_fix', false, 'write_off_approval'),
  e('B7', 'This provider was not certified/eligible to be paid for this procedure/service on this date of service', 'credentialing', 'enrollment_fix', false, 'write_off_approval'),
  // timely filing → proof-of-timely-filing appeal or write-off (approval)
  e('29', 'The time limit for filing has expired', 'timely_filing', 'appeal', true, 'write_off_approval'),
  // duplicate → verify original status; no rebill
  e('18', 'Exact duplicate claim/service', 'duplicate', 'verify_original', false),
];

const BY_CODE: ReadonlyMap<string, CarcEntry> = new Map(CARC_TABLE.map((x) => [x.code, x]));

export function carcEntry(code: string): CarcEntry | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

/** RARC refinements (DOMAIN.md: M51, M127, N115, N386, N290, MA130). */
export interface RarcEntry {
  code: string;
  description: string;
  /** when the CARC is the generic 16 (lacks information), the RARC decides the queue/action */
  refines?: { queue: DenialQueue; action: DenialAction; appealable: boolean };
}

export const RARC_TABLE: readonly RarcEntry[] = [
  { code: 'MA130', description: 'Claim is unprocessable; no appeal rights: submit a new claim with complete/correct information', refines: { queue: 'documentation', action: 'new_claim', appealable: false } },
  { code: 'M51', description: 'Missing/incomplete/invalid procedure code(s)', refines: { queue: 'coding', action: 'corrected_claim', appealable: false } },
  { code: 'M127', description: 'Missing patient medical record for this service', refines: { queue: 'documentation', action: 'send_records', appealable: false } },
  { code: 'N29', description: 'Missing documentation/orders/notes/summary/report/chart', refines: { queue: 'documentation', action: 'send_records', appealable: false } },
  { code: 'N225', description: 'Incomplete/invalid documentation/orders/notes/summary/report/chart', refines: { queue: 'documentation', action: 'send_records', appealable: false } },
  // N290 is a billing-data error (the NPI on the claim), fixed by billing; not an enrollment problem (DOMAIN.md second pass)
  { code: 'N290', description: 'Missing/incomplete/invalid rendering provider primary identifier', refines: { queue: 'documentation', action: 'billing_data_fix', appealable: false } },
  { code: 'N115', description: 'This decision was based on a Local Coverage Determination (LCD)' },
  { code: 'N386', description: 'This decision was based on a National Coverage Determination (NCD)' },
];

const RARC_BY_CODE: ReadonlyMap<string, RarcEntry> = new Map(RARC_TABLE.map((x) => [x.code, x]));

export function rarcEntry(code: string): RarcEntry | undefined {
  return RARC_BY_CODE.get(code.trim().toUpperCase());
}
