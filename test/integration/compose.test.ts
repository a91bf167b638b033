import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../src/workflows/searchAttributes';

/**
 * docker-compose.yml validity without a Docker engine (`config` only parses and interpolates), plus the parts of the
 * stack that must stay in step with the code: search attributes, Prometheus targets, and the demo env file.
 */
const ROOT = path.resolve(__dirname, '../..');
const EXPECTED_SERVICES = [
  'postgresql',
  'temporal-schema',
  'temporal',
  'temporal-setup',
  'temporal-ui',
  'codec-server',
  'emulators',
  'worker',
  'ingress',
  'keycloak',
  'decisions',
  'prometheus',
  'otel-collector',
  'jaeger',
  'grafana',
];

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { ok: !r.error && r.status === 0, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** `docker compose` (v2 plugin), else the standalone `docker-compose`, else undefined. */
function composeCommand(): { cmd: string; pre: string[] } | undefined {
  if (run('docker', ['compose', 'version']).ok) return { cmd: 'docker', pre: ['compose'] };
  if (run('docker-compose', ['version']).ok) return { cmd: 'docker-compose', pre: [] };
  return undefined;
}

const compose = composeCommand();
const withCompose = compose ? it : it.skip;
if (!compose) console.warn('compose.test: neither `docker compose` nor `docker-compose` is available; skipping the compose config checks');

describe('docker-compose stack', () => {
  withCompose('docker compose config accepts the file and lists the expected services', () => {
    const { cmd, pre } = compose!;
    const quiet = run(cmd, [...pre, '-f', 'docker-compose.yml', 'config', '--quiet']);
    expect({ status: quiet.status, stderr: quiet.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const services = run(cmd, [...pre, '-f', 'docker-compose.yml', 'config', '--services']);
    expect(services.ok).toBe(true);
    expect(services.stdout.trim().split('\n').sort()).toEqual([...EXPECTED_SERVICES].sort());
  });

  it('registers every search attribute the workflows use, with the right type', () => {
    const script = fs.readFileSync(path.join(ROOT, 'deploy/temporal/setup-namespace.sh'), 'utf8');
    const registered = Object.fromEntries([...script.matchAll(/^register (\w+) (\w+)$/gm)].map((m) => [m[1], m[2]]));
    expect(registered).toEqual(SEARCH_ATTRIBUTE_REGISTRY);
  });

  it('Prometheus scrapes the worker KPIs, the SDK exporter and the server', () => {
    const prom = fs.readFileSync(path.join(ROOT, 'deploy/prometheus.yml'), 'utf8');
    for (const target of ["'worker:9464'", "'worker:9465'", "'temporal:8000'"]) expect(prom).toContain(target);
    const yml = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(yml).toContain('RCM_METRICS_PORT: "9464"');
    expect(yml).toContain('RCM_SDK_METRICS_ADDRESS: 0.0.0.0:9465');
    expect(yml).toContain('PROMETHEUS_ENDPOINT: 0.0.0.0:8000');
    expect(yml).toContain('TEMPORAL_CODEC_ENDPOINT: http://localhost:8888');
  });

  it('the demo env file is a valid configuration with a codec', () => {
    const env = Object.fromEntries(
      fs
        .readFileSync(path.join(ROOT, 'deploy/compose.env'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.trim().startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const config = loadConfig({ ...env, TEMPORAL_ADDRESS: 'temporal:7233', RCM_CODEC_SERVER_HOST: '0.0.0.0' });
    expect(config.codec?.activeKeyId).toBe('demo-2025');
    expect(Object.keys(config.ingress.secrets).sort()).toEqual(['SIMPAYER', 'clearinghouse-sim']);
  });
});
