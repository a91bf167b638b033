export { startPayerEmulator, type PayerEmulator, type PayerEmulatorControl, type PayerEmulatorOptions, type RemittanceFileInfo, type ClaimStatusView } from './server';
export type { AdjudicationRule, PayRule, DenyRule, ReverseAndCorrectRule } from './adjudication';
export type { PriorAuthRule, PriorAuthDecisionSpec, MemberBenefits, AuthRequiredSpec } from './rules';
export { write835, paymentTotalCents, balancingProblem, type Remittance, type RemitClaim, type ProviderAdjustment } from './x835Writer';
