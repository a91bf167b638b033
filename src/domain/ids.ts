/**
 * Workflow ids carry business ids only (DESIGN.md): `referral/<siteId>/<referralId>`. Both parts are restricted to
 * `[A-Za-z0-9._-]` by the schemas, so the id is unambiguous and PHI-free.
 */
export function journeyWorkflowId(siteId: string, referralId: string): string {
  return `referral/${siteId}/${referralId}`;
}

export function parseJourneyWorkflowId(workflowId: string): { siteId: string; referralId: string } | undefined {
  const m = /^referral\/([A-Za-z0-9._-]{1,64})\/([A-Za-z0-9._-]{1,64})$/.exec(workflowId);
  return m ? { siteId: m[1], referralId: m[2] } : undefined;
}

/**
 * Claim ids become CLP01/CLM01 (X12 AN 1-38) and the invoice `ref` in Odoo. A deterministic short hash of
 * (siteId, referralId) keeps them within 38 characters for any ids, and the attempt number makes a new claim
 * (e.g. after CO-16 + MA130) distinct. Remittances route back to the journey through the `ClaimIds` search attribute.
 */
export function claimIdFor(siteId: string, referralId: string, attempt: number): string {
  return `RC${fnv1a64(`${siteId}/${referralId}`)}-${attempt}`;
}

const CLAIM_ID = /^(RC[0-9A-Z]{1,13})-([1-9][0-9]{0,5})$/;

/** Attempts from here on are secondary-payer claims: attempt n's secondary is SECONDARY_ATTEMPT_BASE + n. */
export const SECONDARY_ATTEMPT_BASE = 500;

/**
 * The claim id of the secondary payer's claim for a primary claim (coordination of benefits): the same family, so
 * its payments match the journey's one invoice, and an attempt number no primary resubmission reaches.
 */
export function secondaryClaimIdFor(primaryClaimId: string): string {
  const m = CLAIM_ID.exec(primaryClaimId);
  if (!m) return `${primaryClaimId.slice(0, 34)}-S`;
  return `${m[1]}-${SECONDARY_ATTEMPT_BASE + Number(m[2])}`;
}

/**
 * The claim-id family of a journey: the `RC<hash>` stem every attempt of `claimIdFor` shares. A resubmitted claim
 * (attempt 2, 3, …) keeps the invoice of attempt 1, whose `ref` is the first claim id, so money is matched to the
 * invoice through the family. An id not made by `claimIdFor` (legacy or foreign) is its own family.
 */
export function claimFamilyOf(claimId: string): string {
  return CLAIM_ID.exec(claimId)?.[1] ?? claimId;
}

/** The attempt number of a `claimIdFor` id (undefined for other ids); orders the claims of one family. */
export function claimAttemptOf(claimId: string): number | undefined {
  const m = CLAIM_ID.exec(claimId);
  return m ? Number(m[2]) : undefined;
}

/** FNV-1a 64-bit as base-36 text: deterministic, dependency-free, fine for ids (not for security). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(36).toUpperCase();
}
