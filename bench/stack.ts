import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { discardKpis } from './discardKpis';
import { loadConfig, type AppConfig } from '../src/config';
import { buildActivities } from '../src/workers/buildActivities';
import { startOdooEmulator, startPayerEmulator, type OdooEmulator, type PayerEmulator } from '../sim';

/**
 * What every bench metric shares: the emulators over real HTTP, the product's activity composition pointed at them
 * (as the worker runs it), and the two workflow bundles built once — the product's and the bench baselines'.
 */
export interface BenchStack {
  odoo: OdooEmulator;
  payer: PayerEmulator;
  /** the variables that point a worker process (bench/parkedWorker.ts) at the emulators */
  env: Record<string, string>;
  config: AppConfig;
  activities: ReturnType<typeof buildActivities>;
  productBundlePath: string;
  baselineBundlePath: string;
  close(): Promise<void>;
}

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, log: noop, warn: noop, error: console.error };

export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* already installed */
  }
}

/** Both bundles as files (the RSS worker process and replay load them by path); a prebuilt product bundle is reused. */
export async function buildBundles(prebuiltProduct?: string): Promise<{ productBundlePath: string; baselineBundlePath: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-bench-bundles-'));
  const write = async (name: string, workflowsPath: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, (await bundleWorkflowCode({ workflowsPath, logger: quiet })).code);
    return file;
  };
  const [productBundlePath, baselineBundlePath] = await Promise.all([
    prebuiltProduct ?? write('product.js', require.resolve('../src/workflows')),
    write('baseline.js', require.resolve('./workflows')),
  ]);
  return { productBundlePath, baselineBundlePath };
}

export function emulatorEnv(odoo: OdooEmulator, payer: PayerEmulator): Record<string, string> {
  return { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_LOGIN: 'admin', ODOO_API_KEY: 'admin-api-key', ODOO_PROTOCOL: 'jsonrpc', PAYER_BASE_URL: payer.url, RCM_LOG_LEVEL: 'error' };
}

export async function startBenchStack(opts: { productBundlePath?: string } = {}): Promise<BenchStack> {
  quietRuntime();
  const [odoo, payer, bundles] = await Promise.all([startOdooEmulator({ version: '17.0' }), startPayerEmulator({ seed: 7 }), buildBundles(opts.productBundlePath)]);
  const env = emulatorEnv(odoo, payer);
  const config = loadConfig(env, {});
  const activities = buildActivities(config, { kpi: discardKpis, log: noop });
  return {
    odoo,
    payer,
    env,
    config,
    activities,
    ...bundles,
    async close() {
      await Promise.allSettled([odoo.close(), payer.close()]);
    },
  };
}
