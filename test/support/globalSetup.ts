import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../scripts/temporal/devServer';
import { temporalTools } from '../../scripts/temporal/tools';

/**
 * One real Temporal dev server (headless, temp SQLite, free port) for the whole run, shared by the
 * workflow and integration projects, plus one prebuilt workflow bundle so test files do not each
 * spend seconds in webpack. Idempotent: both projects name this file.
 */
export default async function globalSetup(): Promise<void> {
  const g = globalThis as { __RCM_DEV_SERVER__?: DevServer };
  if (g.__RCM_DEV_SERVER__) return;
  const tools = temporalTools();
  process.env.TEMPORAL_CLI_PATH = tools.cli.path;
  process.env.TEMPORAL_TEST_SERVER_PATH = tools.testServer.path;
  const [server, bundle] = await Promise.all([
    startDevServer({}),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietLogger }),
  ]);
  g.__RCM_DEV_SERVER__ = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  const bundlePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-bundle-')), 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.RCM_WORKFLOW_BUNDLE = bundlePath;
  process.stderr.write(`\n[test] Temporal dev server ${server.address} (${tools.cli.version}); time-skipping server ${tools.testServer.source}\n`);
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, log: noop, warn: noop, error: console.error };
