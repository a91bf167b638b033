import { OdooConfigError, odooConfigFromEnv, parseOdooConfig } from '../../src/activities/odoo/config';

const base = { ODOO_URL: 'https://odoo.example.com/', ODOO_DB: 'prod', ODOO_LOGIN: 'rcm-bot', ODOO_API_KEY: 's3cr3t-key-value' };

describe('Odoo config', () => {
  it('reads the environment with defaults', () => {
    expect(odooConfigFromEnv(base)).toEqual({ url: 'https://odoo.example.com', db: 'prod', login: 'rcm-bot', apiKey: 's3cr3t-key-value', protocol: 'auto', timeoutMs: 15000 });
    expect(odooConfigFromEnv({ ...base, ODOO_PROTOCOL: 'JSON2', ODOO_TIMEOUT_MS: '2500' })).toMatchObject({ protocol: 'json2', timeoutMs: 2500 });
  });

  it('throws one error naming every bad variable, never echoing the key', () => {
    let err: unknown;
    try {
      odooConfigFromEnv({ ODOO_URL: 'not a url', ODOO_API_KEY: '', ODOO_PROTOCOL: 'xmlrpc', ODOO_TIMEOUT_MS: 'soon', ODOO_LOGIN: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OdooConfigError);
    const message = (err as Error).message;
    for (const name of ['ODOO_URL', 'ODOO_DB', 'ODOO_API_KEY', 'ODOO_PROTOCOL', 'ODOO_TIMEOUT_MS']) expect(message).toContain(name);
    expect(message).not.toContain('ODOO_LOGIN');
    expect((err as OdooConfigError).problems).toHaveLength(5);
    expect(() => odooConfigFromEnv({ ...base, ODOO_URL: 'ftp://odoo' })).toThrow(/ODOO_URL/);
  });

  it('does not put the API key in error messages', () => {
    try {
      odooConfigFromEnv({ ...base, ODOO_URL: 'nope' });
      throw new Error('expected failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t');
    }
  });

  it('validates config objects the same way', () => {
    expect(parseOdooConfig({ url: 'http://127.0.0.1:8069', db: 'd', login: 'l', apiKey: 'k', protocol: 'jsonrpc', timeoutMs: 500 }).protocol).toBe('jsonrpc');
    expect(() => parseOdooConfig({ url: 'http://x', db: '', login: 'l', apiKey: 'k', timeoutMs: 5 })).toThrow(/db: .*; timeoutMs/);
  });
});
