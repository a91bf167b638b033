import { journeyWorkflowId } from '../../domain/ids';
import { ID_PATTERN } from '../../domain/schemas/common';
import { rolesForSite, type RoleMap } from '../../config/decisions';
import { DecisionRefusedError, JourneyClosedError, JourneyInputError, JourneyNotFoundError, JourneyUnavailableError } from '../errors';
import { DECISION_TYPES, type DecisionType, type JourneyClient } from '../journeyClient';
import type { DecisionReceipt } from '../../workflows/messages';
import type { VerifiedIdentity } from './auth';
import { DECISION_ROLES, REASON_REQUIRED, roleFor } from './policy';

/**
 * One decision from a verified identity, shared by the JSON API and the inbox form. actorId, role and issuer are
 * filled from the token (a body that tries to set them is refused); the journey's update validator then applies
 * segregation of duties and amount limits and either accepts or changes nothing.
 */
export class DecisionHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DecisionHttpError';
  }
}

export interface DecideRequest {
  identity: VerifiedIdentity;
  siteId: string;
  referralId: string;
  type: string;
  body: unknown;
  correlationId?: string;
}

const FROM_TOKEN = ['actorId', 'role', 'issuer'] as const;

export async function decide(journeys: JourneyClient, roleMap: RoleMap, req: DecideRequest): Promise<{ journeyId: string; receipt: DecisionReceipt; actorId: string; role: string }> {
  if (!ID_PATTERN.test(req.siteId) || !ID_PATTERN.test(req.referralId)) throw new DecisionHttpError(400, 'bad_request', 'site and referral ids must be 1-64 of [A-Za-z0-9._-]');
  if (!(DECISION_TYPES as string[]).includes(req.type)) {
    throw new DecisionHttpError(400, 'bad_request', `decision must be one of ${DECISION_TYPES.join(', ')}`);
  }
  const type = req.type as DecisionType;
  if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))) {
    throw new DecisionHttpError(400, 'bad_request', 'the body must be a JSON object');
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const smuggled = FROM_TOKEN.filter((k) => k in body);
  if (smuggled.length) {
    throw new DecisionHttpError(400, 'identity_in_body', `${smuggled.join(', ')} come from the verified token, not the request body`, { path: smuggled[0] });
  }
  const siteRoles = rolesForSite(roleMap, req.siteId, req.identity.idpRoles);
  const role = roleFor(type, siteRoles);
  if (!role) {
    const required = DECISION_ROLES[type];
    throw new DecisionHttpError(403, 'forbidden', `${type} at site ${req.siteId} requires one of the roles: ${required.join(', ')}`, { requiredRoles: required });
  }
  if (REASON_REQUIRED.has(type) && !(typeof body.reason === 'string' && body.reason.trim().length > 0)) {
    throw new DecisionHttpError(400, 'reason_required', `${type} requires a reason`, { path: 'reason' });
  }
  const journeyId = journeyWorkflowId(req.siteId, req.referralId);
  const input = { ...body, actorId: req.identity.actorId, role, issuer: req.identity.issuer };
  try {
    const receipt = await journeys.decide(journeyId, { type, input }, req.correlationId ? { correlationId: req.correlationId } : undefined);
    return { journeyId, receipt, actorId: req.identity.actorId, role };
  } catch (err) {
    throw httpErrorFrom(err);
  }
}

export function httpErrorFrom(err: unknown): unknown {
  if (err instanceof JourneyInputError) return new DecisionHttpError(400, 'bad_request', err.message, { issues: err.issues });
  if (err instanceof DecisionRefusedError) return new DecisionHttpError(409, 'refused', err.message);
  if (err instanceof JourneyNotFoundError) return new DecisionHttpError(404, 'not_found', err.message);
  if (err instanceof JourneyClosedError) return new DecisionHttpError(409, 'journey_closed', err.message);
  if (err instanceof JourneyUnavailableError) return new DecisionHttpError(503, 'unavailable', err.message);
  return err;
}
