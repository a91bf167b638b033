/**
 * `tsx src/workers/buildBundle.ts [out.js]`: prebuild the workflow bundle (the Docker image does this once, so
 * workers start without webpack; point RCM_WORKFLOW_BUNDLE at the file). The bundle always carries the failure
 * converter that moves failure messages into encoded (codec-encrypted) attributes, since production runs the codec
 * (RCM_BUNDLE_PLAIN_FAILURES=1 builds one without it). It writes `<out>` for unversioned workers and `<out>.versioned.js`
 * for workers with Worker Deployment Versioning; the worker picks the one for its mode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleJourneyWorkflows, prebuiltBundlePath } from './createWorker';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const logger = createLogger({ level: 'info', base: { service: 'bundler' } });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Both variants: unversioned workers (compose, one machine) and versioned ones (Kubernetes) use the same image.
  for (const versioned of [false, true]) {
    const { code } = await bundleJourneyWorkflows({ encodeFailures: process.env.RCM_BUNDLE_PLAIN_FAILURES !== '1', versioned, logger });
    const file = prebuiltBundlePath(out, versioned);
    fs.writeFileSync(file, code);
    logger.info('workflow bundle written', { file, versioned, bytes: code.length });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
