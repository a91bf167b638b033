/**
 * Chart test support: render deploy/helm/referral-journeys with the pinned helm (scripts/provision-helm.js), parse
 * the manifests, validate them against the Kubernetes / KEDA / prometheus-operator schemas (kubernetes-models, in an
 * ESM child process) and type-check them against the same models' TypeScript interfaces, which catches unknown
 * fields (a misspelt `periodSecond` passes a JSON-schema check that allows extra properties; excess property
 * checks do not let it through).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '../../..');
export const CHART = path.join(ROOT, 'deploy/helm/referral-journeys');
export const EXAMPLES = path.join(ROOT, 'deploy/helm/examples');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { provisionHelm } = require('../../../scripts/provision-helm.js') as { provisionHelm: () => { path: string; version: string } };

let helmPath: string | undefined;
/** The pinned helm, built once into .tools/bin; throws with the reason when it cannot be had. */
export function helm(): string {
  if (!helmPath) {
    try {
      helmPath = provisionHelm().path;
    } catch (err) {
      throw new Error(`helm is not provisioned and could not be built (run \`node scripts/provision-helm.js --strict\`): ${(err as Error).message}`);
    }
  }
  return helmPath;
}

export function runHelm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(helm(), args, { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `helm template` with the given values files / --set flags; throws with helm's message on failure. */
export function render(valueArgs: string[]): K8sObject[] {
  const r = runHelm(['template', 'rcm', CHART, '--namespace', 'rcm', ...valueArgs]);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(r.stdout)) {
    if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS();
    if (value) objects.push(value as K8sObject);
  }
  return objects;
}

export interface SchemaResult {
  apiVersion: string;
  kind: string;
  name?: string;
  ok: boolean;
  errors: string[];
}

/** Every object through the kubernetes-models validators (upstream OpenAPI / CRD schemas). */
export function validateSchemas(objects: K8sObject[]): SchemaResult[] {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'validateManifests.mjs')], { input: JSON.stringify(objects), encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`schema validator failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as SchemaResult[];
}

const TYPES: Record<string, { module: string; type: string }> = {
  'v1/ConfigMap': { module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Secret': { module: 'kubernetes-models/v1/Secret', type: 'ISecret' },
  'v1/Service': { module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1/Deployment', type: 'IDeployment' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1/PodDisruptionBudget', type: 'IPodDisruptionBudget' },
  'keda.sh/v1alpha1/ScaledObject': { module: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', type: 'IScaledObject' },
  'keda.sh/v1alpha1/TriggerAuthentication': { module: '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication', type: 'ITriggerAuthentication' },
  'monitoring.coreos.com/v1/ServiceMonitor': { module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor', type: 'IServiceMonitor' },
};

/**
 * Type-check the objects as literals of the models' interfaces (strict, excess property checks). Returns, per
 * render, one message per problem naming the object; an object of a kind without a type is a problem too.
 */
export function typecheck(renders: Record<string, K8sObject[]>): Record<string, string[]> {
  const problems: Record<string, string[]> = Object.fromEntries(Object.keys(renders).map((k) => [k, []]));
  const imports = new Map<string, string>();
  const lines: string[] = [];
  let i = 0;
  // One program for every render: the models' declarations are loaded once.
  for (const [label, objects] of Object.entries(renders)) {
    for (const o of objects) {
      const t = TYPES[`${o.apiVersion}/${o.kind}`];
      if (!t) {
        problems[label].push(`${o.kind} ${o.metadata?.name}: no TypeScript model for ${o.apiVersion}`);
        continue;
      }
      imports.set(t.module, t.type);
      lines.push(`// ${label}|${o.kind} ${o.metadata.name}\nexport const o${i++}: ${t.type} = ${JSON.stringify(o, null, 1)};`);
    }
  }
  const fileName = path.join(__dirname, '__rendered_manifests__.ts');
  const text = [...imports].map(([m, t]) => `import type { ${t} } from '${m}';`).join('\n') + '\n' + lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const original = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  host.getSourceFile = (name, lang, onError, create) =>
    name === fileName ? ts.createSourceFile(name, text, lang) : original.getSourceFile.call(host, name, lang, onError, create);
  host.fileExists = (name) => name === fileName || original.fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? text : original.readFile.call(host, name));
  const program = ts.createProgram([fileName], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const [label, owner] = (where ? nearestObject(text, where.line) : '(imports)|').split('|');
    (problems[label] ?? (problems[label] = [])).push(`${owner}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return problems;
}

function nearestObject(text: string, line: number): string {
  const lines = text.split('\n');
  for (let i = line; i >= 0; i--) if (lines[i].startsWith('// ')) return lines[i].slice(3);
  return '(imports)';
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the rendered objects

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}; have ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

/**
 * The environment a container would see: its ConfigMaps (envFrom), then its own env; secretKeyRef values come
 * from the rendered Secret, else from `secretValues` (an existing Secret the chart does not render).
 */
export function containerEnv(objects: K8sObject[], container: any, secretValues: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, find(objects, 'ConfigMap', from.configMapRef.name).data ?? {});
    if (from.secretRef) throw new Error('envFrom secretRef: secrets must be named one by one');
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      const v = secret ? secret.stringData?.[ref.key] : secretValues[ref.key];
      if (v !== undefined) env[e.name] = v;
    }
  }
  return env;
}

/** Every env var name a render wires: ConfigMap keys used as env, container env names, secret keys referenced. */
export function wiredVariables(objects: K8sObject[]): { plain: Set<string>; secret: Set<string> } {
  const plain = new Set<string>();
  const secret = new Set<string>();
  for (const d of byKind(objects, 'Deployment')) {
    for (const c of d.spec.template.spec.containers) {
      for (const from of c.envFrom ?? []) if (from.configMapRef) Object.keys(find(objects, 'ConfigMap', from.configMapRef.name).data ?? {}).forEach((k) => plain.add(k));
      for (const e of c.env ?? []) (e.valueFrom?.secretKeyRef ? secret : plain).add(e.name);
    }
  }
  return { plain, secret };
}
