import { createAiActivities, createBaselineClassifier, createOpenAiCompatibleClassifier } from '../activities/ai';
import { createNotifyActivities, type KpiSink } from '../activities/notify';
import { createOdooActivities, createOdooClient, createOdooReconciliationActivities } from '../activities/odoo';
import { createPayerActivities, createPayerClient, createPayerReconciliationActivities } from '../activities/payer';
import { ConfigError, type AppConfig } from '../config';

/**
 * Compose every integration's activities into the one object a journey worker registers. Activity names are
 * unique across integrations, so a spread is enough (asserted below so a future clash fails loudly at start-up).
 */
export interface ActivitySinks {
  kpi: KpiSink;
  log: (entry: Record<string, unknown>) => void;
}

export function buildActivities(config: AppConfig, sinks: ActivitySinks) {
  const missing: string[] = [];
  if (!config.odoo) missing.push('ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY: Odoo is not configured (npm start runs the emulator)');
  if (!config.payer) missing.push('PAYER_BASE_URL: the payer API is not configured (npm start runs the emulator)');
  if (!config.odoo || !config.payer) throw new ConfigError(missing);

  const odooClient = createOdooClient(config.odoo);
  const payerClient = createPayerClient(config.payer);
  // Reconciliation reads (aggregates and parsed totals only) ride with their integration.
  const odoo = { ...createOdooActivities(odooClient), ...createOdooReconciliationActivities(odooClient) };
  const payer = { ...createPayerActivities(payerClient), ...createPayerReconciliationActivities(payerClient) };
  const classifier = config.ai ? createOpenAiCompatibleClassifier(config.ai) : createBaselineClassifier();
  const thresholds = Object.fromEntries(config.sites.map((s) => [s.id, s.codingConfidenceThreshold]));
  const defaultThreshold = config.sites[0]?.codingConfidenceThreshold ?? 0.8;
  const ai = createAiActivities(classifier, { thresholds, defaultThreshold });
  const notify = createNotifyActivities({ kpi: sinks.kpi, log: sinks.log });

  const parts = { odoo, payer, ai, notify } as Record<string, object>;
  const seen = new Map<string, string>();
  for (const [part, acts] of Object.entries(parts)) {
    for (const name of Object.keys(acts)) {
      const other = seen.get(name);
      if (other) throw new Error(`activity name "${name}" is defined by both ${other} and ${part}`);
      seen.set(name, part);
    }
  }
  return { ...odoo, ...payer, ...ai, ...notify };
}

export type JourneyActivities = ReturnType<typeof buildActivities>;
