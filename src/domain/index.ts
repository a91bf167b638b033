/** Pure domain core: no Temporal, no I/O. Safe to import from workflows. */
export * from './money';
export * from './schemas';
export * from './journey';
export * from './schemas/decisions';
export * from './ids';
export * from './sla';
export * from './denials';
export * from './approvals';
export * from './posting';
export * from './remittanceFromX12';
export * from './kpi';
