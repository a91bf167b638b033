/**
 * Each command validates the configuration it uses. Commands that only talk to Temporal (rcm status, list, start,
 * deliver, the decisions service) never call Odoo, the payer or the model, so their variables are dropped before the
 * application config is validated: a half-set ODOO_* must not stop `rcm status`.
 */
const INTEGRATION_PREFIXES = ['ODOO_', 'PAYER_', 'AI_'];

export function withoutIntegrationSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !INTEGRATION_PREFIXES.some((p) => k.startsWith(p))));
}
