export * from './common';
export * from './referral';
export * from './payer';
export * from './care';
export * from './claim';
export * from './patient';
export * from './control';
