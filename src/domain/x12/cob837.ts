import { z } from 'zod';
import { formatCents, sumCents } from '../money';
import { toX12Text } from './charset';

/**
 * Coordination of benefits for a secondary 837P (005010X222A1): what the primary payer did, taken from its 835.
 *
 *   2320  SBR (the other payer's responsibility, relationship, filing indicator), CAS (claim-level adjustments),
 *         AMT*D (what that payer paid), OI (assignment of benefits, release of information)
 *   2330A NM1*IL other subscriber (+ N3/N4 when the address is known)
 *   2330B NM1*PR other payer, DTP*573 adjudication date when no line carries one (2430)
 *   2430  per service line: SVD (line paid), CAS (line adjustments), DTP*573
 *
 * Pure: the caller (the claim lifecycle, through the payer activity) passes the primary's adjudication in integer
 * cents; we return segments as element arrays. The secondary payer checks that the primary's money balances:
 * charge = paid + claim-level CAS + line-level CAS (claim) and line charge = SVD02 + line CAS (each line), so an
 * unbalanced input is refused here instead of being rejected downstream.
 */

const Cents = z.number().int().refine(Number.isSafeInteger, 'must be safe integer cents');
const Name = (max: number) => z.string().min(1).max(max);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date');

/** CAS01 claim adjustment group codes (X12 element 1033). */
export const CasGroupSchema = z.enum(['CO', 'CR', 'OA', 'PI', 'PR']);

export const CobAdjustmentSchema = z.object({
  group: CasGroupSchema,
  /** CARC (X12 code source 139): 1-5 characters, e.g. 1 deductible, 2 coinsurance, 45 over fee schedule. */
  reason: z.string().regex(/^[A-Z0-9]{1,5}$/),
  amountCents: Cents,
  quantity: z.number().int().positive().optional(),
});
export type CobAdjustment = z.infer<typeof CobAdjustmentSchema>;

export const CobLineSchema = z.object({
  /** 1-based service line number (LX01) this adjudication belongs to. */
  lineNumber: z.number().int().min(1).max(50),
  procedureCode: z.string().regex(/^[A-Z0-9]{5}$/),
  modifiers: z.array(z.string().regex(/^[A-Z0-9]{2}$/)).max(4).default([]),
  chargeCents: Cents.refine((n) => n > 0, 'must be > 0 cents'),
  paidCents: Cents,
  units: z.number().int().min(1).max(9999),
  adjustments: z.array(CobAdjustmentSchema).max(30).default([]),
  adjudicationDate: IsoDate.optional(),
});
export type CobLine = z.input<typeof CobLineSchema>;

export const SecondaryCobSchema = z.object({
  otherPayer: z.object({
    /** The other payer's id (NM109 with PI), also SVD01 of every 2430. */
    id: z.string().regex(/^[A-Za-z0-9-]{2,80}$/),
    name: Name(60),
    filingIndicator: z.string().regex(/^[A-Z0-9]{2}$/),
  }),
  otherSubscriber: z.object({
    memberId: z.string().regex(/^[A-Za-z0-9-]{1,80}$/),
    last: Name(60),
    first: Name(35).optional(),
    /** SBR02 of 2320: the patient's relationship to the other subscriber (18 self, 01 spouse, 19 child, G8 other…). */
    relationship: z.enum(['01', '18', '19', '20', '21', '39', '40', '53', 'G8']).default('18'),
    address: z.object({ line1: Name(55), city: Name(30), state: z.string().regex(/^[A-Z]{2}$/), zip: z.string().regex(/^\d{5}(\d{4})?$/) }).optional(),
  }),
  /** SBR01 of 2320: the other payer's place in the order of responsibility (P primary when we bill the secondary). */
  otherPayerResponsibility: z.enum(['P', 'S', 'T']).default('P'),
  paidCents: Cents,
  adjudicationDate: IsoDate,
  claimAdjustments: z.array(CobAdjustmentSchema).max(30),
  lines: z.array(CobLineSchema).max(50).optional(),
});
export type SecondaryCobInput = z.input<typeof SecondaryCobSchema>;
type SecondaryCob = z.output<typeof SecondaryCobSchema>;

/**
 * The same COB facts as they travel through a workflow: the other subscriber by member id, relationship and opaque
 * partner ref only (no name or address: the submit activity reads those from the system of record).
 */
export const CobSubmissionSchema = SecondaryCobSchema.extend({
  otherSubscriber: z.object({
    memberId: SecondaryCobSchema.shape.otherSubscriber.shape.memberId,
    relationship: SecondaryCobSchema.shape.otherSubscriber.shape.relationship,
    /** Odoo partner ref of the other policy's subscriber; defaults to the claim's subscriber. */
    subscriberRef: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be an opaque id').optional(),
  }),
});
export type CobSubmissionInput = z.input<typeof CobSubmissionSchema>;
export type CobSubmission = z.output<typeof CobSubmissionSchema>;

/** Put the other subscriber's name and address (read at submit time) into the workflow's COB facts. */
export function withOtherSubscriber(cob: CobSubmission, person: { last: string; first?: string; address?: { line1: string; city: string; state: string; zip: string } }): SecondaryCobInput {
  const { subscriberRef: _ref, ...ids } = cob.otherSubscriber;
  const address = person.address ? { line1: person.address.line1, city: person.address.city, state: person.address.state, zip: person.address.zip } : undefined;
  return { ...cob, otherSubscriber: { ...ids, last: person.last, ...(person.first ? { first: person.first } : {}), ...(address ? { address } : {}) } };
}

export interface CobSegments {
  /** 2320 + 2330A + 2330B, to follow the claim's 2300 (and 2310x) segments. */
  claim: string[][];
  /** 2430 segments per line number, to follow that line's 2400 segments. */
  byLine: Map<number, string[][]>;
}

const ymd = (iso: string) => iso.replace(/-/g, '');

/** CAS segments: one per group, at most 6 reason/amount/quantity triplets each (CAS02..CAS19). */
export function casSegments(adjustments: readonly CobAdjustment[]): string[][] {
  const out: string[][] = [];
  const groups = [...new Set(adjustments.map((a) => a.group))];
  for (const group of groups) {
    const mine = adjustments.filter((a) => a.group === group);
    for (let i = 0; i < mine.length; i += 6) {
      const seg = ['CAS', group];
      for (const a of mine.slice(i, i + 6)) seg.push(a.reason, formatCents(a.amountCents), a.quantity ? String(a.quantity) : '');
      out.push(seg);
    }
  }
  return out;
}

const total = (adjustments: readonly CobAdjustment[]) => sumCents(adjustments.map((a) => a.amountCents));

/**
 * Build the COB loops for a secondary claim. `claimChargeCents` is CLM02 of the claim we send; the primary's paid
 * amount and adjustments must account for all of it.
 */
export function buildSecondaryCob(input: SecondaryCobInput, claimChargeCents: number): CobSegments {
  const cob: SecondaryCob = SecondaryCobSchema.parse(input);
  const lines = cob.lines ?? [];
  for (const line of lines) {
    const accounted = line.paidCents + total(line.adjustments);
    if (accounted !== line.chargeCents) throw new RangeError(`COB line ${line.lineNumber}: paid + adjustments (${accounted}) != charge (${line.chargeCents}) cents`);
  }
  if (new Set(lines.map((l) => l.lineNumber)).size !== lines.length) throw new RangeError('COB lines: a line number appears twice');
  const lineAdjusted = sumCents(lines.map((l) => total(l.adjustments)));
  const accounted = cob.paidCents + total(cob.claimAdjustments) + lineAdjusted;
  if (accounted !== claimChargeCents) throw new RangeError(`COB claim: paid + claim and line adjustments (${accounted}) != claim charge (${claimChargeCents}) cents`);
  if (lines.length > 0 && sumCents(lines.map((l) => l.paidCents)) !== cob.paidCents) throw new RangeError('COB claim: AMT*D must equal the sum of the lines paid (SVD02)');

  const sub = cob.otherSubscriber;
  const claim: string[][] = [
    ['SBR', cob.otherPayerResponsibility, sub.relationship, '', '', '', '', '', '', cob.otherPayer.filingIndicator],
    ...casSegments(cob.claimAdjustments),
    ['AMT', 'D', formatCents(cob.paidCents)],
    // OI03 Y: benefits assigned to the provider; OI06 Y: signed release of information on file.
    ['OI', '', '', 'Y', '', '', 'Y'],
    ['NM1', 'IL', '1', toX12Text(sub.last, 60), sub.first ? toX12Text(sub.first, 35) : '', '', '', '', 'MI', sub.memberId],
  ];
  if (sub.address) {
    claim.push(['N3', toX12Text(sub.address.line1, 55)], ['N4', toX12Text(sub.address.city, 30), sub.address.state, sub.address.zip]);
  }
  claim.push(['NM1', 'PR', '2', toX12Text(cob.otherPayer.name, 60), '', '', '', '', 'PI', cob.otherPayer.id]);
  // 2330B DTP*573 is required when no 2430 carries the adjudication date.
  if (lines.length === 0) claim.push(['DTP', '573', 'D8', ymd(cob.adjudicationDate)]);

  const byLine = new Map<number, string[][]>();
  for (const line of lines) {
    byLine.set(line.lineNumber, [
      ['SVD', cob.otherPayer.id, formatCents(line.paidCents), ['HC', line.procedureCode, ...line.modifiers].join(':'), '', String(line.units)],
      ...casSegments(line.adjustments),
      ['DTP', '573', 'D8', ymd(line.adjudicationDate ?? cob.adjudicationDate)],
    ]);
  }
  return { claim, byLine };
}
