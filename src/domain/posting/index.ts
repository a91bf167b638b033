export * from './plan';
export * from './ledger';
export * from './cob';
export * from './providerAdjustments';
