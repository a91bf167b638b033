/**
 * Records real workflow histories into test/histories/<name>.json for the replay suite.
 * Runs each scenario against a real server: the shared dev server (or TEMPORAL_ADDRESS).
 * Usage: npx tsx scripts/record-histories.ts [scenario ...]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startDevServer } from './temporal/devServer';
import { historyScenarios } from '../test/histories/scenarios';

const OUT = path.resolve(__dirname, '../test/histories');

async function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(historyScenarios);
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer({});
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });
  try {
    for (const name of names) {
      const scenario = historyScenarios[name];
      if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(historyScenarios).join(', ')}`);
      const taskQueue = `record-${name}-${Date.now()}`;
      const deps = await scenario.setUp?.();
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../src/workflows'),
        activities: scenario.activities(deps),
        maxCachedWorkflows: 10,
      });
      const workflowId = await worker.runUntil(() => scenario.run(client, taskQueue, deps));
      await scenario.tearDown?.(deps);
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      fs.writeFileSync(path.join(OUT, `${name}.json`), historyToJSON(history));
      console.log(`recorded ${name}: ${history.events?.length} events`);
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
