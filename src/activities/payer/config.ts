import { z } from 'zod';
import { odooConfigFromEnv, type ResolvedOdooConfig } from '../odoo/config';
import type { BillingProvider, X12Party } from './x837';

/**
 * Payer connection settings from the environment:
 * - PAYER_BASE_URL (required): base of the payer/clearinghouse API (FHIR under `/fhir`, claims, remittances).
 * - PAYER_API_KEY (optional): sent as `Authorization: Bearer …`.
 * - PAYER_TIMEOUT_MS (default 10000): whole-request timeout; a timeout is a retryable UpstreamTimeoutError.
 * - PAYER_SUBMITTER_ID / PAYER_SUBMITTER_NAME, PAYER_RECEIVER_ID / PAYER_RECEIVER_NAME: 837 envelope parties.
 * - PAYER_BILLING_NPI, PAYER_BILLING_NAME, PAYER_BILLING_TAX_ID, PAYER_BILLING_ADDRESS ("line, city, ST, zip", the
 *   ZIP with 9 digits: 5010 requires ZIP+4 in the billing provider's N403).
 * - PAYER_X12_USAGE: T (test) or P (production, default).
 * - ODOO_* (when ODOO_URL is set): the system of record the claim submission reads patient demographics from.
 */
export interface PayerConfig {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  submitter: X12Party;
  receiver: X12Party;
  billingProvider: BillingProvider;
  x12Usage: 'T' | 'P';
  /** Odoo holding the patient partners (demographics for the 837's 2010BA/2010CA); absent → claims cannot be sent. */
  patients?: ResolvedOdooConfig;
}

/** The 837 envelope and billing-provider settings (what `npm run -s x12 -- 837` needs without a payer URL). */
export type X837Settings = Pick<PayerConfig, 'submitter' | 'receiver' | 'billingProvider' | 'x12Usage'>;

const intMs = (def: number) => z.coerce.number().int().min(1).max(600_000).default(def);

const AddressSchema = z
  .string()
  .regex(/^[^,]+,[^,]+,\s*[A-Z]{2},\s*\d{5}-?\d{4}$/, 'expected "line, city, ST, zip" with a 9-digit ZIP (ZIP+4)')
  .transform((s) => {
    const [line1, city, state, zip] = s.split(',').map((p) => p.trim());
    return { line1, city, state, zip: zip.replace('-', '') };
  });

const X12EnvSchema = z.object({
  PAYER_SUBMITTER_ID: z.string().regex(/^[A-Za-z0-9]{2,15}$/).default('RCMSUBMITTER'),
  PAYER_SUBMITTER_NAME: z.string().min(1).max(60).default('REFERRAL JOURNEYS'),
  PAYER_RECEIVER_ID: z.string().regex(/^[A-Za-z0-9]{2,15}$/).default('CLEARINGHOUSE'),
  PAYER_RECEIVER_NAME: z.string().min(1).max(60).default('CLEARINGHOUSE'),
  PAYER_BILLING_NPI: z.string().regex(/^\d{10}$/).default('1234567893'),
  PAYER_BILLING_NAME: z.string().min(1).max(60).default('DEMO CLINIC'),
  PAYER_BILLING_TAX_ID: z.string().regex(/^\d{2}-?\d{7}$/).default('12-3456789'),
  PAYER_BILLING_ADDRESS: AddressSchema.default('1 Main Street, Springfield, IL, 62701-1234'),
  PAYER_X12_USAGE: z.enum(['T', 'P']).default('P'),
});

const EnvSchema = X12EnvSchema.extend({
  PAYER_BASE_URL: z.string().url().transform((u) => u.replace(/\/+$/, '')),
  PAYER_API_KEY: z.string().min(1).optional(),
  PAYER_TIMEOUT_MS: intMs(10_000),
});

function x837Settings(e: z.output<typeof X12EnvSchema>): X837Settings {
  return {
    submitter: { id: e.PAYER_SUBMITTER_ID, name: e.PAYER_SUBMITTER_NAME },
    receiver: { id: e.PAYER_RECEIVER_ID, name: e.PAYER_RECEIVER_NAME },
    billingProvider: { npi: e.PAYER_BILLING_NPI, name: e.PAYER_BILLING_NAME, taxId: e.PAYER_BILLING_TAX_ID.replace('-', ''), address: e.PAYER_BILLING_ADDRESS },
    x12Usage: e.PAYER_X12_USAGE,
  };
}

function problemsOf(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
}

/** Only the 837 settings (PAYER_SUBMITTER_*, PAYER_RECEIVER_*, PAYER_BILLING_*, PAYER_X12_USAGE), all defaulted. */
export function x837SettingsFromEnv(env: Record<string, string | undefined> = process.env): X837Settings {
  const parsed = X12EnvSchema.safeParse(definedEnv(env));
  if (!parsed.success) throw new PayerConfigError(`invalid payer configuration: ${problemsOf(parsed.error)}`);
  return x837Settings(parsed.data);
}

export class PayerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayerConfigError';
  }
}

/** Empty strings in env mean "unset" (docker-compose writes `PAYER_API_KEY=`). */
function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('PAYER_') && e[1] !== undefined && e[1] !== ''));
}

/** Validate the payer settings; throws one PayerConfigError naming every bad variable (values are never echoed). */
export function payerConfigFromEnv(env: Record<string, string | undefined> = process.env): PayerConfig {
  const parsed = EnvSchema.safeParse(definedEnv(env));
  if (!parsed.success) throw new PayerConfigError(`invalid payer configuration: ${problemsOf(parsed.error)}`);
  const e = parsed.data;
  // The Odoo settings are validated (and their problems reported) by the Odoo section of the app config too.
  let patients: ResolvedOdooConfig | undefined;
  if (env.ODOO_URL) {
    try {
      patients = odooConfigFromEnv(env);
    } catch (err) {
      throw new PayerConfigError(`invalid payer configuration: patient source (ODOO_*): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    baseUrl: e.PAYER_BASE_URL,
    ...(e.PAYER_API_KEY ? { apiKey: e.PAYER_API_KEY } : {}),
    timeoutMs: e.PAYER_TIMEOUT_MS,
    ...x837Settings(e),
    ...(patients ? { patients } : {}),
  };
}
