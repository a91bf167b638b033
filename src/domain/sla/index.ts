export * from './dates';
export * from './timezone';
export * from './holidays';
export * from './calendar';
export * from './rules';
export * from './ladder';
export * from './patient';
export * from './priorAuthClock';
