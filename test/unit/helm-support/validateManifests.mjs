/**
 * Validates Kubernetes objects against the upstream OpenAPI schemas compiled into kubernetes-models (core and apps
 * APIs of Kubernetes, KEDA and prometheus-operator CRDs). ESM only, hence a child process of the jest test:
 * reads a JSON array of objects on stdin, prints `[{ apiVersion, kind, name, ok, errors }]` on stdout.
 * An object whose kind has no schema here is an error, so nothing passes unvalidated.
 */
const PACKAGES = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function validateOne(obj) {
  const id = { apiVersion: obj?.apiVersion, kind: obj?.kind, name: obj?.metadata?.name };
  const pkg = PACKAGES[obj?.apiVersion];
  if (!pkg) return { ...id, ok: false, errors: [`no schema for apiVersion ${obj?.apiVersion}`] };
  let Model;
  try {
    Model = (await import(`${pkg}/${obj.kind}`))[obj.kind];
  } catch {
    return { ...id, ok: false, errors: [`no schema for ${obj.apiVersion} ${obj.kind}`] };
  }
  if (typeof Model !== 'function') return { ...id, ok: false, errors: [`no model class for ${obj.apiVersion} ${obj.kind}`] };
  try {
    new Model(obj).validate();
    return { ...id, ok: true, errors: [] };
  } catch (err) {
    return { ...id, ok: false, errors: String(err?.message ?? err).split('\n') };
  }
}

const objects = JSON.parse(await readStdin());
const results = [];
for (const o of objects) results.push(await validateOne(o));
process.stdout.write(JSON.stringify(results));
