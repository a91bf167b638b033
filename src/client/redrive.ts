import { RemittanceMessageSchema } from '../domain/schemas/payer';
import { correlationIdFrom } from './correlation';
import type { DeadLetter, DeadLetterStore } from './deadLetters';
import { JourneyClientError } from './errors';
import { ROUTES, submitIngress, toIngressError, type IngressSubmission } from './ingress/submit';
import type { JourneyClient } from './journeyClient';

/**
 * Re-drive a dead letter through the same client path it first took: an ingress request is re-submitted to the route
 * it was posted to (the signature is not re-checked — re-driving is an operator's decision), an unmatched 835 claim is
 * routed again by ClaimIds. Success appends a `redriven` marker; failure leaves the entry open and throws.
 */
export class RedriveError extends JourneyClientError {
  constructor(message: string) {
    super('redrive_failed', message);
  }
}

export interface RedriveResult {
  id: string;
  outcome: string;
  result: unknown;
}

export async function redriveDeadLetter(entry: DeadLetter, deps: { journeys: JourneyClient; deadLetters: DeadLetterStore }): Promise<RedriveResult> {
  if (entry.redrivenAt) throw new RedriveError(`dead letter ${entry.id} was already re-driven at ${entry.redrivenAt}`);
  const correlationId = correlationIdFrom(entry.correlationId);
  const payload = entry.payload as Record<string, unknown> | null;
  let outcome: string;
  let result: unknown;

  if (payload && typeof payload.route === 'string' && (Object.values(ROUTES) as string[]).includes(payload.route)) {
    if (typeof payload.body !== 'string') throw new RedriveError(`dead letter ${entry.id} has no stored body (${entry.reason})`);
    try {
      const submitted = await submitIngress(payload as unknown as IngressSubmission, { journeys: deps.journeys, deadLetters: deps.deadLetters, correlationId });
      result = submitted.body;
      outcome = `${payload.route} → ${submitted.status}`;
    } catch (err) {
      const e = toIngressError(err);
      throw new RedriveError(`re-drive of ${entry.id} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else if (payload && payload.kind === 'remittance') {
    const message = RemittanceMessageSchema.safeParse(payload.message);
    if (!message.success) throw new RedriveError(`dead letter ${entry.id} holds an invalid remittance message`);
    try {
      result = await deps.journeys.deliverRemittance(message.data, { correlationId });
    } catch (err) {
      throw new RedriveError(`re-drive of ${entry.id} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    outcome = `remittance ${message.data.patientControlNumber} delivered`;
  } else {
    throw new RedriveError(`dead letter ${entry.id} (${entry.reason}) cannot be re-driven: fix the source data and send it again`);
  }
  await deps.deadLetters.markRedriven(entry.id, outcome);
  return { id: entry.id, outcome, result };
}
