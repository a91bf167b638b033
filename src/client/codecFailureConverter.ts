import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces can quote PHI (an upstream error echoing a field). With
 * `encodeCommonAttributes` they move into an encoded payload, so the payload codec encrypts them too.
 * Loaded by path (`DataConverter.failureConverterPath`): the worker bundles it into workflow code.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
