import { startAiEmulator, type AiEmulator, type AiEmulatorOptions } from './ai';
import { startOdooEmulator, type OdooEmulator, type OdooEmulatorOptions } from './odoo';
import { startPayerEmulator, type PayerEmulator, type PayerEmulatorOptions } from './payer';

/**
 * All three emulators (Odoo, payer, OpenAI-compatible model) for tests, the demo and `npm run sim`.
 * `env` holds the variables that point the worker's config at them (ODOO_*, PAYER_BASE_URL, AI_*).
 */
export interface AllEmulatorsOptions {
  /** Bind address for all three (default 127.0.0.1). */
  host?: string;
  odoo?: OdooEmulatorOptions;
  payer?: PayerEmulatorOptions;
  ai?: AiEmulatorOptions;
}

export interface AllEmulators {
  odooUrl: string;
  payerUrl: string;
  /** OpenAI-compatible base URL (ends in /v1): AI_BASE_URL. */
  aiUrl: string;
  odoo: OdooEmulator;
  payer: PayerEmulator;
  ai: AiEmulator;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startAllEmulators(opts: AllEmulatorsOptions = {}): Promise<AllEmulators> {
  const host = opts.host;
  const started = await Promise.allSettled([
    startOdooEmulator({ ...(host ? { host } : {}), ...opts.odoo }),
    startPayerEmulator({ ...(host ? { host } : {}), ...opts.payer }),
    startAiEmulator({ ...(host ? { host } : {}), ...opts.ai }),
  ] as const);
  const closeAll = async () => {
    await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  const [odoo, payer, ai] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [OdooEmulator, PayerEmulator, AiEmulator];
  const odooLogin = opts.odoo?.login ?? 'admin';
  const odooKey = opts.odoo?.apiKey ?? 'admin-api-key';
  return {
    odooUrl: odoo.url,
    payerUrl: payer.url,
    aiUrl: ai.url,
    odoo,
    payer,
    ai,
    env: {
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_LOGIN: odooLogin,
      ODOO_API_KEY: odooKey,
      PAYER_BASE_URL: payer.url,
      ...(opts.payer?.apiKey ? { PAYER_API_KEY: opts.payer.apiKey } : {}),
      AI_BASE_URL: ai.url,
      AI_MODEL: ai.control.modelId,
      ...(opts.ai?.apiKey ? { AI_API_KEY: opts.ai.apiKey } : {}),
    },
    close: closeAll,
  };
}

export { startAiEmulator, startOdooEmulator, startPayerEmulator };
export type { AiEmulator, OdooEmulator, PayerEmulator };
