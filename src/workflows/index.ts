// Workflow bundle entry: every workflow type the worker registers.
export { smokeCheck } from './smoke';
