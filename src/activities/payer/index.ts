export { createPayerActivities } from './activities';
export { createPayerReconciliationActivities, MALFORMED_REMITTANCE, type PayerReconciliationActivities } from './reconciliation';
export { createPayerClient, type PayerClient } from './client';
export { payerConfigFromEnv, PayerConfigError, type PayerConfig } from './config';
export { readPriorAuthBundle, type PriorAuthResponse } from './fhir';
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_HEADERS, type WebhookVerification } from './webhook';
export { build837P, isValidNpi } from './x837';
export * from './types';
