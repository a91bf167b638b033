/**
 * 835 CLP06 claim filing indicator from the 837's SBR09. Both are data element 1032, but the implementation guides
 * allow different subsets:
 *   837P (005010X222A1) SBR09: 11 12 13 14 15 16 17 AM BL CH CI DS FI HM LM MA MB MC OF TV VA WC ZZ
 *   835  (005010X221A1) CLP06: 12 13 14 15 16 17 AM CH DS HM LI LM MA MB MC OF TV VA WC ZZ
 * (the guides' code lists for element 1032; also in Stedi's published 835 model, ClaimPaymentAdviceFilingIndicatorCode).
 * Codes in both lists are echoed 1:1. The others have no 835 code, so the payer writes what its own product is:
 *   CI commercial, BL Blue Cross/Blue Shield → 12 (this emulator's commercial product is a PPO network),
 *   FI Federal Employees Program → OF (other federal program), 11 other non-federal → ZZ (mutually defined);
 *   a missing or unknown SBR09 → ZZ.
 */
export const CLP06_CODES = ['12', '13', '14', '15', '16', '17', 'AM', 'CH', 'DS', 'HM', 'LI', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ'] as const;
export type Clp06 = (typeof CLP06_CODES)[number];

const NOT_IN_835: Record<string, Clp06> = { CI: '12', BL: '12', FI: 'OF', '11': 'ZZ' };

export function clp06FromSbr09(sbr09: string | undefined): Clp06 {
  const code = (sbr09 ?? '').trim().toUpperCase();
  if ((CLP06_CODES as readonly string[]).includes(code)) return code as Clp06;
  return NOT_IN_835[code] ?? 'ZZ';
}
