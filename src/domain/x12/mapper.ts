/**
 * Maps the segment stream of an 835 onto typed remittance objects, checking the envelope as it goes
 * (ISA/IEA, GS/GE, ST/SE counts and control numbers). One segment at a time: no look-ahead, no segment list.
 */
import type { Delimiters } from './delimiters';
import { balanceTransaction } from './balance';
import { X12ParseError, type IssueLog } from './errors';
import {
  CAS_GROUPS,
  type Adjustment,
  type CasGroup,
  type ClaimPayment,
  type FunctionalGroup,
  type Interchange,
  type Party,
  type Procedure,
  type ProviderSummary,
  type Reference,
  type ServiceLine,
  type Transaction,
  type TransactionBalance,
} from './remittance';
import * as segments from './segments';
import type { SegmentContext } from './segments';
import type { SegmentSink } from './tokenizer';

// Bound once: a namespace property read per call costs measurable time under CommonJS transpilers (getter per export).
const { amount, decimal, el, elementName, integer, opt, optAmount, positionOf, req, splitComposite } = segments;

export interface MapperOptions {
  log: IssueLog;
  /** Keep every transaction in `transactions` (default true). Turn off for huge files and use `onTransaction`. */
  retainTransactions?: boolean;
  /** Called as each transaction closes (SE or end of input), balance already computed. */
  onTransaction?: (tx: Transaction) => void;
}

const CAS_GROUP_SET: ReadonlySet<string> = new Set(CAS_GROUPS);

const EMPTY_BALANCE: TransactionBalance = Object.freeze({
  claimPaidCents: 0,
  plbCents: 0,
  expectedPaymentCents: 0,
  differenceCents: 0,
  paymentBalanced: false,
  claimImbalances: [],
  serviceImbalances: [],
  balanced: false,
}) as TransactionBalance;

interface OpenInterchange {
  value: Interchange;
  /** Version of the interchange starts with 00501 (CR group is invalid there). */
  is5010: boolean;
}

export class RemittanceMapper implements SegmentSink {
  readonly interchanges: Interchange[] = [];
  readonly transactions: Transaction[] = [];
  transactionCount = 0;
  /** Separators declared first in the input. */
  firstDelimiters: Delimiters | undefined;

  private readonly log: IssueLog;
  private readonly retain: boolean;
  private readonly onTransaction?: (tx: Transaction) => void;
  private readonly seg: SegmentContext = { elements: [], index: 0, byteOffset: 0 };
  private delims: Delimiters = { element: '*', component: ':', segment: '~' };
  private fallbackReported = false;
  private envelope = false;

  private isa: OpenInterchange | undefined;
  private gs: FunctionalGroup | undefined;
  private tx: Transaction | undefined;
  /** Inside an ST whose ST01 is not 835: skip until SE. */
  private skipping: { segmentIndex: number } | undefined;
  private version5010 = false;
  private party: Party | undefined;
  private headerNumber: string | undefined;
  private summary: ProviderSummary | undefined;
  private claim: ClaimPayment | undefined;
  private service: ServiceLine | undefined;

  constructor(options: MapperOptions) {
    this.log = options.log;
    this.retain = options.retainTransactions ?? true;
    this.onTransaction = options.onTransaction;
  }

  delimiters(delimiters: Delimiters, source: 'ISA' | 'ST', segmentIndex: number, byteOffset: number): void {
    this.delims = delimiters;
    this.firstDelimiters ??= delimiters;
    this.fallbackReported = false;
    if (source === 'ST') {
      this.log.add('error', 'NO_ENVELOPE', 'no ISA/GS envelope: file does not start with ISA (separators inferred from ST)', {
        segmentIndex,
        segmentId: 'ST',
        byteOffset,
      });
    }
  }

  unterminated(segmentIndex: number, segmentId: string, byteOffset: number): void {
    // A complete file whose IEA merely lacks the final terminator is common and harmless.
    const severity = segmentId === 'IEA' ? 'info' : 'warning';
    this.log.add(severity, 'TRUNCATED_SEGMENT', 'last segment has no segment terminator (input may be truncated)', { segmentIndex, segmentId, byteOffset });
  }

  segment(elements: string[], segmentIndex: number, byteOffset: number): void {
    const seg = this.seg;
    seg.elements = elements;
    seg.index = segmentIndex;
    seg.byteOffset = byteOffset;
    const id = elements[0];
    const tx = this.tx;
    // One switch, most frequent segments first. Content segments need an open 835 transaction.
    switch (id) {
      case 'DTM':
        return tx ? this.onDtm(seg, tx) : this.outside(seg);
      case 'SVC':
        return tx ? this.onSvc(seg) : this.outside(seg);
      case 'CAS':
        return tx ? this.onCas(seg) : this.outside(seg);
      case 'AMT':
        return tx ? this.onAmt(seg) : this.outside(seg);
      case 'NM1':
        return tx ? this.onNm1(seg) : this.outside(seg);
      case 'REF':
        return tx ? this.onRef(seg, tx) : this.outside(seg);
      case 'CLP':
        return tx ? this.onClp(seg, tx) : this.outside(seg);
      case 'LQ':
        return tx ? this.onLq(seg) : this.outside(seg);
      case 'ISA':
        return this.onIsa(seg);
      case 'GS':
        return this.onGs(seg);
      case 'ST':
        return this.onSt(seg);
      case 'SE':
        return this.onSe(seg);
      case 'GE':
        return this.onGe(seg);
      case 'IEA':
        return this.onIea(seg);
      case 'BPR':
        return tx ? this.onBpr(seg, tx) : this.outside(seg);
      case 'TRN':
        if (!tx) return this.outside(seg);
        tx.trace = { type: el(seg, 1), number: req(seg, 2, 'trace number'), originatorId: opt(seg, 3), originatorSupplementalId: opt(seg, 4) };
        tx.traceNumber = tx.trace.number;
        return;
      case 'N1':
        return tx ? this.onN1(seg, tx) : this.outside(seg);
      case 'LX':
        if (!tx) return this.outside(seg);
        this.headerNumber = req(seg, 1);
        this.party = undefined;
        this.claim = undefined;
        this.service = undefined;
        this.summary = undefined;
        return;
      case 'TS3':
      case 'TS2':
        return tx ? this.onProviderSummary(seg, tx, id) : this.outside(seg);
      case 'MIA':
      case 'MOA':
        return tx ? this.onClaimAdjudication(seg, id) : this.outside(seg);
      case 'QTY':
        return tx ? this.onQty(seg) : this.outside(seg);
      case 'PLB':
        return tx ? this.onPlb(seg, tx) : this.outside(seg);
      default:
        // N3, N4, PER, RDM, CUR, … carry nothing the remittance model needs.
        return tx ? undefined : this.outside(seg);
    }
  }

  /** A content segment with no open 835 transaction: ignored (silently inside a skipped non-835 set). */
  private outside(seg: SegmentContext): void {
    if (this.skipping) return;
    this.log.add('warning', 'UNEXPECTED_SEGMENT', `${seg.elements[0]} outside of a transaction set is ignored`, positionOf(seg));
  }

  /** Closes whatever is still open at the end of the input. */
  finish(): void {
    const at = { segmentIndex: this.seg.index || undefined };
    if (this.skipping) {
      this.log.add('error', 'MISSING_SE', 'input ended inside a transaction set (no SE)', at);
      this.skipping = undefined;
    }
    if (this.tx) {
      this.log.add('error', 'MISSING_SE', `input ended inside transaction ${this.tx.controlNumber} (no SE)`, at);
      this.closeTransaction();
    }
    if (this.gs) {
      this.log.add('error', 'MISSING_GE', `input ended inside functional group ${this.gs.controlNumber} (no GE)`, at);
      this.gs = undefined;
    }
    if (this.isa) {
      this.log.add('error', 'MISSING_IEA', `input ended inside interchange ${this.isa.value.controlNumber} (no IEA)`, at);
      this.isa = undefined;
    }
  }

  // ---- envelope -------------------------------------------------------------------------------------------------

  private onIsa(seg: SegmentContext): void {
    if (this.tx || this.skipping) this.closeOpenTransaction(seg);
    if (this.gs) {
      this.log.add('error', 'MISSING_GE', `functional group ${this.gs.controlNumber} not closed by GE before the next ISA`, positionOf(seg));
      this.gs = undefined;
    }
    if (this.isa) {
      this.log.add('error', 'MISSING_IEA', `interchange ${this.isa.value.controlNumber} not closed by IEA before the next ISA`, positionOf(seg));
    }
    if (seg.elements.length !== 17) {
      throw new X12ParseError('INVALID_ISA', `ISA has ${seg.elements.length - 1} elements; 16 are required`, positionOf(seg, Math.min(seg.elements.length, 16)));
    }
    this.envelope = true;
    const version = el(seg, 12).trim();
    const value: Interchange = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      controlNumber: req(seg, 13, 'interchange control number').trim(),
      senderId: el(seg, 6).trim(),
      receiverId: el(seg, 8).trim(),
      date: el(seg, 9),
      time: el(seg, 10),
      version,
      usage: el(seg, 15),
      delimiters: this.delims,
      groups: [],
    };
    this.interchanges.push(value);
    this.isa = { value, is5010: version.startsWith('005') };
    this.version5010 = this.isa.is5010;
  }

  private onGs(seg: SegmentContext): void {
    if (this.tx || this.skipping) this.closeOpenTransaction(seg);
    if (this.gs) this.log.add('error', 'MISSING_GE', `functional group ${this.gs.controlNumber} not closed by GE before the next GS`, positionOf(seg));
    if (!this.isa) this.log.add('error', 'UNEXPECTED_SEGMENT', 'GS outside of an interchange (no ISA)', positionOf(seg));
    const group: FunctionalGroup = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      functionalId: el(seg, 1),
      senderId: el(seg, 2).trim(),
      receiverId: el(seg, 3).trim(),
      controlNumber: req(seg, 6, 'group control number').trim(),
      version: opt(seg, 8),
      transactionCount: 0,
    };
    this.isa?.value.groups.push(group);
    this.gs = group;
    if (group.version) this.version5010 = group.version.startsWith('005');
  }

  private onSt(seg: SegmentContext): void {
    if (this.tx || this.skipping) this.closeOpenTransaction(seg);
    if (this.envelope && !this.gs) this.log.add('error', 'MISSING_GS', 'ST outside of a functional group (no GS)', positionOf(seg));
    if (this.gs) this.gs.transactionCount++;
    const code = req(seg, 1, 'transaction set identifier');
    const controlNumber = req(seg, 2, 'transaction set control number');
    if (code !== '835') {
      this.log.add('warning', 'NOT_835', `transaction set ${code} is not an 835 and is skipped`, positionOf(seg, 1));
      this.skipping = { segmentIndex: seg.index };
      return;
    }
    const version = opt(seg, 3) ?? this.gs?.version ?? this.isa?.value.version;
    if (opt(seg, 3)) this.version5010 = version!.startsWith('005');
    this.party = undefined;
    this.headerNumber = undefined;
    this.summary = undefined;
    this.claim = undefined;
    this.service = undefined;
    this.tx = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      controlNumber,
      version,
      interchangeControlNumber: this.isa?.value.controlNumber,
      groupControlNumber: this.gs?.controlNumber,
      segmentCount: 0,
      references: [],
      dates: [],
      providerSummaries: [],
      claims: [],
      providerAdjustments: [],
      balance: EMPTY_BALANCE,
    };
  }

  private onSe(seg: SegmentContext): void {
    const open = this.tx ?? this.skipping;
    if (!open) {
      this.log.add('error', 'UNEXPECTED_SEGMENT', 'SE without a matching ST', positionOf(seg));
      return;
    }
    const actual = seg.index - open.segmentIndex + 1;
    const declared = integer(seg, 1);
    const controlNumber = this.tx ? this.tx.controlNumber : undefined;
    if (declared !== actual) {
      this.log.add('error', 'SE_COUNT_MISMATCH', `SE01 '${el(seg, 1)}' but transaction${controlNumber ? ` '${controlNumber}'` : ''} has ${actual} segments`, positionOf(seg, 1));
    }
    const se02 = req(seg, 2, 'transaction set control number');
    if (controlNumber !== undefined && se02 !== controlNumber) {
      this.log.add('error', 'SE_CONTROL_MISMATCH', `SE02 '${se02}' does not match ST02 '${controlNumber}'`, positionOf(seg, 2));
    }
    if (this.tx) {
      this.tx.segmentCount = actual;
      this.closeTransaction();
    } else this.skipping = undefined;
  }

  private onGe(seg: SegmentContext): void {
    if (this.tx || this.skipping) this.closeOpenTransaction(seg);
    const gs = this.gs;
    if (!gs) {
      this.log.add('error', 'UNEXPECTED_SEGMENT', 'GE without a matching GS', positionOf(seg));
      return;
    }
    const declared = integer(seg, 1);
    if (declared !== gs.transactionCount) {
      this.log.add('error', 'GE_COUNT_MISMATCH', `GE01 '${el(seg, 1)}' but group '${gs.controlNumber}' has ${gs.transactionCount} transaction set(s)`, positionOf(seg, 1));
    }
    const ge02 = req(seg, 2, 'group control number').trim();
    if (ge02 !== gs.controlNumber) {
      this.log.add('error', 'GE_CONTROL_MISMATCH', `GE02 '${ge02}' does not match GS06 '${gs.controlNumber}'`, positionOf(seg, 2));
    }
    this.gs = undefined;
  }

  private onIea(seg: SegmentContext): void {
    if (this.tx || this.skipping) this.closeOpenTransaction(seg);
    if (this.gs) {
      this.log.add('error', 'MISSING_GE', `functional group ${this.gs.controlNumber} not closed by GE before IEA`, positionOf(seg));
      this.gs = undefined;
    }
    const isa = this.isa;
    if (!isa) {
      this.log.add('error', 'UNEXPECTED_SEGMENT', 'IEA without a matching ISA', positionOf(seg));
      return;
    }
    const declared = integer(seg, 1);
    if (declared !== isa.value.groups.length) {
      this.log.add('error', 'IEA_COUNT_MISMATCH', `IEA01 '${el(seg, 1)}' but interchange '${isa.value.controlNumber}' has ${isa.value.groups.length} group(s)`, positionOf(seg, 1));
    }
    const iea02 = req(seg, 2, 'interchange control number').trim();
    if (iea02 !== isa.value.controlNumber) {
      this.log.add('error', 'IEA_CONTROL_MISMATCH', `IEA02 '${iea02}' does not match ISA13 '${isa.value.controlNumber}'`, positionOf(seg, 2));
    }
    this.isa = undefined;
  }

  private closeOpenTransaction(seg: SegmentContext): void {
    const what = this.tx ? `transaction ${this.tx.controlNumber}` : 'transaction set';
    this.log.add('error', 'MISSING_SE', `${what} not closed by SE before ${seg.elements[0]}`, positionOf(seg));
    if (this.tx) this.closeTransaction();
    this.skipping = undefined;
  }

  private closeTransaction(): void {
    const tx = this.tx!;
    this.tx = undefined;
    this.claim = undefined;
    this.service = undefined;
    this.party = undefined;
    if (tx.segmentCount === 0) tx.segmentCount = this.seg.index - tx.segmentIndex + 1;
    if (!tx.payment) {
      this.log.add('error', 'MISSING_BPR', `transaction ${tx.controlNumber} has no BPR (payment) segment`, { segmentIndex: tx.segmentIndex, segmentId: 'ST', byteOffset: tx.byteOffset });
    }
    tx.balance = balanceTransaction(tx);
    this.transactionCount++;
    if (this.retain) this.transactions.push(tx);
    this.onTransaction?.(tx);
  }

  // ---- header ---------------------------------------------------------------------------------------------------

  private onBpr(seg: SegmentContext, tx: Transaction): void {
    if (tx.payment) {
      this.log.add('warning', 'UNEXPECTED_SEGMENT', 'second BPR in one transaction is ignored', positionOf(seg));
      return;
    }
    tx.payment = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      handlingCode: req(seg, 1, 'transaction handling code'),
      totalCents: amount(seg, 2, 'total actual provider payment amount'),
      creditDebit: opt(seg, 3),
      method: opt(seg, 4),
      format: opt(seg, 5),
      date: opt(seg, 16),
    };
  }

  private onRef(seg: SegmentContext, tx: Transaction): void {
    const ref: Reference = { qualifier: req(seg, 1), value: el(seg, 2) };
    if (this.service) this.service.references.push(ref);
    else if (this.claim) this.claim.references.push(ref);
    else if (this.party) {
      this.party.references.push(ref);
      if (ref.qualifier === 'TJ') this.party.taxId = ref.value;
      else if (ref.qualifier === '2U') this.party.payerId = ref.value;
    } else tx.references.push(ref);
  }

  private onDtm(seg: SegmentContext, tx: Transaction): void {
    const qualifier = req(seg, 1);
    const date = el(seg, 2);
    const service = this.service;
    if (service) {
      if (qualifier === '472') service.serviceDate = date;
      else if (qualifier === '150') service.serviceDateFrom = date;
      else if (qualifier === '151') service.serviceDateTo = date;
      return;
    }
    if (this.claim) {
      this.claim.dates.push({ qualifier, date });
      return;
    }
    tx.dates.push({ qualifier, date });
    if (qualifier === '405') tx.productionDate = date;
  }

  private onN1(seg: SegmentContext, tx: Transaction): void {
    const entityCode = req(seg, 1);
    const idQualifier = opt(seg, 3);
    const id = opt(seg, 4);
    const party: Party = { entityCode, name: opt(seg, 2), idQualifier, id, references: [] };
    if (idQualifier === 'XX' && id) party.npi = id;
    if (idQualifier === 'FI' && id) party.taxId = id;
    this.party = party;
    if (entityCode === 'PR') tx.payer = party;
    else if (entityCode === 'PE') tx.payee = party;
  }

  private onProviderSummary(seg: SegmentContext, tx: Transaction, id: 'TS3' | 'TS2'): void {
    if (this.summary === undefined) {
      this.summary = { headerNumber: this.headerNumber ?? '' };
      tx.providerSummaries.push(this.summary);
    }
    if (id === 'TS3') this.summary.ts3 = seg.elements;
    else this.summary.ts2 = seg.elements;
  }

  // ---- claims ---------------------------------------------------------------------------------------------------

  private onClp(seg: SegmentContext, tx: Transaction): void {
    const claim: ClaimPayment = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      patientControlNumber: req(seg, 1, 'patient control number'),
      status: req(seg, 2, 'claim status code'),
      chargeCents: amount(seg, 3, 'total claim charge amount'),
      paidCents: amount(seg, 4, 'claim payment amount'),
      patientResponsibilityCents: optAmount(seg, 5),
      filingIndicator: opt(seg, 6),
      payerClaimControlNumber: opt(seg, 7),
      facilityTypeCode: opt(seg, 8),
      frequencyCode: opt(seg, 9),
      drgCode: opt(seg, 11),
      headerNumber: this.headerNumber,
      adjustments: [],
      services: [],
      parties: [],
      remarks: [],
      adjudication: [],
      dates: [],
      amounts: [],
      quantities: [],
      references: [],
    };
    tx.claims.push(claim);
    this.claim = claim;
    this.service = undefined;
    this.party = undefined;
  }

  private onCas(seg: SegmentContext): void {
    const target = this.service ?? this.claim;
    if (!target) {
      this.log.add('error', 'UNEXPECTED_SEGMENT', 'CAS outside of a claim is ignored (its amounts cannot be balanced)', positionOf(seg));
      return;
    }
    const groupCode = req(seg, 1, 'claim adjustment group code');
    if (!CAS_GROUP_SET.has(groupCode)) {
      throw new X12ParseError('INVALID_VALUE', `CAS01 '${groupCode.slice(0, 8)}' is not a claim adjustment group code (${CAS_GROUPS.join(', ')})`, positionOf(seg, 1));
    }
    const group = groupCode as CasGroup;
    if (group === 'CR' && this.version5010) {
      this.log.add('warning', 'CAS_GROUP_NOT_IN_VERSION', 'CAS01 CR (corrections and reversals) is valid only in 4010', positionOf(seg, 1));
    }
    const list = target.adjustments;
    const elements = seg.elements;
    for (let k = 0; k < 6; k++) {
      const r = 2 + 3 * k;
      if (k === 0) req(seg, r, 'adjustment reason code');
      if (r >= elements.length) break;
      const reason = elements[r];
      const amountText = elements[r + 1];
      if (reason === '' && (amountText === undefined || amountText === '')) continue;
      if (reason === '') req(seg, r, 'adjustment reason code');
      const adjustment: Adjustment = { group, reason, amountCents: amount(seg, r + 1, 'adjustment amount'), segmentIndex: seg.index };
      const quantity = decimal(seg, r + 2);
      if (quantity !== undefined) {
        if (Number.isNaN(quantity)) {
          this.log.add('warning', 'INVALID_QUANTITY', `${elementName('CAS', r + 2)} is not a number`, positionOf(seg, r + 2));
        } else adjustment.quantity = quantity;
      }
      list.push(adjustment);
    }
  }

  private onNm1(seg: SegmentContext): void {
    const claim = this.claim;
    if (!claim || this.service) return;
    const idQualifier = opt(seg, 8);
    const id = opt(seg, 9);
    const party: Party = { entityCode: req(seg, 1), name: opt(seg, 3), firstName: opt(seg, 4), idQualifier, id, references: [] };
    if (idQualifier === 'XX' && id) party.npi = id;
    claim.parties.push(party);
  }

  private onClaimAdjudication(seg: SegmentContext, id: 'MIA' | 'MOA'): void {
    const claim = this.claim;
    if (!claim) {
      this.log.add('warning', 'UNEXPECTED_SEGMENT', `${id} outside of a claim is ignored`, positionOf(seg));
      return;
    }
    claim.adjudication.push(seg.elements);
    const positions = id === 'MOA' ? [3, 4, 5, 6, 7] : [5, 20, 21, 22, 23];
    for (const p of positions) {
      const code = opt(seg, p);
      if (code) claim.remarks.push({ qualifier: id, code });
    }
  }

  private onAmt(seg: SegmentContext): void {
    const qualifier = req(seg, 1);
    const amountCents = amount(seg, 2);
    if (this.service) {
      if (qualifier === 'B6') this.service.allowedCents = amountCents;
      this.service.amounts.push({ qualifier, amountCents });
    } else if (this.claim) this.claim.amounts.push({ qualifier, amountCents });
  }

  private onQty(seg: SegmentContext): void {
    const qualifier = req(seg, 1);
    const quantity = decimal(seg, 2);
    if (quantity === undefined || Number.isNaN(quantity)) {
      this.log.add('warning', 'INVALID_QUANTITY', 'QTY02 is missing or not a number', positionOf(seg, 2));
      return;
    }
    const target = this.service ?? this.claim;
    target?.quantities.push({ qualifier, quantity });
  }

  private procedure(seg: SegmentContext, position: number, value: string): Procedure {
    const { parts, fallback } = splitComposite(value, this.delims.component, true);
    if (fallback && !this.fallbackReported) {
      this.fallbackReported = true;
      this.log.add('info', 'COMPONENT_SEPARATOR_FALLBACK', `${elementName('SVC', position)} uses '${fallback}' as component separator although '${this.delims.component}' is declared`, positionOf(seg, position));
    }
    const modifiers: string[] = [];
    const last = parts.length < 6 ? parts.length : 6;
    for (let i = 2; i < last; i++) if (parts[i] !== '') modifiers.push(parts[i]);
    return { qualifier: parts[0], code: parts.length > 1 ? parts[1] : '', modifiers, description: parts[6] || undefined, raw: value };
  }

  private onSvc(seg: SegmentContext): void {
    const claim = this.claim;
    if (!claim) {
      this.log.add('error', 'UNEXPECTED_SEGMENT', 'SVC outside of a claim is ignored', positionOf(seg));
      return;
    }
    const procedure = this.procedure(seg, 1, req(seg, 1, 'composite medical procedure identifier'));
    if (procedure.code === '') {
      this.log.add('error', 'SVC_MISSING_PROCEDURE_CODE', `SVC01 '${procedure.raw}' has a qualifier but no procedure code component`, positionOf(seg, 1));
    }
    const chargeCents = optAmount(seg, 2);
    const paidCents = optAmount(seg, 3);
    if (chargeCents === undefined || paidCents === undefined) {
      const missing = [chargeCents === undefined ? 'SVC02' : undefined, paidCents === undefined ? 'SVC03' : undefined].filter(Boolean).join(', ');
      this.log.add('error', 'SVC_MISSING_AMOUNT', `SVC '${procedure.raw}' lacks required ${missing}`, positionOf(seg, chargeCents === undefined ? 2 : 3));
    }
    const original = opt(seg, 6);
    const line: ServiceLine = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      procedure,
      chargeCents,
      paidCents,
      revenueCode: opt(seg, 4),
      units: opt(seg, 5),
      originalProcedure: original === undefined ? undefined : this.procedure(seg, 6, original),
      originalUnits: opt(seg, 7),
      adjustments: [],
      amounts: [],
      quantities: [],
      references: [],
      remarks: [],
    };
    claim.services.push(line);
    this.service = line;
  }

  private onLq(seg: SegmentContext): void {
    const remark = { qualifier: req(seg, 1), code: req(seg, 2) };
    if (this.service) this.service.remarks.push(remark);
    else if (this.claim) this.claim.remarks.push(remark);
  }

  private onPlb(seg: SegmentContext, tx: Transaction): void {
    this.claim = undefined;
    this.service = undefined;
    this.party = undefined;
    const plb = {
      segmentIndex: seg.index,
      byteOffset: seg.byteOffset,
      providerId: req(seg, 1, 'provider identifier'),
      date: req(seg, 2, 'fiscal period date'),
      adjustments: [] as { reason: string; reference?: string; amountCents: number }[],
    };
    const elements = seg.elements;
    for (let k = 0; k < 6; k++) {
      const r = 3 + 2 * k;
      if (k === 0) req(seg, r, 'adjustment identifier');
      if (r >= elements.length) break;
      const composite = elements[r];
      const amountText = elements[r + 1];
      if (composite === '' && (amountText === undefined || amountText === '')) continue;
      if (composite === '') req(seg, r, 'adjustment identifier');
      const { parts } = splitComposite(composite, this.delims.component, true);
      plb.adjustments.push({ reason: parts[0], reference: parts[1] || undefined, amountCents: amount(seg, r + 1, 'provider adjustment amount') });
    }
    tx.providerAdjustments.push(plb);
  }
}
