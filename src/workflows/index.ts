// Workflow bundle entry: every workflow type the worker registers.
export { smokeCheck } from './smoke';
export { referralJourney } from './referralJourney';
export { priorAuth } from './priorAuth';
export { claimLifecycle } from './claimLifecycle';
export { patientBalance } from './patientBalance';
export { reconciliation } from './reconciliation';
export { cashPosting } from './cashPosting';
