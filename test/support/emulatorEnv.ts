/** The environment that points the product's configuration (src/config) at the Odoo and payer emulators. */
export function emulatorEnv(odoo: { url: string; db: string }, payer: { url: string }): Record<string, string> {
  return {
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_LOGIN: 'admin',
    ODOO_API_KEY: 'admin-api-key',
    ODOO_PROTOCOL: 'jsonrpc',
    PAYER_BASE_URL: payer.url,
  };
}
