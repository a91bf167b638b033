import { z } from 'zod';
import type { PlanType } from '../schemas/common';

/**
 * Claim filing indicator (SBR09 in 2000B, SBR09 of 2320 for the other payer): X12 data element 1032, as the
 * 005010X222A1 guide lists it:
 *   11 other non-federal programs, 12 PPO, 13 POS, 14 EPO, 15 indemnity, 16 HMO Medicare risk (Medicare Advantage HMO),
 *   17 dental maintenance organization, AM automobile medical, BL Blue Cross/Blue Shield, CH CHAMPUS (TRICARE),
 *   CI commercial insurance, DS disability, FI Federal Employees Program, HM HMO, LM liability medical,
 *   MA Medicare Part A, MB Medicare Part B, MC Medicaid, OF other federal program, TV Title V, VA Veterans Affairs plan,
 *   WC workers' compensation, ZZ mutually defined.
 */
export const CLAIM_FILING_INDICATORS = [
  '11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ',
] as const;
export const ClaimFilingIndicatorSchema = z.enum(CLAIM_FILING_INDICATORS);
export type ClaimFilingIndicator = z.infer<typeof ClaimFilingIndicatorSchema>;

/**
 * Default SBR09 for the product's plan types. A professional claim to traditional Medicare is Part B (MB); Medicare
 * Advantage plans are billed as Medicare-risk HMOs (16); Medicaid fee-for-service, Medicaid managed care and CHIP go to
 * the state program (MC); exchange, ERISA group and other commercial plans are CI. A site whose payer wants another
 * code (BL for a Blues plan, HM for a commercial HMO, MA for Part A) sets `claimFilingIndicator` on the claim.
 * Self-pay has no payer to bill: asking for its indicator is a programming error.
 */
const BY_PLAN: Record<Exclude<PlanType, 'self_pay'>, ClaimFilingIndicator> = {
  medicare_ffs: 'MB',
  medicare_advantage: '16',
  medicaid_ffs: 'MC',
  medicaid_managed: 'MC',
  chip: 'MC',
  qhp_exchange: 'CI',
  erisa_group: 'CI',
  commercial: 'CI',
};

export function claimFilingIndicator(planType: PlanType | undefined, explicit?: ClaimFilingIndicator): ClaimFilingIndicator {
  if (explicit) return explicit;
  if (planType === undefined) return 'CI';
  if (planType === 'self_pay') throw new RangeError('a self-pay plan has no claim filing indicator: no 837 is sent for self-pay');
  return BY_PLAN[planType];
}
