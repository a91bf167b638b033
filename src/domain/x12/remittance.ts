/**
 * Typed remittance (X12 835, 005010X221A1; 004010X091A1 read the same way). Money is integer cents.
 * Field names carry the X12 element they come from in their doc comment.
 */
import type { Cents } from '../money';
import type { Delimiters } from './delimiters';
import type { X12Issue } from './errors';

/** CAS01 claim adjustment group codes. CR (corrections and reversals) exists only in 4010. */
export const CAS_GROUPS = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;
export type CasGroup = (typeof CAS_GROUPS)[number];

/** Where a mapped object came from in the input. */
export interface SourceRef {
  segmentIndex: number;
  byteOffset: number;
}

export interface Adjustment {
  /** CAS01 */
  group: CasGroup;
  /** CAS02/05/08/11/14/17 (CARC) */
  reason: string;
  /** CAS03/06/09/12/15/18 */
  amountCents: Cents;
  /** CAS04/07/10/13/16/19 */
  quantity?: number;
  segmentIndex: number;
}

export interface Reference {
  /** REF01 */
  qualifier: string;
  /** REF02 */
  value: string;
}

export interface DateRef {
  /** DTM01 (e.g. 405 production, 232/233 statement period, 472 service, 150/151 service period, 050 received) */
  qualifier: string;
  /** DTM02, CCYYMMDD */
  date: string;
}

export interface AmountRef {
  /** AMT01 (e.g. AU coverage amount, B6 allowed, DY per day limit, I interest) */
  qualifier: string;
  /** AMT02 */
  amountCents: Cents;
}

export interface QuantityRef {
  /** QTY01 */
  qualifier: string;
  /** QTY02 */
  quantity: number;
}

export interface Remark {
  /** LQ01 (HE = RARC) or the segment a claim remark came from (MOA / MIA) */
  qualifier: string;
  code: string;
}

export interface Party {
  /** N101 (PR payer, PE payee) or NM101 (QC patient, IL insured, 74 corrected, 82 rendering, TT crossover, PR payer) */
  entityCode: string;
  /** N102 / NM103 */
  name?: string;
  /** NM104 */
  firstName?: string;
  /** N103 / NM108 (XX = NPI, FI = TIN, MI = member id, …) */
  idQualifier?: string;
  /** N104 / NM109 */
  id?: string;
  /** Set when the id qualifier is XX. */
  npi?: string;
  /** REF*TJ (payee) */
  taxId?: string;
  /** REF*2U (payer identification) */
  payerId?: string;
  references: Reference[];
}

export interface Procedure {
  /** Component 1 of SVC01 (HC = HCPCS/CPT, NU = revenue code, AD, ER, …) */
  qualifier: string;
  /** Component 2 (empty when the file omits it). */
  code: string;
  /** Components 3..6 */
  modifiers: string[];
  /** Component 7 */
  description?: string;
  /** The composite exactly as it appeared. */
  raw: string;
}

export interface ServiceLine extends SourceRef {
  /** SVC01 */
  procedure: Procedure;
  /** SVC02 (required by the guide, but missing in some files: then undefined and the line cannot balance) */
  chargeCents?: Cents;
  /** SVC03 */
  paidCents?: Cents;
  /** SVC04 (NUBC revenue code) */
  revenueCode?: string;
  /** SVC05 */
  units?: string;
  /** SVC06 (procedure as submitted when the payer changed it) */
  originalProcedure?: Procedure;
  /** SVC07 */
  originalUnits?: string;
  /** Service-level CAS */
  adjustments: Adjustment[];
  /** DTM*472 */
  serviceDate?: string;
  /** DTM*150 */
  serviceDateFrom?: string;
  /** DTM*151 */
  serviceDateTo?: string;
  /** AMT*B6 */
  allowedCents?: Cents;
  amounts: AmountRef[];
  quantities: QuantityRef[];
  references: Reference[];
  /** LQ */
  remarks: Remark[];
}

export interface ClaimPayment extends SourceRef {
  /** CLP01 — our claim id */
  patientControlNumber: string;
  /** CLP02 — 1/2/3 processed as primary/secondary/tertiary, 4 denied, 19/20/21 forwarded, 22 reversal, 23, 25 */
  status: string;
  /** CLP03 */
  chargeCents: Cents;
  /** CLP04 */
  paidCents: Cents;
  /** CLP05 */
  patientResponsibilityCents?: Cents;
  /** CLP06 */
  filingIndicator?: string;
  /** CLP07 */
  payerClaimControlNumber?: string;
  /** CLP08 */
  facilityTypeCode?: string;
  /** CLP09 */
  frequencyCode?: string;
  /** CLP11 */
  drgCode?: string;
  /** LX01 of the header number loop the claim sits in */
  headerNumber?: string;
  /** Claim-level CAS */
  adjustments: Adjustment[];
  services: ServiceLine[];
  /** NM1 loops (patient, insured, corrected patient, rendering provider, crossover carrier, …) */
  parties: Party[];
  /** MOA / MIA remark codes */
  remarks: Remark[];
  /** MIA / MOA raw elements (id first) for consumers that need the institutional/outpatient adjudication numbers */
  adjudication: string[][];
  dates: DateRef[];
  amounts: AmountRef[];
  quantities: QuantityRef[];
  references: Reference[];
}

export interface PlbAdjustment {
  /** PLB03-1 / 05-1 / … (WO, FB, L6, CS, CV, 72, …) */
  reason: string;
  /** PLB03-2 / … */
  reference?: string;
  /** PLB04 / 06 / …; positive reduces the payment */
  amountCents: Cents;
}

export interface Plb extends SourceRef {
  /** PLB01 */
  providerId: string;
  /** PLB02 (fiscal period date) */
  date: string;
  adjustments: PlbAdjustment[];
}

export interface Payment extends SourceRef {
  /** BPR01 (C payment with remittance, D make payment only, H notification only, I remittance only, P, U, X) */
  handlingCode: string;
  /** BPR02 */
  totalCents: Cents;
  /** BPR03 (C credit, D debit) */
  creditDebit?: string;
  /** BPR04 (ACH, BOP, CHK, FWT, NON) */
  method?: string;
  /** BPR05 */
  format?: string;
  /** BPR16 */
  date?: string;
}

export interface Trace {
  /** TRN01 */
  type: string;
  /** TRN02: check or EFT trace number — the key to match the deposit */
  number: string;
  /** TRN03 */
  originatorId?: string;
  /** TRN04 */
  originatorSupplementalId?: string;
}

export interface ProviderSummary {
  /** LX01 */
  headerNumber: string;
  /** TS3 raw elements */
  ts3?: string[];
  /** TS2 raw elements */
  ts2?: string[];
}

export interface ServiceImbalance {
  level: 'service';
  transactionControlNumber: string;
  patientControlNumber: string;
  /** SVC01 as it appeared */
  svc01: string;
  segmentIndex: number;
  byteOffset: number;
  chargeCents?: Cents;
  casCents: Cents;
  paidCents?: Cents;
  /** (SVC02 − ΣCAS) − SVC03, missing amounts taken as 0 */
  differenceCents: Cents;
  /** SVC02 or SVC03 absent: the line cannot be shown to balance */
  missingAmounts: boolean;
}

export interface ClaimImbalance {
  level: 'claim';
  transactionControlNumber: string;
  patientControlNumber: string;
  status: string;
  segmentIndex: number;
  byteOffset: number;
  chargeCents: Cents;
  claimCasCents: Cents;
  serviceCasCents: Cents;
  /** CLP03 − ΣCAS(claim) − ΣCAS(services) */
  expectedPaidCents: Cents;
  paidCents: Cents;
  /** expected − CLP04 */
  differenceCents: Cents;
}

export interface TransactionBalance {
  /** BPR02 (undefined when the transaction has no BPR) */
  paymentCents?: Cents;
  /** ΣCLP04 */
  claimPaidCents: Cents;
  /** ΣPLB amounts */
  plbCents: Cents;
  /** ΣCLP04 − ΣPLB */
  expectedPaymentCents: Cents;
  /** BPR02 − (ΣCLP04 − ΣPLB) */
  differenceCents: Cents;
  /** BPR02 == ΣCLP04 − ΣPLB */
  paymentBalanced: boolean;
  claimImbalances: ClaimImbalance[];
  serviceImbalances: ServiceImbalance[];
  /** payment, every claim and every service line balance */
  balanced: boolean;
}

export interface Transaction extends SourceRef {
  /** ST02 */
  controlNumber: string;
  /** ST03, else GS08, else ISA12 */
  version?: string;
  /** ISA13 of the enclosing interchange (undefined without envelope) */
  interchangeControlNumber?: string;
  /** GS06 of the enclosing group */
  groupControlNumber?: string;
  /** Segments from ST to SE inclusive as counted by the parser */
  segmentCount: number;
  /** BPR; undefined only when the file lacks it (reported as an issue) */
  payment?: Payment;
  /** TRN */
  trace?: Trace;
  /** TRN02 */
  traceNumber?: string;
  /** DTM*405 */
  productionDate?: string;
  payer?: Party;
  payee?: Party;
  references: Reference[];
  dates: DateRef[];
  providerSummaries: ProviderSummary[];
  claims: ClaimPayment[];
  /** PLB */
  providerAdjustments: Plb[];
  /** Computed when the transaction closes (SE or end of input). */
  balance: TransactionBalance;
}

export interface FunctionalGroup extends SourceRef {
  /** GS01 (HP for 835) */
  functionalId: string;
  /** GS02 */
  senderId: string;
  /** GS03 */
  receiverId: string;
  /** GS06 */
  controlNumber: string;
  /** GS08 (005010X221A1, 004010X091A1, …) */
  version?: string;
  /** ST segments seen in the group */
  transactionCount: number;
}

export interface Interchange extends SourceRef {
  /** ISA13 */
  controlNumber: string;
  /** ISA06 (trimmed) */
  senderId: string;
  /** ISA08 (trimmed) */
  receiverId: string;
  /** ISA09 YYMMDD */
  date: string;
  /** ISA10 HHMM */
  time: string;
  /** ISA12 (00501, 00401) */
  version: string;
  /** ISA15 (P production, T test) */
  usage: string;
  delimiters: Delimiters;
  groups: FunctionalGroup[];
}

export interface X12ParseResult {
  interchanges: Interchange[];
  /** Every 835 transaction, in file order (empty when `retainTransactions` was false). */
  transactions: Transaction[];
  /** Number of 835 transactions seen (also when not retained). */
  transactionCount: number;
  issues: X12Issue[];
  segmentCount: number;
  /** Separators of the first interchange (or inferred from a bare ST); undefined for empty input. */
  delimiters?: Delimiters;
}
