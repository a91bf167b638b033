/**
 * Run the Odoo emulator standalone (docker-compose, demos, manual poking):
 *   tsx sim/odoo/main.ts
 * Env: ODOO_SIM_PORT (8069), ODOO_SIM_HOST (127.0.0.1), ODOO_SIM_VERSION (17.0|18.0|19.0, default 19.0),
 * ODOO_DB (rcm), ODOO_LOGIN (admin), ODOO_API_KEY (admin-api-key), ODOO_SIM_PERSIST (JSON file, optional).
 * Faults are set at run time with POST /__sim/faults.
 */
import { OdooVersion, startOdooEmulator } from './server';

async function main(): Promise<void> {
  const version = (process.env.ODOO_SIM_VERSION ?? '19.0') as OdooVersion;
  if (!['17.0', '18.0', '19.0'].includes(version)) throw new Error('ODOO_SIM_VERSION must be 17.0, 18.0 or 19.0');
  const emu = await startOdooEmulator({
    port: Number(process.env.ODOO_SIM_PORT ?? 8069),
    host: process.env.ODOO_SIM_HOST ?? '127.0.0.1',
    version,
    db: process.env.ODOO_DB,
    login: process.env.ODOO_LOGIN,
    apiKey: process.env.ODOO_API_KEY,
    persistFile: process.env.ODOO_SIM_PERSIST || undefined,
  });
  process.stdout.write(`Odoo ${version} emulator on ${emu.url} (db ${emu.db})\n`);
  const stop = () => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
