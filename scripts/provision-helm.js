#!/usr/bin/env node
/*
 * Provisions `helm` (pinned Go module helm.sh/helm/v4) into .tools/bin, idempotently, for the chart tests
 * (render + `helm lint`). Sources, in order: $HELM_BIN | the cached build recorded in .tools/helm.json |
 * `go install helm.sh/helm/v4/cmd/helm@<pin>` (Go module proxy; a few minutes on two cores, once).
 * Plain JavaScript: it runs from `npm install`'s postinstall, before anything is compiled. From postinstall a
 * failure only warns (the chart test then fails and says why); `node scripts/provision-helm.js --strict` exits 1.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');
const BIN_DIR = path.join(TOOLS, 'bin');
const MANIFEST = path.join(TOOLS, 'helm.json');
const HELM_MODULE = 'helm.sh/helm/v4/cmd/helm';
const HELM_VERSION = 'v4.3.2';

function log(msg) {
  process.stderr.write(`[provision-helm] ${msg}\n`);
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function helmWorks(p) {
  const r = spawnSync(p, ['version', '--short'], { encoding: 'utf8' });
  return r.status === 0 && !r.error ? r.stdout.trim() : undefined;
}

function readManifest() {
  try {
    const m = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
    if (m.version === HELM_VERSION && m.reported === HELM_VERSION && isExecutable(m.path)) return m;
  } catch {
    /* not provisioned yet */
  }
  return undefined;
}

/** Returns { path, version, source }; builds helm once when needed. Throws with the reason when it cannot. */
function provisionHelm() {
  if (process.env.HELM_BIN) {
    if (isExecutable(process.env.HELM_BIN) && helmWorks(process.env.HELM_BIN)) return { path: process.env.HELM_BIN, version: helmWorks(process.env.HELM_BIN), source: 'env HELM_BIN' };
    throw new Error(`HELM_BIN=${process.env.HELM_BIN} is not a working helm binary`);
  }
  const cached = readManifest();
  if (cached && helmWorks(cached.path) === HELM_VERSION) return cached;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0 || go.error) throw new Error('go not found: helm is built from the Go module proxy (`go install ' + `${HELM_MODULE}@${HELM_VERSION}\`)`);
  fs.mkdirSync(BIN_DIR, { recursive: true });
  const started = Date.now();
  log(`go install ${HELM_MODULE}@${HELM_VERSION} (once; cached in ${path.relative(ROOT, BIN_DIR)})`);
  // Stripped, trimmed build (smaller, faster to link), stamped with the pinned version as helm's release does.
  const ldflags = `-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}`;
  const r = spawnSync('go', ['install', '-trimpath', `-ldflags=${ldflags}`, `${HELM_MODULE}@${HELM_VERSION}`], {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: BIN_DIR, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const bin = path.join(BIN_DIR, 'helm');
  if (r.status !== 0 || r.error || !isExecutable(bin)) {
    throw new Error(`go install ${HELM_MODULE}@${HELM_VERSION} failed: ${`${r.stdout ?? ''}${r.stderr ?? ''}${r.error ?? ''}`.trim().slice(-800)}`);
  }
  const reported = helmWorks(bin);
  if (!reported) throw new Error(`${bin} was built but does not run`);
  const manifest = { path: bin, version: HELM_VERSION, reported, source: `go install ${HELM_MODULE}@${HELM_VERSION}`, builtInSeconds: Math.round((Date.now() - started) / 1000), provisionedAt: new Date().toISOString() };
  fs.writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2));
  log(`helm ${reported} ready in ${manifest.builtInSeconds}s`);
  return manifest;
}

module.exports = { provisionHelm, HELM_VERSION, MANIFEST };

if (require.main === module) {
  const strict = process.argv.includes('--strict');
  if (process.env.RCM_SKIP_PROVISION === '1') {
    log('skipped (RCM_SKIP_PROVISION=1)');
    process.exit(0);
  }
  try {
    const m = provisionHelm();
    log(`ready: helm ${m.version} (${path.relative(ROOT, m.path) || m.path})`);
  } catch (err) {
    log(`${strict ? 'ERROR' : 'WARNING'}: ${err.message}`);
    if (!strict) log('the Helm chart tests (test/unit/helm.chart.test.ts) will fail until `npm run provision` succeeds');
    process.exit(strict ? 1 : 0);
  }
}
