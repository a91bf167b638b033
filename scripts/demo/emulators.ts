import { startAiEmulator, startAllEmulators, startOdooEmulator, startPayerEmulator, type AiEmulator, type OdooEmulator, type PayerEmulator } from '../../sim';
import type { PayerEmulatorOptions } from '../../sim/payer';

/**
 * The emulators the demo needs. With no integration configured, all three (Odoo, payer, OpenAI-compatible model) run
 * through `startAllEmulators`. A configured integration replaces its emulator: `ODOO_URL` → that Odoo (with ODOO_DB,
 * ODOO_LOGIN, ODOO_API_KEY from the environment), `PAYER_BASE_URL` → that payer, `AI_BASE_URL` → that model.
 * `env` holds only the variables of the emulators started here, so the caller's own settings win.
 */
export interface DemoEmulators {
  odoo?: OdooEmulator;
  payer?: PayerEmulator;
  ai?: AiEmulator;
  /** integrations taken from the environment instead of an emulator */
  external: { odoo?: string; payer?: string; ai?: string };
  env: Record<string, string>;
  close(): Promise<void>;
}

const ODOO_LOGIN = 'admin';
const ODOO_API_KEY = 'admin-api-key';

export async function startDemoEmulators(env: NodeJS.ProcessEnv, payerOptions: PayerEmulatorOptions): Promise<DemoEmulators> {
  const set = (name: string) => Boolean(env[name]?.trim());
  const external = {
    ...(set('ODOO_URL') ? { odoo: env.ODOO_URL } : {}),
    ...(set('PAYER_BASE_URL') ? { payer: env.PAYER_BASE_URL } : {}),
    ...(set('AI_BASE_URL') ? { ai: env.AI_BASE_URL } : {}),
  };

  if (!external.odoo && !external.payer && !external.ai) {
    const all = await startAllEmulators({ odoo: { login: ODOO_LOGIN, apiKey: ODOO_API_KEY }, payer: payerOptions });
    return { odoo: all.odoo, payer: all.payer, ai: all.ai, external, env: all.env, close: all.close };
  }

  // Some integrations are real: start only the missing emulators (and close whatever started if one fails).
  const started = await Promise.allSettled([
    external.odoo ? undefined : startOdooEmulator({ login: ODOO_LOGIN, apiKey: ODOO_API_KEY }),
    external.payer ? undefined : startPayerEmulator(payerOptions),
    external.ai ? undefined : startAiEmulator({}),
  ] as const);
  const value = <T>(s: PromiseSettledResult<T>): T | undefined => (s.status === 'fulfilled' ? s.value : undefined);
  const odoo = value(started[0]);
  const payer = value(started[1]);
  const ai = value(started[2]);
  const close = async () => {
    await Promise.allSettled([odoo?.close(), payer?.close(), ai?.close()]);
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return {
    ...(odoo ? { odoo } : {}),
    ...(payer ? { payer } : {}),
    ...(ai ? { ai } : {}),
    external,
    env: {
      ...(odoo ? { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN, ODOO_API_KEY } : {}),
      ...(payer ? { PAYER_BASE_URL: payer.url } : {}),
      ...(ai ? { AI_BASE_URL: ai.url, AI_MODEL: ai.control.modelId } : {}),
    },
    close,
  };
}
