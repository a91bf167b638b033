import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../src/client/codec';
import { startCodecServer, toJsonPayload, type RunningCodecServer } from '../../src/client/codecServer';
import type { AppConfig } from '../../src/config';

const UI_ORIGIN = 'http://localhost:8233';
const TOKEN = 'operator-token-0123456789';
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

function serverConfig(keys: typeof k1[], activeKeyId: string, authToken?: string): Pick<AppConfig, 'codec' | 'codecServer'> {
  return {
    codec: { keys, activeKeyId },
    codecServer: { host: '127.0.0.1', port: 0, authToken, corsOrigins: [UI_ORIGIN], namespaces: ['default'] },
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

const wire = (value: unknown) => toJsonPayload(defaultPayloadConverter.toPayload(value));
const fromWire = (p: { metadata: Record<string, string>; data: string }) =>
  defaultPayloadConverter.fromPayload({
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  });

describe('codec server (HTTP)', () => {
  const servers: RunningCodecServer[] = [];
  const start = async (...args: Parameters<typeof serverConfig>) => {
    const s = await startCodecServer(serverConfig(...args), { port: 0 });
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('round-trips: /encode then /decode returns the original payloads', async () => {
    const s = await start([k1], 'k1', TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const original = [wire({ patientRef: 'P-1', note: 'PHI-MARKER' }), wire(42)];
    const enc = await post(`${s.url}/encode`, { payloads: original }, auth);
    expect(enc.status).toBe(200);
    expect(enc.json.payloads).toHaveLength(2);
    for (const p of enc.json.payloads) {
      expect(Buffer.from(p.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
      expect(Buffer.from(p.metadata['encryption-key-id'], 'base64').toString()).toBe('k1');
      expect(Buffer.from(p.data, 'base64').toString('latin1')).not.toContain('PHI-MARKER');
    }
    const dec = await post(`${s.url}/decode`, { payloads: enc.json.payloads }, auth);
    expect(dec.status).toBe(200);
    expect(dec.json.payloads).toEqual(original);
    expect(fromWire(dec.json.payloads[0])).toEqual({ patientRef: 'P-1', note: 'PHI-MARKER' });
  });

  it('requires the bearer token when one is configured (401 otherwise)', async () => {
    const s = await start([k1], 'k1', TOKEN);
    const [sealed] = await new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' }).encode([defaultPayloadConverter.toPayload('secret')]);
    const body = { payloads: [toJsonPayload(sealed)] };
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const res = await post(`${s.url}/decode`, body, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(JSON.stringify(res.json)).not.toContain('secret');
    }
    expect((await post(`${s.url}/encode`, body, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post(`${s.url}/decode`, body, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('answers the Temporal UI CORS preflight for its origin only', async () => {
    const s = await start([k1], 'k1', TOKEN);
    const preflight = (origin: string) =>
      fetch(`${s.url}/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace,authorization' },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.status).toBeLessThan(300);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase().split(',').map((h) => h.trim())).toEqual(
      expect.arrayContaining(['content-type', 'x-namespace', 'authorization']),
    );
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // the actual request from the UI origin carries the CORS header too
    const res = await post(`${s.url}/encode`, { payloads: [wire(1)] }, { origin: UI_ORIGIN, authorization: `Bearer ${TOKEN}` });
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('after rotation still decodes payloads sealed with the old key; an unknown key is a clear 422', async () => {
    const before = await start([k1], 'k1');
    const sealedOld = (await post(`${before.url}/encode`, { payloads: [wire('old')] })).json.payloads;
    const after = await start([k1, k2], 'k2');
    const sealedNew = (await post(`${after.url}/encode`, { payloads: [wire('new')] })).json.payloads;
    expect(Buffer.from(sealedNew[0].metadata['encryption-key-id'], 'base64').toString()).toBe('k2');
    const dec = await post(`${after.url}/decode`, { payloads: [...sealedOld, ...sealedNew] });
    expect(dec.json.payloads.map(fromWire)).toEqual(['old', 'new']);
    const unknown = await post(`${before.url}/decode`, { payloads: sealedNew });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error).toContain('key "k2", which is not configured');
  });

  it('rejects malformed bodies and namespaces it does not serve', async () => {
    const s = await start([k1], 'k1');
    expect((await post(`${s.url}/decode`, { nope: true })).status).toBe(400);
    expect((await post(`${s.url}/decode`, { payloads: [{ metadata: { encoding: '!!' }, data: '' }] })).status).toBe(400);
    expect((await post(`${s.url}/decode`, { payloads: [] }, { 'x-namespace': 'other' })).status).toBe(403);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('runs as its own process (tsx src/client/codecServer.ts) and stops on SIGTERM', async () => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/client/codecServer.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, RCM_CODEC_KEYS: `k1:${k1.key.toString('base64')}`, RCM_CODEC_SERVER_PORT: '0', RCM_CODEC_SERVER_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const line = out.split('\n').find((l) => l.includes('codec server listening'));
          if (line) resolve(JSON.parse(line).url);
        });
        void exited.then((code) => reject(new Error(`codec server exited ${code}`)));
      });
      const [sealed] = await new EncryptionCodec({ keys: [k1], activeKeyId: 'k1' }).encode([defaultPayloadConverter.toPayload('from the process')]);
      const dec = await post(`${url}/decode`, { payloads: [toJsonPayload(sealed)] }, { authorization: `Bearer ${TOKEN}` });
      expect(dec.json.payloads.map(fromWire)).toEqual(['from the process']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
