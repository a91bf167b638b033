import { z } from 'zod';
import { parse277ca, type Ack277ca } from '../../domain/x12/ack277ca';
import { parse999, type Ack999 } from '../../domain/x12/ack999';
import type { AckSegmentError, ClaimSubmissionAcknowledgment } from './types';

/**
 * Turns the clearinghouse acknowledgments of one 837 submission into the activity result's `acknowledgment`.
 * The submit response carries them as X12 text (`ack999`, `ack277ca`); each is parsed by the pure readers in
 * src/domain/x12 and reduced to codes and positions: no names, no copied-back values (IK404 may echo member data).
 * Malformed acknowledgments throw the parser's X12ParseError (with the segment position): the caller treats that
 * as an invalid payer response.
 */
export const SubmitAcknowledgmentsSchema = z.object({
  ack999: z.string().min(1).max(1_000_000).optional(),
  ack277ca: z.string().min(1).max(1_000_000).optional(),
});
export type SubmitAcknowledgments = z.infer<typeof SubmitAcknowledgmentsSchema>;

function segmentErrors(set: Ack999['transactionSets'][number]): AckSegmentError[] {
  return set.segmentErrors.flatMap((seg) => {
    const base = { segmentId: seg.segmentId, position: seg.position, ...(seg.loopId ? { loopId: seg.loopId } : {}), ...(seg.code ? { segmentCode: seg.code } : {}) };
    if (seg.elementErrors.length === 0) return [base];
    return seg.elementErrors.map((el) => ({
      ...base,
      element: el.position,
      ...(el.component ? { component: el.component } : {}),
      ...(el.dataElementRef ? { dataElementRef: el.dataElementRef } : {}),
      elementCode: el.code,
    }));
  });
}

function describe999(disposition: string, errors: AckSegmentError[], codes: string[]): string {
  const first = errors[0];
  const where = first ? ` IK3 ${first.segmentId}#${first.position}${first.segmentCode ? ` code ${first.segmentCode}` : ''}${first.element ? ` IK4 ${first.element}${first.component ? `-${first.component}` : ''} code ${first.elementCode}` : ''}` : '';
  return `999 ${disposition}${codes.length ? ` IK5 ${codes.join(',')}` : ''}${where}`;
}

/** From parsed acknowledgments (exported for callers that fetched them separately, e.g. GET /x12/277ca/:claimId). */
export function acknowledgmentFrom(ack999: Ack999 | undefined, ack277: Ack277ca | undefined, claimId: string): ClaimSubmissionAcknowledgment {
  const out: ClaimSubmissionAcknowledgment = { rejected: false };
  if (ack999) {
    const set = ack999.transactionSets.find((s) => s.transactionSetId === '837') ?? ack999.transactionSets[0];
    const disposition = set?.disposition ?? ack999.disposition;
    const errors = set ? segmentErrors(set) : [];
    const codes = set?.errorCodes ?? ack999.groupErrorCodes;
    out.implementation = { disposition, groupControlNumber: ack999.groupControlNumber, errorCodes: codes, segmentErrors: errors };
    // E with errors reported counts as a rejection to work (issue 12): the payer may adjudicate it, but the reported
    // error is what a corrected claim must fix. E without any error is an acceptance.
    if (disposition !== 'A' && (disposition !== 'E' || errors.length > 0 || codes.length > 0)) {
      out.rejected = true;
      out.rejectedBy = '999';
      out.reason = describe999(disposition, errors, codes);
    }
  }
  if (ack277) {
    const claim = ack277.claims.find((c) => c.patientControlNumber === claimId);
    if (claim) {
      out.claim = {
        accepted: claim.accepted,
        statuses: claim.statuses.map((s) => ({ category: s.category, statusCode: s.statusCode, ...(s.entityCode ? { entityCode: s.entityCode } : {}) })),
        ...(claim.payerClaimControlNumber ? { payerClaimControlNumber: claim.payerClaimControlNumber } : {}),
      };
      if (!claim.accepted && !out.rejected) {
        out.rejected = true;
        out.rejectedBy = '277CA';
        out.reason = `277CA ${claim.statuses.map((s) => [s.category, s.statusCode, s.entityCode].filter(Boolean).join(':')).join(' ')}`;
      }
    }
  }
  return out;
}

/**
 * Read the acknowledgments out of a submit response body (unknown JSON). Undefined when it carries none, so older
 * payers that only answer the JSON acknowledgement keep working.
 */
export function acknowledgmentFromResponse(body: unknown, claimId: string): ClaimSubmissionAcknowledgment | undefined {
  const parsed = SubmitAcknowledgmentsSchema.safeParse(body);
  if (!parsed.success || (!parsed.data.ack999 && !parsed.data.ack277ca)) return undefined;
  const { ack999, ack277ca } = parsed.data;
  return acknowledgmentFrom(ack999 ? parse999(ack999) : undefined, ack277ca ? parse277ca(ack277ca) : undefined, claimId);
}
