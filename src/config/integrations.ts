import { aiConfigFromEnv } from '../activities/ai/config';
import { odooConfigFromEnv } from '../activities/odoo/config';

/**
 * Odoo and AI sections, built by the integration modules' own env parsers so each variable is documented and
 * validated in one place. A section is present only when one of its variables is set (`ODOO_*`, `AI_*`); absent
 * sections mean "demo" (the demo passes the emulators' URLs) or, for AI, the local baseline classifier.
 */
export interface IntegrationSections {
  odoo?: ReturnType<typeof odooConfigFromEnv>;
  ai?: ReturnType<typeof aiConfigFromEnv>;
}

export function integrationSections(env: NodeJS.ProcessEnv, issues: string[]): IntegrationSections {
  const set = (prefix: string) => Object.entries(env).some(([k, v]) => k.startsWith(prefix) && typeof v === 'string' && v.trim() !== '');
  const out: IntegrationSections = {};
  if (set('ODOO_')) {
    try {
      out.odoo = odooConfigFromEnv(env);
    } catch (err) {
      issues.push(`ODOO_*: ${(err as Error).message}`);
    }
  }
  if (set('AI_')) {
    try {
      out.ai = aiConfigFromEnv(env);
    } catch (err) {
      issues.push(`AI_*: ${(err as Error).message}`);
    }
  }
  return out;
}
