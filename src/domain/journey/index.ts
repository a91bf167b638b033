export * from './stages';
export * from './machine';
