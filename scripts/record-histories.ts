/**
 * Records real workflow histories into test/histories/<name>.json for the replay suite.
 * Runs each scenario against a real server: the shared dev server (or TEMPORAL_ADDRESS).
 * Usage: npx tsx scripts/record-histories.ts [scenario ...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startDevServer } from './temporal/devServer';
import { historyScenarios } from '../test/histories/scenarios';
import { journeyScenarios } from '../test/histories/journeyScenarios';
import { startJourneyHarness } from '../test/support/journeyHarness';
import { temporalTools } from './temporal/tools';

const OUT = path.resolve(__dirname, '../test/histories');
const IDS = path.join(OUT, 'workflow-ids.json');
/** Optional file-name prefix: record today's behaviour beside older recordings (e.g. HISTORY_PREFIX=level1-). */
const PREFIX = process.env.HISTORY_PREFIX ?? '';

/** Replay needs each history's real workflow id (workflows derive child ids from it): kept beside the files. */
function save(name: string, workflowId: string, json: string): void {
  const file = `${PREFIX}${name}`;
  fs.writeFileSync(path.join(OUT, file), json);
  const ids = fs.existsSync(IDS) ? (JSON.parse(fs.readFileSync(IDS, 'utf8')) as Record<string, string>) : {};
  ids[file] = workflowId;
  fs.writeFileSync(IDS, `${JSON.stringify(Object.fromEntries(Object.entries(ids).sort()), null, 2)}\n`);
}

/** Journey scenarios run on the time-skipping server (their SLA clocks span days) against the emulators. */
async function recordJourneys(names: string[]): Promise<void> {
  const tools = temporalTools();
  process.env.TEMPORAL_TEST_SERVER_PATH = tools.testServer.path;
  process.env.RCM_WORKFLOW_BUNDLE ??= await bundleOnce();
  for (const name of names) {
    const h = await startJourneyHarness('time-skipping');
    try {
      const workflowId = await journeyScenarios[name](h);
      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      save(`${name}.json`, workflowId, historyToJSON(history));
      console.log(`recorded ${name}: ${history.events?.length} events`);
      // The journey's children (prior auth, claim lifecycle, patient balance) replay too.
      for (const e of history.events ?? []) {
        const child = e.childWorkflowExecutionStartedEventAttributes;
        if (!child?.workflowExecution?.workflowId) continue;
        const childHistory = await h.client.workflow.getHandle(child.workflowExecution.workflowId, child.workflowExecution.runId ?? undefined).fetchHistory();
        const file = `${name}--${child.workflowType?.name}.json`;
        save(file, child.workflowExecution.workflowId, historyToJSON(childHistory));
        console.log(`recorded ${file}: ${childHistory.events?.length} events`);
      }
    } finally {
      await h.close();
    }
  }
}

async function bundleOnce(): Promise<string> {
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows') });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rcm-bundle-')), 'bundle.js');
  fs.writeFileSync(file, bundle.code);
  return file;
}

async function main() {
  const wanted = process.argv.slice(2);
  const all = [...Object.keys(historyScenarios), ...Object.keys(journeyScenarios)];
  const selected = wanted.length ? wanted : all;
  await recordJourneys(selected.filter((n) => n in journeyScenarios));
  const names = selected.filter((n) => n in historyScenarios);
  if (names.length === 0) return;
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
      save(`${name}.json`, workflowId, historyToJSON(history));
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
