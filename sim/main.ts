/**
 * `npm run sim`: start the Odoo, payer and AI emulators and print their URLs (and the env that points a worker at
 * them) as one JSON object on stdout; stop cleanly on SIGINT/SIGTERM.
 *
 * Ports: SIM_ODOO_PORT, SIM_PAYER_PORT, SIM_AI_PORT (default: free ports); SIM_HOST (default 127.0.0.1).
 * Payer: SIM_PAYER_DECISION_WEBHOOK_URL + SIM_PAYER_WEBHOOK_SECRET (signed prior-auth decisions),
 * SIM_PAYER_REMITTANCE_WEBHOOK_URL (signed 835 delivery, same secret), SIM_PAYER_DECISION_DELAY_MS (default 5000),
 * SIM_PAYER_ADJUDICATION_DELAY_MS (default 3000; "off" for manual adjudication only), SIM_SEED.
 */
import { startAllEmulators } from './index';

function port(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${name} must be a port number`);
  return n;
}

function ms(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'off') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be milliseconds or "off"`);
  return n;
}

async function main(): Promise<void> {
  const host = process.env.SIM_HOST || undefined;
  const secret = process.env.SIM_PAYER_WEBHOOK_SECRET ?? '';
  const webhook = (name: string) => {
    const url = process.env[name];
    if (!url) return undefined;
    if (!secret) throw new Error(`${name} needs SIM_PAYER_WEBHOOK_SECRET to sign deliveries`);
    return { url, secret };
  };
  const sims = await startAllEmulators({
    ...(host ? { host } : {}),
    odoo: { port: port('SIM_ODOO_PORT') },
    payer: {
      port: port('SIM_PAYER_PORT'),
      seed: Number(process.env.SIM_SEED ?? 1),
      decisionWebhook: webhook('SIM_PAYER_DECISION_WEBHOOK_URL'),
      remittanceWebhook: webhook('SIM_PAYER_REMITTANCE_WEBHOOK_URL'),
      decisionDelayMs: ms('SIM_PAYER_DECISION_DELAY_MS', 5000),
      adjudicationDelayMs: ms('SIM_PAYER_ADJUDICATION_DELAY_MS', 3000),
    },
    ai: { port: port('SIM_AI_PORT') },
  });
  process.stdout.write(`${JSON.stringify({ odooUrl: sims.odooUrl, payerUrl: sims.payerUrl, aiUrl: sims.aiUrl, env: sims.env }, null, 2)}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping emulators\n`);
    sims.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`sim failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
