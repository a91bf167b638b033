/**
 * `npm start`: the demo on embedded defaults. Starts a Temporal dev server with the Web UI (unless
 * TEMPORAL_ADDRESS points elsewhere), a worker, and sample workflows; prints the UI link; runs until
 * Ctrl-C and then shuts everything down.
 */
import path from 'node:path';
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../src/activities/smoke';
import { connectClient, connectWorkerConnection, temporalTarget } from '../src/config/temporal';
import { smokeCheck, smokeNote } from '../src/workflows/smoke';
import { startDevServer, type DevServer } from './temporal/devServer';

async function main() {
  let server: DevServer | undefined;
  let address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    const dataDir = path.resolve(__dirname, '../.data');
    fs.mkdirSync(dataDir, { recursive: true });
    server = await startDevServer({ ui: true, port: 7233, uiPort: 8233, dbFile: path.join(dataDir, 'temporal.db'), logFile: path.join(dataDir, 'temporal.log') });
    address = server.address;
  }
  const target = temporalTarget({ address });
  const client = await connectClient(target);
  const connection = await connectWorkerConnection(target);
  const taskQueue = 'rcm-demo';
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue,
    workflowsPath: require.resolve('../src/workflows'),
    activities: createSmokeActivities({ greeting: 'demo' }),
  });
  const running = worker.run();
  const workflowId = `smoke/demo-${Date.now()}`;
  const handle = await client.workflow.start(smokeCheck, { taskQueue, workflowId, args: [{ waitDays: 30 }] });
  await handle.signal(smokeNote, 'demo started');
  const ui = server?.uiUrl ?? process.env.TEMPORAL_UI_URL ?? '(your Temporal UI)';
  console.log(`\nTemporal UI:   ${ui}/namespaces/${target.namespace}/workflows`);
  console.log(`Workflow:      ${workflowId}`);
  console.log(`Server:        ${address}\nPress Ctrl-C to stop.\n`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nshutting down…');
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await client.connection.close();
    await server?.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
