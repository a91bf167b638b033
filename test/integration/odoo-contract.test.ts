/**
 * Contract tests of the Odoo client against the emulator over real HTTP, for both protocols: data
 * shapes, protocol probing and the mapping of every Odoo error class to a typed ApplicationFailure.
 */
import axios from 'axios';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OdooEmulator, startOdooEmulator } from '../../sim/odoo';
import { FailureType } from '../../src/activities/errors';
import { OdooClient, createOdooClient } from '../../src/activities/odoo';
import { failureOf } from '../support/failures';

const clients: OdooClient[] = [];
function client(emu: OdooEmulator, over: Partial<{ protocol: 'auto' | 'jsonrpc' | 'json2'; apiKey: string; login: string; timeoutMs: number }> = {}): OdooClient {
  const c = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol: 'auto', timeoutMs: 3000, ...over });
  clients.push(c);
  return c;
}


let v17: OdooEmulator;
let v18: OdooEmulator;
let v19: OdooEmulator;

beforeAll(async () => {
  [v17, v18, v19] = await Promise.all([startOdooEmulator({ version: '17.0' }), startOdooEmulator({ version: '18.0' }), startOdooEmulator({ version: '19.0' })]);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([v17?.close(), v18?.close(), v19?.close()]);
});

afterEach(() => {
  for (const emu of [v17, v18, v19]) emu?.faults.clear();
});

describe('protocol probing', () => {
  it('auto picks json2 for Odoo 19 and jsonrpc for 17 and 18', async () => {
    expect(await client(v19).protocol()).toBe('json2');
    expect(await client(v17).protocol()).toBe('jsonrpc');
    expect(await client(v18).protocol()).toBe('jsonrpc');
    expect((await client(v19).version()).major).toBe(19);
    expect((await client(v17).version()).serverVersion).toBe('17.0');
  });

  it('honours an explicit protocol and really uses it on the wire', async () => {
    const before = v19.stats().requests;
    const c = client(v19, { protocol: 'jsonrpc' });
    expect(await c.protocol()).toBe('jsonrpc');
    await c.search('res.partner', []);
    const after = v19.stats().requests;
    expect(after.jsonrpc - before.jsonrpc).toBe(2); // login + execute_kw
    expect(after.json2).toBe(before.json2);
  });

  it('json2 against an Odoo 17 is a NotFound (the endpoint does not exist there)', async () => {
    const f = await failureOf(client(v17, { protocol: 'json2' }).search('res.partner', []));
    expect(f.type).toBe(FailureType.NotFound);
    expect(f.nonRetryable).toBe(true);
  });
});

// Each protocol against the version that speaks it natively, plus legacy JSON-RPC on 19.
const PROTOCOLS = [
  ['jsonrpc', () => v17],
  ['json2', () => v19],
  ['jsonrpc on 19', () => v19],
] as const;

describe.each(PROTOCOLS)('client over %s', (label, emu) => {
  const protocol = label.startsWith('json2') ? 'json2' : 'jsonrpc';
  const c = () => client(emu(), { protocol });

  it('creates, reads (many2one as [id, name]), searches with domains, writes and unlinks', async () => {
    const cl = c();
    const partnerId = await cl.create('res.partner', { name: `Patient CT-${label}`, ref: `CT-${protocol}-${Date.now()}` });
    const invoiceId = await cl.create('account.move', {
      move_type: 'out_invoice',
      partner_id: partnerId,
      ref: `CLM-${label}`,
      invoice_line_ids: [[0, 0, { name: '99213 Office visit', quantity: 2, price_unit: 60.25 }]],
    });
    const [inv] = await cl.read<any>('account.move', [invoiceId], ['partner_id', 'amount_total', 'state', 'invoice_line_ids', 'payment_state']);
    expect(inv).toMatchObject({ id: invoiceId, partner_id: [partnerId, `Patient CT-${label}`], amount_total: 120.5, state: 'draft', payment_state: 'not_paid' });
    expect(inv.invoice_line_ids).toHaveLength(1);
    const [meta] = await cl.read<any>('res.partner', [partnerId], ['create_uid', 'create_date', 'write_date']);
    expect(meta).toMatchObject({ create_uid: [2, 'Administrator'], create_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/), write_date: false });
    const found = await cl.searchRead<any>('account.move', ['|', ['ref', '=', `CLM-${label}`], ['ref', '=', 'nope'], ['state', 'in', ['draft', 'posted']]], { fields: ['ref'] });
    expect(found.map((r) => r.id)).toEqual([invoiceId]);
    expect(await cl.searchCount('account.move', [['ref', '=like', `CLM-${label.split(' ')[0]}%`]])).toBeGreaterThanOrEqual(1);
    expect(await cl.write('res.partner', [partnerId], { phone: '555-0100' })).toBe(true);
    const tmp = await cl.create('res.partner', { name: 'Temp' });
    expect(await cl.unlink('res.partner', [tmp])).toBe(true);
    expect(await cl.search('res.partner', [['id', '=', tmp]])).toEqual([]);
    // archived records are hidden unless active_test is off
    await cl.write('res.partner', [partnerId], { active: false });
    expect(await cl.search('res.partner', [['id', '=', partnerId]])).toEqual([]);
    expect(await cl.search('res.partner', [['id', '=', partnerId]], { context: { active_test: false } })).toEqual([partnerId]);
  });

  it('AccessError (read-only user creating) → AccessError, non-retryable', async () => {
    const ro = client(emu(), { protocol, login: 'readonly', apiKey: 'readonly-api-key' });
    expect(Array.isArray(await ro.search('res.partner', []))).toBe(true); // reading is allowed
    const f = await failureOf(ro.create('res.partner', { name: 'x' }));
    expect(f.type).toBe(FailureType.Access);
    expect(f.nonRetryable).toBe(true);
  });

  it('bad API key → AuthenticationError, non-retryable', async () => {
    const f = await failureOf(client(emu(), { protocol, apiKey: 'wrong-key' }).search('res.partner', []));
    expect(f.type).toBe(FailureType.Authentication);
    expect(f.nonRetryable).toBe(true);
  });

  it('ValidationError (invoice for an unknown partner) → ValidationError, non-retryable', async () => {
    const f = await failureOf(c().create('account.move', { move_type: 'out_invoice', partner_id: 999_999 }));
    expect(f.type).toBe(FailureType.Validation);
    expect(f.nonRetryable).toBe(true);
    expect((f.details?.[0] as any).odooError).toBe('odoo.exceptions.ValidationError');
  });

  it('UserError (posting an invoice without lines) → ValidationError, non-retryable', async () => {
    const cl = c();
    const partnerId = await cl.create('res.partner', { name: 'P' });
    const id = await cl.create('account.move', { move_type: 'out_invoice', partner_id: partnerId });
    const f = await failureOf(cl.call('account.move', 'action_post', { ids: [id] }));
    expect(f.type).toBe(FailureType.Validation);
    expect(f.nonRetryable).toBe(true);
    expect((f.details?.[0] as any).odooError).toBe('odoo.exceptions.UserError');
    expect(f.message).not.toMatch(/line/); // the Odoo message stays out of the failure message
  });

  it('UserError (editing lines of a posted invoice) → ValidationError', async () => {
    const cl = c();
    const partnerId = await cl.create('res.partner', { name: 'P' });
    const id = await cl.create('account.move', { move_type: 'out_invoice', partner_id: partnerId, invoice_line_ids: [[0, 0, { name: 'x', price_unit: 10 }]] });
    await cl.call('account.move', 'action_post', { ids: [id] });
    const f = await failureOf(cl.write('account.move', [id], { invoice_line_ids: [[0, 0, { name: 'y', price_unit: 1 }]] }));
    expect(f.type).toBe(FailureType.Validation);
    expect(await cl.write('account.move', [id], { ref: 'still-editable' })).toBe(true);
  });

  it('MissingError (reading a deleted id) → NotFoundError, non-retryable', async () => {
    const f = await failureOf(c().read('res.partner', [987_654], ['name']));
    expect(f.type).toBe(FailureType.NotFound);
    expect(f.nonRetryable).toBe(true);
  });

  it('unknown model / method / field are permanent failures', async () => {
    const cl = c();
    const model = await failureOf(cl.search('no.such.model', []));
    const method = await failureOf(cl.call('res.partner', 'no_such_method', { ids: [1] }));
    const field = await failureOf(cl.searchRead('res.partner', [['no_such_field', '=', 1]]));
    const priv = await failureOf(cl.call('res.partner', '_private', { ids: [1] }));
    for (const f of [model, method, field]) expect(f.nonRetryable).toBe(true);
    // JSON-RPC reports an unknown model as UserError; JSON-2 as HTTP 404.
    expect(model.type).toBe(protocol === 'json2' ? FailureType.NotFound : FailureType.Validation);
    expect(method.type).toBe(protocol === 'json2' ? FailureType.NotFound : FailureType.Validation);
    expect(field.type).toBe(FailureType.Validation);
    expect(priv.type).toBe(FailureType.Access);
  });

  it('concurrency (serialization failure / 409) → ConflictError, retryable', async () => {
    emu().faults.set({ conflictRate: 1, match: { model: 'res.partner' } });
    const f = await failureOf(c().search('res.partner', []));
    expect(f.type).toBe(FailureType.Conflict);
    expect(f.nonRetryable).toBe(false);
    expect((f.details?.[0] as any).odooError).toBe('psycopg2.errors.SerializationFailure');
  });

  it('5xx (proxy 502/503 and Odoo internal errors) → UpstreamUnavailableError, retryable', async () => {
    const cl = c();
    await cl.protocol(); // probe before the faults start
    if (protocol === 'jsonrpc') await cl.uid();
    emu().faults.set({ errorRate5xx: 1, seed: 3 });
    const statuses = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const f = await failureOf(cl.search('res.partner', []));
      expect(f.type).toBe(FailureType.Unavailable);
      expect(f.nonRetryable).toBe(false);
      statuses.add((f.details?.[0] as any)?.status ?? 0);
    }
    expect(statuses.size).toBeGreaterThan(1); // both variants were exercised
  });

  it('connection reset → retryable network failure', async () => {
    const cl = c();
    await cl.protocol();
    if (protocol === 'jsonrpc') await cl.uid();
    emu().faults.set({ resetRate: 1 });
    const f = await failureOf(cl.search('res.partner', []));
    expect(f.type).toBe(FailureType.Unavailable);
    expect(f.nonRetryable).toBe(false);
  });

  it('timeout → UpstreamTimeoutError, retryable', async () => {
    const cl = client(emu(), { protocol, timeoutMs: 300 });
    await cl.protocol();
    if (protocol === 'jsonrpc') await cl.uid();
    emu().faults.set({ latencyMs: 1000 });
    const f = await failureOf(cl.search('res.partner', []));
    expect(f.type).toBe(FailureType.Timeout);
    expect(f.nonRetryable).toBe(false);
  });

  it('timeout after commit: the write happened although the client saw a timeout', async () => {
    const cl = client(emu(), { protocol, timeoutMs: 400 });
    const ref = `AFTER-COMMIT-${label}`;
    emu().faults.set({ afterCommitTimeoutRate: 1, match: { model: 'res.partner', method: 'create' } });
    const f = await failureOf(cl.create('res.partner', { name: 'x', ref }));
    expect(f.type).toBe(FailureType.Timeout);
    expect(emu().store.count('res.partner', [['ref', '=', ref]])).toBe(1);
  });
});

describe('JSON-RPC specifics', () => {
  it('execute_kw with a revoked key → AccessDenied → AuthenticationError; login is retried after rotation', async () => {
    const emu = await startOdooEmulator({ version: '17.0' });
    try {
      const cl = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol: 'jsonrpc' });
      clients.push(cl);
      await cl.search('res.partner', []);
      emu.setApiKey('admin', 'rotated');
      const f = await failureOf(cl.search('res.partner', []));
      expect(f.type).toBe(FailureType.Authentication);
      expect(f.nonRetryable).toBe(true);
      expect((f.details?.[0] as any).odooError).toBe('odoo.exceptions.AccessDenied');
    } finally {
      await emu.close();
    }
  });

  it('errors have Odoo’s JSON-RPC shape with HTTP 200', async () => {
    const res = await axios.post(`${v17.url}/jsonrpc`, {
      jsonrpc: '2.0',
      method: 'call',
      params: { service: 'object', method: 'execute_kw', args: [v17.db, 2, 'admin-api-key', 'res.partner', 'read', [[424242]], { fields: ['name'] }] },
      id: 77,
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      jsonrpc: '2.0',
      id: 77,
      error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.MissingError', arguments: [expect.any(String)], context: {} } },
    });
    expect(typeof res.data.error.data.debug).toBe('string');
    const login = await axios.post(`${v17.url}/jsonrpc`, { jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'login', args: [v17.db, 'admin', 'bad'] }, id: 1 });
    expect(login.data.result).toBe(false);
  });
});

describe('JSON-2 specifics', () => {
  it('errors have Odoo 19’s JSON-2 shape and statuses', async () => {
    const post = (path: string, body: unknown, key = 'admin-api-key') =>
      axios.post(`${v19.url}${path}`, body, { headers: { Authorization: `bearer ${key}`, 'X-Odoo-Database': v19.db }, validateStatus: () => true });
    const unauth = await post('/json/2/res.partner/search', { domain: [] }, 'nope');
    expect(unauth.status).toBe(401);
    expect(unauth.data).toMatchObject({ name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401], context: {} });
    const missing = await post('/json/2/res.partner/read', { ids: [31337], fields: ['name'] });
    expect(missing.status).toBe(404);
    expect(missing.data.name).toBe('odoo.exceptions.MissingError');
    const badArgs = await post('/json/2/res.partner/write', { ids: [1] });
    expect(badArgs.status).toBe(422);
    const ok = await post('/json/2/res.partner/create', { vals_list: [{ name: 'A' }, { name: 'B' }] });
    expect(ok.status).toBe(200);
    expect(ok.data).toHaveLength(2);
    const wrongDb = await axios.post(`${v19.url}/json/2/res.partner/search`, { domain: [] }, { headers: { Authorization: 'bearer admin-api-key', 'X-Odoo-Database': 'other' }, validateStatus: () => true });
    expect(wrongDb.status).toBe(404);
  });
});

describe('emulator control over HTTP and persistence', () => {
  it('sets faults, reports stats and resets over HTTP', async () => {
    const emu = await startOdooEmulator({ version: '19.0' });
    try {
      const set = await axios.post(`${emu.url}/__sim/faults`, { conflictRate: 1, seed: 9 });
      expect(set.data).toMatchObject({ conflictRate: 1, seed: 9 });
      const cl = createOdooClient({ url: emu.url, db: emu.db, login: 'admin', apiKey: 'admin-api-key', protocol: 'json2' });
      clients.push(cl);
      expect((await failureOf(cl.search('res.partner', []))).type).toBe(FailureType.Conflict);
      await axios.post(`${emu.url}/__sim/faults`, { clear: true });
      await cl.create('res.partner', { name: 'n' });
      const stats = (await axios.get(`${emu.url}/__sim/stats`)).data;
      expect(stats.faults.conflict).toBe(1);
      expect(stats.requests.json2).toBe(2);
      expect(stats.records['res.partner']).toBe(emu.store.counts()['res.partner']);
      const bad = await axios.post(`${emu.url}/__sim/faults`, { resetRate: 7 }, { validateStatus: () => true });
      expect(bad.status).toBe(400);
      const partnersBefore = emu.store.count('res.partner');
      await axios.post(`${emu.url}/__sim/reset`, {});
      expect(emu.store.count('res.partner')).toBe(partnersBefore - 1);
      expect(emu.stats().requests.total).toBe(0);
    } finally {
      await emu.close();
    }
  });

  it('persists the store to a JSON file and reloads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-emu-'));
    const persistFile = join(dir, 'store.json');
    try {
      const first = await startOdooEmulator({ version: '17.0', persistFile });
      const cl = createOdooClient({ url: first.url, db: first.db, login: 'admin', apiKey: 'admin-api-key' });
      const id = await cl.create('res.partner', { name: 'Persisted', ref: 'PERSIST-1' });
      cl.close();
      await first.close();
      const second = await startOdooEmulator({ version: '17.0', persistFile });
      try {
        expect(second.store.get('res.partner', id)).toMatchObject({ name: 'Persisted', ref: 'PERSIST-1' });
        // a failed request rolls back completely and does not reach the file
        const cl2 = createOdooClient({ url: second.url, db: second.db, login: 'admin', apiKey: 'admin-api-key' });
        clients.push(cl2);
        const before = second.store.counts();
        await failureOf(cl2.create('account.move', { move_type: 'out_invoice', partner_id: id, invoice_line_ids: [[0, 0, { name: 'x', price_unit: 'NaN' }]] }));
        expect(second.store.counts()).toEqual(before);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
