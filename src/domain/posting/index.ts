export * from './plan';
export * from './ledger';
