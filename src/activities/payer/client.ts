import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { z } from 'zod';
import { MoneyError } from '../../domain/money';
import { ClaimStatusCategorySchema } from '../../domain/schemas/payer';
import { FailureType, failureFromAxios, permanentFailure } from '../errors';
import type { PayerConfig } from './config';
import { FHIR_JSON, buildEligibilityRequest, buildPriorAuthBundle, readEligibilityResponse, readPriorAuthBundle, type PriorAuthResponse } from './fhir';
import {
  type CheckEligibilityInput,
  type ClaimAcknowledgement,
  type ClaimSubmissionAcknowledgment,
  type ClaimStatusResult,
  type EligibilityResult,
  type RemittanceFile,
  type RemittanceFileRef,
  type SubmitClaimInput,
  type SubmitPriorAuthInput,
} from './types';
import { createOdooClient, type OdooClient } from '../odoo/client';
import { SecondaryCobSchema, withOtherSubscriber } from '../../domain/x12/cob837';
import { build837P, type X837Claim } from './x837';
import { createOdooPatientDirectory, type PatientDirectory } from './x837Patients';
import type { ClaimDemographics, ClaimSubmissionSchema } from './x837Schema';
import { traceAxios } from '../../observability/http';
import { X12ParseError } from '../../domain/x12/errors';
import { acknowledgmentFromResponse } from './ack';

/**
 * HTTP client for the payer / clearinghouse API. Transport concerns only: keep-alive agents, timeouts, bearer auth,
 * idempotency keys, zod validation of every response and typed failures (src/activities/errors.ts). Inputs are
 * validated by the activities before they get here. Failure messages name the call, never the member or claim data.
 */
export interface PayerClient {
  checkEligibility(input: CheckEligibilityInput): Promise<EligibilityResult>;
  submitPriorAuth(input: SubmitPriorAuthInput): Promise<PriorAuthResponse>;
  /** null when the payer has no ClaimResponse for the tracking id yet. */
  fetchPriorAuth(trackingId: string): Promise<PriorAuthResponse | null>;
  /**
   * Render the 837P for a validated submission and the people on it (read by the activity from the system of
   * record; they never reach the idempotency key, logs or failures) and POST it.
   */
  submitClaim(input: z.output<typeof ClaimSubmissionSchema>, people: ClaimDemographics): Promise<ClaimAcknowledgement>;
  /** Patient demographics source (Odoo) when the config names one (ODOO_*). */
  readonly patients?: PatientDirectory;
  getClaimStatus(claimId: string, payerId: string): Promise<ClaimStatusResult>;
  listRemittances(since: string): Promise<RemittanceFileRef[]>;
  fetchRemittance(fileId: string): Promise<RemittanceFile>;
  /** Release keep-alive sockets (worker shutdown, tests). */
  close(): void;
}

const AckSchema = z.object({
  claimId: z.string(),
  acknowledgementId: z.string().min(1),
  status: z.enum(['accepted', 'rejected']),
  errors: z.array(z.string()),
});

const ClaimStatusSchema = z.object({
  claimId: z.string(),
  statusCategory: ClaimStatusCategorySchema,
  statusCode: z.string().min(1).max(10),
  effectiveDate: z.string().date(),
  paidCents: z.number().int().refine(Number.isSafeInteger).optional(),
});

const RemittanceListSchema = z.array(z.object({ fileId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), createdAt: z.string().datetime({ offset: true }) }));

/** JSON with object keys sorted at every level, so equal values hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Idempotency key for an 837 submission: same claim content + frequency → same key, any change → a new key. Built from
 * the submission (refs and codes), never from the demographics.
 */
export function claimIdempotencyKey(input: SubmitClaimInput): string {
  const digest = createHash('sha256').update(canonicalJson(input)).digest('hex').slice(0, 24);
  return `claim-${input.claimId}-${input.frequencyCode}-${digest}`;
}

/** ISA13 control number derived from the idempotency key, so a retry resends an identical interchange id. */
export function controlNumberFor(key: string): number {
  return (parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16) % 999_999_999) + 1;
}

/** The submission with the people read from the system of record (names enter only here, on the way out). */
function claimWithPeople(input: z.output<typeof ClaimSubmissionSchema>, people: ClaimDemographics): X837Claim {
  const { cob, ...rest } = input;
  if (cob && !people.otherSubscriber) throw new RangeError('a secondary claim needs the other subscriber (2330A)');
  const { otherSubscriber, ...claimPeople } = people;
  return { ...rest, ...claimPeople, ...(cob && otherSubscriber ? { cob: SecondaryCobSchema.parse(withOtherSubscriber(cob, otherSubscriber)) } : {}) };
}

/** A claim the 837 rules refuse (self-pay, unbalanced COB, 2000C without a patient…) can never succeed on retry. */
function render837(build: () => string): string {
  try {
    return build();
  } catch (err) {
    if (err instanceof RangeError || err instanceof z.ZodError) {
      throw permanentFailure(FailureType.Validation, 'payer claim submit: the claim cannot be written as an 837P', { issues: [err instanceof z.ZodError ? err.issues.map((i) => i.path.join('.')).join(', ') : err.message] });
    }
    throw err;
  }
}

function invalidResponse(context: string, error: z.ZodError | string | MoneyError): never {
  // Only paths and messages: response values may contain member data.
  const issues = typeof error === 'string' ? [error] : error instanceof MoneyError ? ['money amount not representable in cents'] : error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw permanentFailure(FailureType.Validation, `${context}: invalid response from payer`, { issues: issues.slice(0, 20) });
}

export function createPayerClient(config: PayerConfig): PayerClient {
  const odoo: OdooClient | undefined = config.patients ? createOdooClient(config.patients) : undefined;
  const patients = odoo ? createOdooPatientDirectory(odoo) : undefined;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
  const api: AxiosInstance = axios.create({
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    headers: {
      'User-Agent': 'referral-journeys-payer-client/0.1',
      ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}),
    },
  });
  // One CLIENT span per request when tracing is on (the activity span is its parent).
  traceAxios(api, 'payer');

  async function call<T>(context: string, request: AxiosRequestConfig): Promise<T> {
    try {
      const res = await api.request<T>(request);
      return res.data;
    } catch (err) {
      throw failureFromAxios(err, context);
    }
  }

  function mapped<T>(context: string, read: () => T | z.ZodError | string): T {
    let result: T | z.ZodError | string;
    try {
      result = read();
    } catch (err) {
      if (err instanceof MoneyError) invalidResponse(context, err);
      throw err;
    }
    if (result instanceof z.ZodError || typeof result === 'string') invalidResponse(context, result);
    return result;
  }

  const fhirHeaders = { 'Content-Type': FHIR_JSON, Accept: FHIR_JSON };

  return {
    async checkEligibility(input) {
      const context = 'payer eligibility';
      const body = await call<unknown>(context, {
        method: 'POST',
        url: '/fhir/CoverageEligibilityRequest/$submit',
        headers: fhirHeaders,
        data: buildEligibilityRequest(input, new Date().toISOString(), config.billingProvider.npi),
      });
      return mapped(context, () => readEligibilityResponse(body));
    },

    async submitPriorAuth(input) {
      const context = 'payer prior-auth submit';
      const body = await call<unknown>(context, {
        method: 'POST',
        url: '/fhir/Claim/$submit',
        headers: { ...fhirHeaders, 'Idempotency-Key': `pa-${input.authRequestId}` },
        data: buildPriorAuthBundle(input, new Date().toISOString(), config.billingProvider.npi, { providerName: config.billingProvider.name }),
      });
      const read = mapped(context, () => readPriorAuthBundle(body));
      if (read === null) invalidResponse(context, 'no ClaimResponse in $submit response');
      return read;
    },

    async fetchPriorAuth(trackingId) {
      const context = 'payer prior-auth inquiry';
      const body = await call<unknown>(context, { method: 'GET', url: '/fhir/ClaimResponse', params: { request: trackingId }, headers: { Accept: FHIR_JSON } });
      return mapped(context, () => readPriorAuthBundle(body));
    },

    ...(patients ? { patients } : {}),

    async submitClaim(input, people) {
      const context = 'payer claim submit';
      const key = claimIdempotencyKey(input);
      const x12 = render837(() =>
        build837P(claimWithPeople(input, people), {
          sender: config.submitter,
          receiver: config.receiver,
          billingProvider: config.billingProvider,
          payerName: input.payerId,
          controlNumber: controlNumberFor(key),
          now: new Date(),
          usage: config.x12Usage,
        }),
      );
      const body = await call<unknown>(context, {
        method: 'POST',
        url: '/x12/837',
        headers: { 'Content-Type': 'application/edi-x12', Accept: 'application/json', 'Idempotency-Key': key },
        data: x12,
      });
      const ack = AckSchema.safeParse(body);
      if (!ack.success) invalidResponse(context, ack.error);
      if (ack.data.claimId !== input.claimId) invalidResponse(context, 'acknowledgement is for another claim');
      // The clearinghouse's 999 / 277CA, parsed (codes and positions only); a malformed one is an invalid response.
      let acknowledgment: ClaimSubmissionAcknowledgment | undefined;
      try {
        acknowledgment = acknowledgmentFromResponse(body, input.claimId);
      } catch (err) {
        if (err instanceof X12ParseError) invalidResponse(context, `acknowledgment: ${err.message}`);
        throw err;
      }
      return { acknowledgementId: ack.data.acknowledgementId, status: ack.data.status, errors: ack.data.errors, ...(acknowledgment ? { acknowledgment } : {}) };
    },

    async getClaimStatus(claimId, payerId) {
      const context = 'payer claim status';
      const body = await call<unknown>(context, { method: 'GET', url: `/claims/${encodeURIComponent(claimId)}/status`, params: { payerId }, headers: { Accept: 'application/json' } });
      const status = ClaimStatusSchema.safeParse(body);
      if (!status.success) invalidResponse(context, status.error);
      const { statusCategory, statusCode, effectiveDate, paidCents } = status.data;
      return { statusCategory, statusCode, effectiveDate, ...(paidCents !== undefined ? { paidCents } : {}) };
    },

    async listRemittances(since) {
      const context = 'payer remittance list';
      const body = await call<unknown>(context, { method: 'GET', url: '/remittances', params: { since }, headers: { Accept: 'application/json' } });
      const list = RemittanceListSchema.safeParse(body);
      if (!list.success) invalidResponse(context, list.error);
      return list.data;
    },

    async fetchRemittance(fileId) {
      const context = 'payer remittance fetch';
      const content = await call<unknown>(context, {
        method: 'GET',
        url: `/remittances/${encodeURIComponent(fileId)}`,
        headers: { Accept: 'application/edi-x12, text/plain' },
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
      });
      // The 835 is parsed (and balanced) downstream; here only check that it is an X12 interchange at all.
      if (typeof content !== 'string' || !/^\uFEFF?\s*ISA/.test(content)) invalidResponse(context, 'remittance is not X12 (no ISA header)');
      return { fileId, content };
    },

    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
      odoo?.close();
    },
  };
}
