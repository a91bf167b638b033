import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, DEFAULT_TASK_QUEUE, distinctTaskQueues, loadConfig, taskQueueForSite } from '../../src/config';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the demo defaults with no environment at all', () => {
    const c = loadConfig({});
    expect(c.demo).toBe(true);
    expect(c.temporal.namespace).toBe('default');
    expect(c.taskQueue).toEqual({ strategy: 'shared', shared: DEFAULT_TASK_QUEUE });
    expect(c.sites).toEqual([
      expect.objectContaining({ id: 'demo', timeZone: 'America/New_York', taskQueue: 'rcm-journeys', codingConfidenceThreshold: 0.8 }),
    ]);
    expect(c.codec).toBeUndefined();
    expect(c.odoo).toBeUndefined();
    expect(c.payer).toBeUndefined();
    expect(c.ai).toBeUndefined();
    expect(c.codecServer.authToken).toBeUndefined();
    expect(c.ingress.secrets).toEqual({});
    expect(c.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(c.logLevel).toBe('info');
    expect(distinctTaskQueues(c)).toEqual(['rcm-journeys']);
  });

  it('reads Temporal settings through envconfig and treats empty strings as unset', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: '10.0.0.5:7233', TEMPORAL_NAMESPACE: 'rcm-prod', RCM_CODEC_KEYS: '', RCM_LOG_LEVEL: '' });
    expect(c.temporal.connectionOptions.address).toBe('10.0.0.5:7233');
    expect(c.temporal.namespace).toBe('rcm-prod');
    expect(c.demo).toBe(false);
    expect(c.codec).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('gives each site its own task queue with the per-site strategy (compact RCM_SITES form)', () => {
    const c = loadConfig({
      RCM_TASK_QUEUE: 'rcm',
      RCM_TASK_QUEUE_STRATEGY: 'per-site',
      RCM_SITES: 'north:America/Chicago, south:America/Los_Angeles@south-queue, east',
      RCM_CODING_CONFIDENCE_THRESHOLD: '0.9',
    });
    expect(c.sites.map((s) => [s.id, s.timeZone, s.taskQueue, s.codingConfidenceThreshold])).toEqual([
      ['north', 'America/Chicago', 'rcm-north', 0.9],
      ['south', 'America/Los_Angeles', 'south-queue', 0.9],
      ['east', 'America/New_York', 'rcm-east', 0.9],
    ]);
    expect(distinctTaskQueues(c)).toEqual(['rcm-north', 'south-queue', 'rcm-east']);
    expect(taskQueueForSite(c, 'south')).toBe('south-queue');
    expect(() => taskQueueForSite(c, 'west')).toThrow(/unknown site "west" \(configured: north, south, east\)/);
  });

  it('accepts sites as JSON with closures, thresholds and approval limit overrides', () => {
    const sites = [
      {
        id: 'clinic-1',
        timeZone: 'America/Denver',
        closures: ['2026-12-24'],
        codingConfidenceThreshold: 0.95,
        approvalLimits: { write_off: { billing_supervisor: 50_000 } },
      },
    ];
    const c = loadConfig({ RCM_SITES: JSON.stringify(sites) });
    expect(c.sites[0]).toEqual({
      id: 'clinic-1',
      timeZone: 'America/Denver',
      closures: ['2026-12-24'],
      holidays: [],
      codingConfidenceThreshold: 0.95,
      approvalLimits: { write_off: { billing_supervisor: 50_000 } },
      taskQueue: 'rcm-journeys',
    });
  });

  it('reads a JSON file (RCM_CONFIG_FILE) and lets the environment win', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-config-'));
    const file = path.join(dir, 'rcm.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        taskQueue: 'from-file',
        taskQueueStrategy: 'per-site',
        sites: [{ id: 'a', timeZone: 'Europe/Berlin' }, { id: 'b' }],
        worker: { maxCachedWorkflows: 300 },
        metrics: { port: 9999 },
        logLevel: 'debug',
      }),
    );
    const c = loadConfig({ RCM_CONFIG_FILE: file, RCM_LOG_LEVEL: 'warn', RCM_MAX_CONCURRENT_ACTIVITIES: '7' });
    expect(distinctTaskQueues(c)).toEqual(['from-file-a', 'from-file-b']);
    expect(c.sites[0].timeZone).toBe('Europe/Berlin');
    expect(c.worker).toEqual({ maxCachedWorkflows: 300, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 7, shutdownGraceTimeMs: 30_000 });
    expect(c.metrics.port).toBe(9999);
    expect(c.logLevel).toBe('warn');
  });

  it('parses codec keys, the active key, the codec server and ingress secrets', () => {
    const c = loadConfig({
      RCM_CODEC_KEYS: `k2024:${KEY_A}, k2025:${KEY_B}`,
      RCM_CODEC_ACTIVE_KEY: 'k2025',
      RCM_CODEC_SERVER_TOKEN: 'a-long-operator-token',
      RCM_CODEC_CORS_ORIGINS: 'https://temporal.example.org',
      RCM_INGRESS_SECRETS: 'payer-a:0123456789abcdef0123, clearinghouse:fedcba9876543210fedc',
      RCM_SDK_METRICS_ADDRESS: '0.0.0.0:9465',
    });
    expect(c.codec?.activeKeyId).toBe('k2025');
    expect(c.codec?.keys.map((k) => [k.id, k.key.length])).toEqual([
      ['k2024', 32],
      ['k2025', 32],
    ]);
    expect(c.codecServer).toEqual(expect.objectContaining({ authToken: 'a-long-operator-token', corsOrigins: ['https://temporal.example.org'] }));
    expect(c.ingress.secrets).toEqual({ 'payer-a': '0123456789abcdef0123', clearinghouse: 'fedcba9876543210fedc' });
    expect(c.metrics.sdkBindAddress).toBe('0.0.0.0:9465');
    // one key: it is the active one
    expect(loadConfig({ RCM_CODEC_KEYS: `only:${KEY_A}` }).codec?.activeKeyId).toBe('only');
  });

  it('builds the payer section with the integration helper when PAYER_* is set', () => {
    const c = loadConfig({ PAYER_BASE_URL: 'http://127.0.0.1:4010/' });
    expect(c.payer?.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it('builds the Odoo section with the integration helper when ODOO_* is set', () => {
    const c = loadConfig({ ODOO_URL: 'http://127.0.0.1:8069', ODOO_DB: 'rcm', ODOO_LOGIN: 'admin', ODOO_API_KEY: 'k' });
    expect(c.odoo).toEqual(expect.objectContaining({ url: 'http://127.0.0.1:8069', db: 'rcm', protocol: 'auto' }));
  });

  it('builds the AI section only for an OpenAI-compatible endpoint (else the baseline classifier)', () => {
    expect(loadConfig({ AI_TIMEOUT_MS: '5000' }).ai).toBeUndefined();
    const c = loadConfig({ AI_BASE_URL: 'http://127.0.0.1:4020/v1/', AI_MODEL: 'coder-small' });
    expect(c.ai).toEqual(expect.objectContaining({ baseUrl: 'http://127.0.0.1:4020/v1', model: 'coder-small', allowPhi: false }));
    expect(configError({ AI_BASE_URL: 'http://127.0.0.1:4020/v1' }).message).toContain('AI_*: invalid AI configuration: AI_BASE_URL and AI_MODEL must be set together');
  });

  it('lists every invalid variable in one error, without echoing secret values', () => {
    const secretKey = Buffer.alloc(16, 7).toString('base64');
    const err = configError({
      RCM_TASK_QUEUE: 'bad queue!',
      RCM_TASK_QUEUE_STRATEGY: 'per-tenant',
      RCM_SITES: 'ok:America/New_York,bad:Mars/Olympus_Mons,ok',
      RCM_CODEC_KEYS: `k1:${secretKey},k1:${KEY_A},nocolon`,
      RCM_CODEC_ACTIVE_KEY: 'k9',
      RCM_CODEC_SERVER_TOKEN: 'short',
      RCM_INGRESS_SECRETS: 'payer:tiny-secret',
      RCM_METRICS_PORT: '70000',
      RCM_LOG_LEVEL: 'chatty',
      RCM_MAX_CACHED_WORKFLOWS: '-1',
      PAYER_BASE_URL: 'not a url',
      ODOO_URL: 'ftp://odoo',
      AI_MODEL: 'm',
    });
    const m = err.message;
    for (const name of [
      'RCM_TASK_QUEUE:',
      'RCM_TASK_QUEUE_STRATEGY:',
      'sites[1] (bad)',
      'duplicate site id "ok"',
      'RCM_CODEC_KEYS[0] (k1): key must be 32 bytes',
      'RCM_CODEC_KEYS[2]',
      'RCM_CODEC_SERVER_TOKEN:',
      'RCM_INGRESS_SECRETS[0] (payer)',
      'RCM_METRICS_PORT:',
      'RCM_LOG_LEVEL:',
      'RCM_MAX_CACHED_WORKFLOWS:',
      'PAYER_*',
      'ODOO_*',
      'AI_*',
    ]) {
      expect(m).toContain(name);
    }
    expect(err.issues.length).toBeGreaterThanOrEqual(14);
    for (const secret of [secretKey, KEY_A, 'short', 'tiny-secret']) expect(m).not.toContain(secret);
  });

  it('reports a missing or malformed config file', () => {
    expect(configError({ RCM_CONFIG_FILE: '/nonexistent/rcm.json' }).message).toMatch(/RCM_CONFIG_FILE \(rcm.json\): cannot read JSON: ENOENT/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-config-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ sites: [{ id: 'x', closures: ['24.12.2026'] }], surprise: true }));
    const m = configError({ RCM_CONFIG_FILE: file }).message;
    expect(m).toContain('sites.0.closures.0: expected YYYY-MM-DD');
    expect(m).toMatch(/Unrecognized key.*surprise/);
  });

  it('requires RCM_CODEC_ACTIVE_KEY when several keys are configured', () => {
    expect(configError({ RCM_CODEC_KEYS: `a:${KEY_A},b:${KEY_B}` }).issues).toEqual([
      'RCM_CODEC_ACTIVE_KEY: required when RCM_CODEC_KEYS holds several keys',
    ]);
  });
});
