/** Client library: the typed journey client, its errors, the dead-letter store and the HTTP ingress. */
export {
  createJourneyClient,
  DECISION_TYPES,
  type CallOptions,
  type Decision,
  type DecisionType,
  type DeliveryMode,
  type DeliveryOptions,
  type DeliveryResult,
  type IngestIssue,
  type IngestOptions,
  type IngestSummary,
  type JourneyClient,
  type JourneyClientOptions,
  type JourneySummary,
  type StartResult,
} from './journeyClient';
export * from './errors';
export { CORRELATION_HEADER, correlationIdFrom, correlationIdFromHeaders, correlationInterceptor, withCorrelationId } from './correlation';
export { createDeadLetterStore, deadLetterFile, DEFAULT_DLQ_FILE, type DeadLetter, type DeadLetterStore, type DeadLetterSummary, type NewDeadLetter } from './deadLetters';
export { redriveDeadLetter, RedriveError, type RedriveResult } from './redrive';
export { buildJourneyQuery, claimQuery, type JourneyListFilter } from './visibility';
export { createIngress, type IngressOptions } from './ingress/server';
export { signRequest, signedHeaders, verifySignature, SIGNATURE_HEADERS } from './ingress/signature';
export { ROUTES as INGRESS_ROUTES } from './ingress/submit';
