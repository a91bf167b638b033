/**
 * The Helm chart (deploy/helm/referral-journeys) without a cluster: `helm lint --strict` and `helm template` with
 * the pinned helm, in three configurations (default self-hosted, multi-site, Temporal Cloud) plus the Cloud API-key
 * variant; every object validated against the Kubernetes / KEDA / prometheus-operator schemas and type-checked
 * against their interfaces; and the rendered environment fed to the product's own config loader, so the chart and
 * src/config cannot drift apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { distinctTaskQueues, loadConfig } from '../../src/config';
import { temporalTarget, workerDeploymentFromEnv } from '../../src/config/temporal';
import { WORKFLOW_VERSIONING } from '../../src/workers/versioning';
import { byKind, containerEnv, EXAMPLES, find, ROOT, render, runHelm, typecheck, validateSchemas, wiredVariables, type K8sObject, CHART } from './helm-support/chart';

const CONFIGS: Record<string, string[]> = {
  default: [],
  multisite: ['-f', path.join(EXAMPLES, 'values-multisite.yaml')],
  cloud: ['-f', path.join(EXAMPLES, 'values-cloud.yaml')],
  // Temporal Cloud with an API key instead of mTLS, no TOML profile (env only).
  cloudApiKey: [
    '-f',
    path.join(EXAMPLES, 'values-cloud.yaml'),
    '--set',
    'temporal.tls.clientCertSecret=,temporal.profile.enabled=false,temporal.address=us-east-1.aws.api.temporal.io:7233',
  ],
};

/** Values only a Secret may hold. */
const SECRET_KEYS = ['TEMPORAL_API_KEY', 'RCM_CODEC_KEYS', 'RCM_CODEC_SERVER_TOKEN', 'RCM_INGRESS_SECRETS', 'ODOO_API_KEY', 'PAYER_API_KEY', 'AI_API_KEY'];

/** What an operator's existing Secret (values-cloud.yaml `existingSecret: rcm-secrets`) would hold. */
const EXISTING_SECRET = { TEMPORAL_API_KEY: 'cloud-api-key-for-test', RCM_CODEC_KEYS: `k2026:${Buffer.alloc(32, 7).toString('base64')}`, ODOO_API_KEY: 'odoo-key' };

const rendered: Record<string, K8sObject[]> = {};
let typeProblems: Record<string, string[]> | undefined;
const workers = (objs: K8sObject[]) => byKind(objs, 'Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'worker');

beforeAll(() => {
  for (const [name, args] of Object.entries(CONFIGS)) rendered[name] = render(args);
}, 600_000); // the first run on a fresh machine may build helm (go install, a few minutes)

describe.each(Object.keys(CONFIGS))('the chart with the %s values', (config) => {
  it('passes helm lint --strict', () => {
    const r = runHelm(['lint', '--strict', CHART, ...CONFIGS[config]]);
    expect(`${r.stdout}${r.stderr}`).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(r.status).toBe(0);
  });

  it('renders only objects that validate against their Kubernetes / KEDA / prometheus-operator schemas', () => {
    const results = validateSchemas(rendered[config]);
    expect(results).toHaveLength(rendered[config].length);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('renders no field the API types do not know (type-checked against kubernetes-models)', () => {
    typeProblems ??= typecheck(rendered);
    expect(typeProblems[config]).toEqual([]);
    expect(typeProblems['(imports)'] ?? []).toEqual([]);
  });

  it('keeps every secret in a Secret: none in a ConfigMap, none as a plain env value', () => {
    const objs = rendered[config];
    for (const cm of byKind(objs, 'ConfigMap')) for (const k of SECRET_KEYS) expect(Object.keys(cm.data ?? {})).not.toContain(k);
    for (const d of byKind(objs, 'Deployment')) {
      for (const c of d.spec.template.spec.containers) {
        for (const e of c.env ?? []) if (SECRET_KEYS.includes(e.name)) expect(e.valueFrom?.secretKeyRef).toBeDefined();
        expect((c.envFrom ?? []).some((f: any) => f.secretRef)).toBe(false);
      }
    }
    // The placeholder secret values of the example never leave the Secret.
    const secretValues = byKind(objs, 'Secret').flatMap((s) => Object.values(s.stringData ?? {}) as string[]);
    const elsewhere = JSON.stringify(objs.filter((o) => o.kind !== 'Secret'));
    for (const v of secretValues) expect(elsewhere).not.toContain(v);
  });

  it('gives every Deployment probes on the health endpoints, resources, a PDB and a graceful stop', () => {
    const objs = rendered[config];
    const pdbs = byKind(objs, 'PodDisruptionBudget');
    for (const d of byKind(objs, 'Deployment')) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe(d.metadata.labels?.['app.kubernetes.io/component'] === 'worker' ? '/readyz' : '/healthz');
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(pdbs.some((p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(d.spec.selector.matchLabels))).toBe(true);
      const env = containerEnv(objs, c, EXISTING_SECRET);
      if (env.RCM_SHUTDOWN_GRACE_MS) expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(env.RCM_SHUTDOWN_GRACE_MS));
    }
  });

  it('hands every component an environment the product accepts, workers a deployment version and the queues KEDA watches', () => {
    const objs = rendered[config];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-chart-'));
    const files = find(objs, 'ConfigMap', 'rcm-referral-journeys-files').data as Record<string, string>;
    fs.writeFileSync(path.join(dir, 'config.json'), files['config.json']);
    for (const d of byKind(objs, 'Deployment')) {
      const env = containerEnv(objs, d.spec.template.spec.containers[0], EXISTING_SECRET);
      env.RCM_CONFIG_FILE = path.join(dir, 'config.json');
      delete env.TEMPORAL_CONFIG_FILE; // the TOML profile is checked in its own test below
      delete env.TEMPORAL_PROFILE;
      const appConfig = loadConfig(env);
      if (d.metadata.labels?.['app.kubernetes.io/component'] !== 'worker') continue;
      const version = workerDeploymentFromEnv(env);
      expect(version).toEqual({ deploymentName: d.metadata.annotations?.['rcm/temporal-worker-deployment'], buildId: d.metadata.annotations?.['rcm/build-id'], defaultVersioningBehavior: 'PINNED' });
      expect(distinctTaskQueues(appConfig).join(',')).toBe(d.metadata.annotations?.['rcm/task-queues']);
      const scaled = find(objs, 'ScaledObject', d.metadata.name);
      expect(scaled.spec.scaleTargetRef.name).toBe(d.metadata.name);
      expect(scaled.spec.triggers.map((t: any) => t.metadata.taskQueue)).toEqual(distinctTaskQueues(appConfig));
      for (const t of scaled.spec.triggers) {
        expect(t.type).toBe('temporal');
        expect(t.metadata).toEqual(expect.objectContaining({ workerDeploymentName: version!.deploymentName, workerDeploymentBuildId: version!.buildId }));
      }
    }
  });
});

describe('configurations', () => {
  it('wires every variable of the README configuration table, secrets through secretKeyRef', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('`RCM_CONFIG_FILE` (sites, queues'));
    const named = new Set<string>();
    for (const cell of table.match(/`[^`]+`/g) ?? []) for (const n of cell.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []) named.add(n);
    // Compact forms in the table (`_KEY_PATH`, `/ _PORT`) stand for these.
    for (const n of ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'RCM_CODEC_SERVER_PORT', 'RCM_CODEC_SERVER_TOKEN', 'RCM_INGRESS_PORT', 'RCM_INGRESS_SECRETS', 'RCM_METRICS_PORT', 'RCM_MAX_CONCURRENT_ACTIVITIES', 'PAYER_SUBMITTER_NAME', 'PAYER_RECEIVER_NAME', 'PAYER_BILLING_NAME', 'PAYER_BILLING_TAX_ID', 'PAYER_BILLING_ADDRESS']) named.add(n);
    // `…_DATA` is the inline alternative to the mounted files the chart uses; the rest serve the CLI, not a pod.
    const NOT_FOR_PODS = ['RCM_DECISIONS_URL'];
    for (const n of [...named]) if (n.endsWith('_DATA') || NOT_FOR_PODS.includes(n)) named.delete(n);
    expect(named.size).toBeGreaterThan(50);

    const plain = new Set<string>();
    const secret = new Set<string>();
    const cloudMtlsEnv = render(['-f', path.join(EXAMPLES, 'values-cloud.yaml'), '--set', 'temporal.profile.enabled=false,temporal.tls.serverName=rcm.example,temporal.tls.serverCaCert=true']);
    for (const objs of [...Object.values(rendered), cloudMtlsEnv]) {
      const w = wiredVariables(objs);
      w.plain.forEach((n) => plain.add(n));
      w.secret.forEach((n) => secret.add(n));
    }
    const missing = [...named].filter((n) => !plain.has(n) && !secret.has(n));
    expect(missing).toEqual([]);
    for (const k of SECRET_KEYS) {
      expect(secret.has(k)).toBe(true);
      expect(plain.has(k)).toBe(false);
    }
  });

  it('multi-site: one worker Deployment per group and live build, pinned journeys keep a smaller floor while draining', () => {
    const objs = rendered.multisite;
    expect(workers(objs).map((d) => d.metadata.name).sort()).toEqual([
      'rcm-referral-journeys-worker-north-1-4-1',
      'rcm-referral-journeys-worker-north-1-4-2',
      'rcm-referral-journeys-worker-south-west-1-4-1',
      'rcm-referral-journeys-worker-south-west-1-4-2',
    ]);
    const so = (name: string) => find(objs, 'ScaledObject', `rcm-referral-journeys-worker-${name}`).spec;
    expect([so('north-1-4-2').minReplicaCount, so('north-1-4-2').maxReplicaCount]).toEqual([2, 10]);
    expect([so('south-west-1-4-2').minReplicaCount, so('south-west-1-4-2').maxReplicaCount]).toEqual([1, 4]);
    expect([so('north-1-4-1').minReplicaCount, so('north-1-4-1').maxReplicaCount]).toEqual([1, 3]);
    expect(so('south-west-1-4-2').triggers.map((t: any) => t.metadata.taskQueue)).toEqual(['rcm-south', 'rcm-west-coast']);
    const image = (name: string) => find(objs, 'Deployment', `rcm-referral-journeys-worker-${name}`).spec.template.spec.containers[0].image;
    expect(image('north-1-4-1')).toBe('registry.example.com/clinic-group/referral-journeys:1.4.1');
    expect(find(objs, 'ServiceMonitor', 'rcm-referral-journeys-workers').spec.endpoints.map((e: any) => e.port)).toEqual(['kpis', 'sdk-metrics']);
  });

  it('values.schema.json refuses a misspelt or out-of-range value instead of ignoring it', () => {
    expect(() => render(['--set', 'worker.autoscaling.minReplica=2'])).toThrow(/additional properties 'minReplica' not allowed/);
    expect(() => render(['--set', 'worker.versioning.defaultBehavior=sometimes'])).toThrow(/defaultBehavior/);
    expect(() => render(['--set', 'image.tag=v1:latest'])).toThrow(/image\/tag|tag/);
  });

  it('a worker group naming an unknown site fails the render', () => {
    expect(() => render(['--set', 'worker.groups[0].name=x,worker.groups[0].sites[0]=nowhere'])).toThrow(/names site nowhere, which is not in .Values.sites/);
  });

  it('Temporal Cloud: the mounted envconfig TOML profile with the mTLS certificate gives the product its <ns>.<account> connection', () => {
    const objs = rendered.cloud;
    const common = find(objs, 'ConfigMap', 'rcm-referral-journeys-common').data as Record<string, string>;
    expect(common.TEMPORAL_ADDRESS).toBeUndefined();
    expect(common.TEMPORAL_PROFILE).toBe('cloud');
    const toml = (find(objs, 'ConfigMap', 'rcm-referral-journeys-files').data as Record<string, string>)['temporal.toml'];
    // Stand-in certificate files where the pod mounts the Secret.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-cloud-'));
    fs.writeFileSync(path.join(dir, 'tls.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    fs.writeFileSync(path.join(dir, 'tls.key'), '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    fs.writeFileSync(path.join(dir, 'temporal.toml'), toml.replaceAll('/etc/temporal/tls', dir));
    const worker = workers(objs)[0];
    const mountPaths = worker.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    expect(mountPaths).toEqual(expect.arrayContaining(['/etc/temporal/tls', '/etc/temporal/profile']));
    const env = { ...containerEnv(objs, worker.spec.template.spec.containers[0], {}), TEMPORAL_CONFIG_FILE: path.join(dir, 'temporal.toml') };
    const target = temporalTarget({}, env);
    expect(target.namespace).toBe('rcm-prod.a1b2c');
    expect(target.connectionOptions.address).toBe('rcm-prod.a1b2c.tmprl.cloud:7233');
    const tls = target.connectionOptions.tls as { clientCertPair?: { crt: Buffer; key: Buffer } };
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toContain('BEGIN CERTIFICATE');
    expect(find(objs, 'TriggerAuthentication', 'rcm-referral-journeys-temporal').spec.secretTargetRef.map((r: any) => r.parameter)).toEqual(['apiKey', 'cert', 'key']);
  });

  it('Temporal Cloud with an API key: env only, TLS on, the key from the operator Secret', () => {
    const objs = rendered.cloudApiKey;
    const worker = workers(objs)[0];
    const env = containerEnv(objs, worker.spec.template.spec.containers[0], EXISTING_SECRET);
    expect(env.TEMPORAL_CONFIG_FILE).toBeUndefined();
    const target = temporalTarget({}, env);
    expect(target.connectionOptions).toEqual(expect.objectContaining({ address: 'us-east-1.aws.api.temporal.io:7233', apiKey: 'cloud-api-key-for-test' }));
    expect(target.connectionOptions.tls).toBeTruthy();
    expect(target.namespace).toBe('rcm-prod.a1b2c');
  });

  it('versions per workflow type as documented: the journey family pinned', () => {
    expect(Object.entries(WORKFLOW_VERSIONING).filter(([, b]) => b === 'PINNED').map(([t]) => t).sort()).toEqual(['claimLifecycle', 'patientBalance', 'priorAuth', 'referralJourney']);
  });
});
