/**
 * `npm start`: the whole product on one machine, with no configuration.
 *
 *   Temporal dev server + Web UI (SQLite in .data/temporal.db)    unless TEMPORAL_ADDRESS is set
 *   Odoo, payer and OpenAI-compatible model emulators             unless ODOO_URL / PAYER_BASE_URL / AI_BASE_URL
 *   HTTP ingress (signed webhooks; the payer emulator posts its prior-auth decisions and 835s to it)
 *   payload encryption: a dev codec key in .data/codec-keys (made on first start; RCM_CODEC_KEYS wins,
 *   RCM_DEMO_CODEC=off disables) and the codec server the Temporal UI decodes through (--ui-codec-endpoint)
 *   the inbox + authenticated decisions API (port 8790) with a local OIDC issuer and demo users (sim/oidc),
 *   unless RCM_OIDC_ISSUER names another issuer (e.g. Keycloak from docker-compose)
 *   KPI metrics (Prometheus text), journey workers (logs → .data/worker.log)
 *   six demo journeys driven through different paths, then a summary with the UI link and `rcm` commands
 *
 * Runs until Ctrl-C / SIGTERM / SIGHUP (or until the npm process that launched it is gone) and then stops everything
 * it started (a second signal exits at once).
 * RCM_DEMO_EXIT_AFTER_MS=<ms> stops it that long after the summary (smoke checks); RCM_DEMO_DATA_DIR replaces .data.
 * Ports: Temporal 7233, UI 8233, ingress 8787, metrics 9464 (codec 8888) when free, otherwise free ones (printed);
 * RCM_INGRESS_PORT / RCM_METRICS_PORT / RCM_CODEC_SERVER_PORT pin them.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { startCodecServer, type RunningCodecServer } from '../src/client/codecServer';
import { dataConverter } from '../src/client/codec';
import { createDeadLetterStore, deadLetterFile } from '../src/client/deadLetters';
import { createIngress } from '../src/client/ingress/server';
import { createJourneyClient } from '../src/client/journeyClient';
import { ConfigError, distinctTaskQueues, loadConfig, type AppConfig } from '../src/config';
import { journeyOptionsFor } from '../src/config/journeyOptions';
import { connectClient } from '../src/config/temporal';
import { buildActivities } from '../src/workers/buildActivities';
import { startJourneyWorkers, type WorkflowBundleOption } from '../src/workers/createWorker';
import { createKpiMetrics, startMetricsServer } from '../src/workers/kpiMetrics';
import { activityLogSink, createLogger } from '../src/workers/logger';
import { installRuntime } from '../src/workers/runtime';
import { createDriver, sleep } from './demo/drive';
import { retireEarlierDemoJourneys } from './demo/earlierRuns';
import { watchLauncher } from './demo/launcher';
import { startDemoEmulators } from './demo/emulators';
import { demoCodecEnv } from './demo/codecKey';
import { startDemoDecisions, type DemoDecisions } from './demo/decisions';
import { sitePolicies } from '../src/config/decisions';
import { block, bold, columns, cyan, dim, green, red, say, warn, yellow } from './demo/output';
import { runStamp } from './demo/referrals';
import { ensureSearchAttributes } from './demo/searchAttributes';
import { demoScenarios, launchScenarios } from './demo/scenarios';
import { startDevServer, type DevServer } from './temporal/devServer';
import { preferredOrFreePort } from './temporal/ports';

const ROOT = path.resolve(__dirname, '..');
/** dev-server database, its log and the worker log (RCM_DEMO_DATA_DIR moves them, e.g. for a test) */
const DATA_DIR = path.resolve(process.env.RCM_DEMO_DATA_DIR?.trim() || path.join(ROOT, '.data'));
const DEFAULT_ADDRESSES = ['127.0.0.1:7233', 'localhost:7233'];
/** How long the summary waits for the journeys to reach their demo states. */
const SUMMARY_AFTER_MS = 90_000;
const PAYER_ID = 'SIMPAYER';

interface Cleanup {
  name: string;
  run: () => Promise<unknown>;
}

function exitAfterMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.RCM_DEMO_EXIT_AFTER_MS?.trim();
  if (!raw) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new ConfigError(['RCM_DEMO_EXIT_AFTER_MS: expected milliseconds (a whole number)']);
  return Number(raw);
}

/** The configured port when the variable pins it, else the preferred port when free, else any free port. */
async function demoPort(env: NodeJS.ProcessEnv, variable: string, configured: number, host: string): Promise<number> {
  if (env[variable]?.trim()) return configured;
  return preferredOrFreePort(configured, host);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const codecKey = demoCodecEnv(process.env, DATA_DIR);
  const env: NodeJS.ProcessEnv = { ...process.env, ...(codecKey.RCM_CODEC_KEYS ? { RCM_CODEC_KEYS: codecKey.RCM_CODEC_KEYS } : {}) };
  const logFile = path.join(DATA_DIR, 'worker.log');
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  const writeLog = (line: string) => void logStream.write(line.endsWith('\n') ? line : `${line}\n`);

  // ------------------------------------------------------------------ shutdown (installed before anything starts)
  const cleanups: Cleanup[] = [];
  const abort = new AbortController();
  setMaxListeners(50, abort.signal); // every journey script waits on it
  let stopping: Promise<void> | undefined;
  let signals = 0;
  const shutdown = (reason: string, code: number): Promise<void> =>
    (stopping ??= (async () => {
      abort.abort();
      const since = Date.now();
      say(`${reason}: shutting down…`);
      for (const c of cleanups.reverse()) {
        try {
          await withTimeout(c.run(), 45_000, c.name);
        } catch (err) {
          warn(`${c.name}: ${(err as Error).message}`);
        }
      }
      await new Promise<void>((resolve) => logStream.end(resolve));
      say(`${code === 0 ? 'stopped cleanly' : 'stopped'} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
      process.exit(code);
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      warn(`second ${signal}: exiting without waiting`);
      process.exit(1); // the dev server's exit hook kills it
    }
    void shutdown(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal); // terminal closed
  watchLauncher(() => void shutdown('npm exited (SIGTERM to npm is not passed on to the demo)', 0));

  try {
    // ---------------------------------------------------------------- configuration without the integrations yet
    const exitAfter = exitAfterMs(env);
    const baseConfig = loadConfig(env);
    const logger = createLogger({ level: baseConfig.logLevel, base: { service: 'demo-worker' }, write: writeLog });
    installRuntime({ logger, sdkMetricsBindAddress: baseConfig.metrics.sdkBindAddress, coreLogLevel: 'warn' });
    const stamp = runStamp();
    say(`${bold('referral journeys demo')} ${dim(`run ${stamp}; worker logs → ${path.relative(process.cwd(), logFile) || logFile}`)}`);

    // ---------------------------------------------------------------- codec server (before the UI, which calls it)
    let address = env.TEMPORAL_ADDRESS?.trim() || undefined;
    const uiPort = address ? undefined : await preferredOrFreePort(8233);
    let codec: RunningCodecServer | undefined;
    if (baseConfig.codec) {
      const origins = uiPort ? [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`] : [];
      const codecConfig = { ...baseConfig, codecServer: { ...baseConfig.codecServer, corsOrigins: [...new Set([...baseConfig.codecServer.corsOrigins, ...origins])] } };
      codec = await startCodecServer(codecConfig, {
        port: await demoPort(env, 'RCM_CODEC_SERVER_PORT', baseConfig.codecServer.port, baseConfig.codecServer.host),
        log: (e) => logger.info(String(e.msg ?? 'codec'), { ...e, component: 'codec-server' }),
      });
      const running = codec;
      cleanups.push({ name: 'codec server', run: () => running.close() });
      say(`codec server ${codec.url} (payloads encrypted with key ${baseConfig.codec.activeKeyId}${codecKey.keyFile ? ` from ${path.relative(process.cwd(), codecKey.keyFile) || codecKey.keyFile}` : ''})`);
    }

    // ---------------------------------------------------------------- Temporal
    let server: DevServer | undefined;
    if (!address) {
      say('starting the Temporal dev server with the Web UI…');
      server = await startDevServer({
        ui: true,
        port: 7233,
        uiPort,
        dbFile: path.join(DATA_DIR, 'temporal.db'),
        logFile: path.join(DATA_DIR, 'temporal.log'),
        ...(codec ? { uiCodecEndpoint: codec.url } : {}),
      });
      const dev = server;
      cleanups.push({ name: 'Temporal dev server', run: () => dev.stop() });
      address = server.address;
      say(`Temporal ${address}, UI ${server.uiUrl}`);
    } else {
      say(`using the Temporal server at ${address} (TEMPORAL_ADDRESS)`);
    }
    const temporalEnv = { TEMPORAL_ADDRESS: address };
    const clientConfig = loadConfig({ ...env, ...temporalEnv });
    const client = await connectClient(clientConfig.temporal, dataConverter(clientConfig));
    cleanups.push({ name: 'Temporal client', run: () => client.connection.close() });
    try {
      const added = await ensureSearchAttributes(client.connection as Connection, clientConfig.temporal.namespace, { create: true });
      if (added.length > 0) say(`registered search attributes this database did not have yet: ${added.join(', ')}`);
    } catch (err) {
      if (server) throw err;
      // Someone else's server (e.g. Temporal Cloud, where the operator API may be closed to us): say so, carry on.
      warn(`could not check the search attributes: ${(err as Error).message}`);
    }
    const taskQueueFor = (siteId: string) => clientConfig.sites.find((s) => s.id === siteId)?.taskQueue ?? clientConfig.taskQueue.shared;

    // ---------------------------------------------------------------- ingress (listens first: the payer posts to it)
    const deadLetters = createDeadLetterStore({ file: deadLetterFile(env) });
    const journeys = createJourneyClient({ client, taskQueueFor, optionsFor: (siteId) => journeyOptionsFor(clientConfig, siteId), deadLetters });
    const payerSecret = randomBytes(24).toString('base64url'); // per run: the emulator is the only sender that knows it
    const startsPayer = !env.PAYER_BASE_URL?.trim();
    const senders = { ...clientConfig.ingress.secrets, ...(startsPayer ? { [PAYER_ID]: payerSecret } : {}) };
    const ingress = await createIngress({ journeys, senders, deadLetters, logger: { level: 'info', stream: { write: writeLog } } });
    const ingressUrl = await ingress.listen({ host: clientConfig.ingress.host, port: await demoPort(env, 'RCM_INGRESS_PORT', clientConfig.ingress.port, clientConfig.ingress.host) });
    cleanups.push({ name: 'ingress', run: () => ingress.close() });

    // ---------------------------------------------------------------- emulators
    const emulators = await startDemoEmulators(env, {
      payerId: PAYER_ID,
      seed: Date.now() % 1_000_000_007, // authorization and EFT trace numbers differ from run to run
      // pended prior auths (27447) are decided this long after submission and delivered by the signed webhook
      decisionDelayMs: 8_000,
      decisionWebhook: { url: `${ingressUrl}/v1/payer/pas-notifications`, secret: payerSecret },
      remittanceWebhook: { url: `${ingressUrl}/v1/payer/remittances`, secret: payerSecret },
    });
    cleanups.push({ name: 'emulators', run: () => emulators.close() });
    for (const [name, url] of Object.entries(emulators.external)) say(`${name}: using ${url} (from the environment; no emulator)`);

    // ---------------------------------------------------------------- workers and KPI metrics
    const loaded = loadConfig({ ...env, ...emulators.env, ...temporalEnv });
    // A demo stops in seconds, not in the production default of 30 s (RCM_SHUTDOWN_GRACE_MS still wins).
    const config: AppConfig = env.RCM_SHUTDOWN_GRACE_MS ? loaded : { ...loaded, worker: { ...loaded.worker, shutdownGraceTimeMs: 5_000 } };
    const kpis = createKpiMetrics({ defaultMetrics: true });
    const metrics = await startMetricsServer(kpis.registry, { host: config.metrics.host, port: await demoPort(env, 'RCM_METRICS_PORT', config.metrics.port, config.metrics.host) });
    cleanups.push({ name: 'metrics server', run: () => metrics.close() });
    const activities = buildActivities(config, { kpi: kpis.sink, log: activityLogSink(logger.child({ component: 'notify' })) });
    if (emulators.odoo || emulators.payer) {
      const retired = await retireEarlierDemoJourneys(journeys.workflowClient, { taskQueues: distinctTaskQueues(config), stamp });
      if (retired.journeys > 0) say(`terminated ${retired.journeys} open journey(s) of earlier demo runs: the emulators they used are gone`);
    }
    const bundle: WorkflowBundleOption | undefined = env.RCM_WORKFLOW_BUNDLE ? { codePath: env.RCM_WORKFLOW_BUNDLE } : undefined;
    say(bundle ? 'starting the journey workers…' : 'bundling the workflows and starting the journey workers…');
    const workers = await startJourneyWorkers({ config, activities, logger, ...(bundle ? { bundle } : {}) });
    cleanups.push({ name: 'workers', run: () => workers.shutdown() });
    say(`workers polling ${workers.taskQueues.join(', ')}`);

    const namespace = config.temporal.namespace;
    const uiBase = server?.uiUrl ?? env.TEMPORAL_UI_URL?.replace(/\/$/, '');

    // ---------------------------------------------------------------- inbox + decisions API (verified identities)
    const decisions: DemoDecisions = await startDemoDecisions({ env, client, journeys, ...(uiBase ? { temporalUiUrl: uiBase } : {}), sites: config.sites.map((s) => s.id), approvalPolicyFor: sitePolicies(config), log: writeLog });
    cleanups.push({ name: 'decisions service', run: () => decisions.close() });
    say(`inbox ${cyan(decisions.inboxUrl)} (issuer ${decisions.issuerUrl})`);
    const uiList = uiBase ? `${uiBase}/namespaces/${namespace}/workflows` : undefined;
    if (uiList) say(`Temporal UI: ${cyan(uiList)}`);

    // ---------------------------------------------------------------- demo journeys
    const siteId = config.sites[0].id;
    const drv = createDriver({ journeys, ...(emulators.payer ? { payer: emulators.payer.control } : {}), signal: abort.signal });
    const scenarios = demoScenarios({ siteId, stamp, payerId: PAYER_ID });
    const running = await launchScenarios(scenarios, { journeys, drv, ...(emulators.payer ? { payer: emulators.payer.control } : {}), signal: abort.signal });
    await Promise.race([Promise.all(running.map((r) => r.reached)), sleep(SUMMARY_AFTER_MS, abort.signal)]);

    // ---------------------------------------------------------------- summary
    const rows: string[][] = [['PATH', 'JOURNEY', 'STAGE']];
    const shows: string[] = [];
    for (const r of running) {
      const stage = await journeys.status(r.journeyId).then(
        (s) => `${s.stage}${s.outcome ? ` (${s.outcome})` : ''}`,
        () => '?',
      );
      rows.push([r.scenario.label, r.journeyId, stage]);
      const reached = await Promise.race([r.reached, Promise.resolve(undefined)]);
      shows.push(reached ? (reached.ok ? reached.text : red(reached.text)) : yellow('still on its way (see the progress lines above)'));
    }
    const [header, ...journeyRows] = columns(rows);
    const journeyLines = [dim(header), ...journeyRows.flatMap((line, i) => [line, `      ${dim('↳')} ${shows[i]}`])];
    const keyPrefix = codecKey.keyFile ? `RCM_CODEC_KEYS=$(cat ${path.relative(process.cwd(), codecKey.keyFile) || codecKey.keyFile}) ` : '';
    const rcmPrefix = `${keyPrefix}${DEFAULT_ADDRESSES.includes(address) ? '' : `TEMPORAL_ADDRESS=${address} `}`;
    const decisionsPrefix = decisions.inboxUrl === 'http://127.0.0.1:8790/inbox' ? '' : `RCM_DECISIONS_URL=${decisions.inboxUrl.replace(/\/inbox$/, '')} `;
    const find = (key: string) => running.find((r) => r.scenario.key === key)?.journeyId;
    const sample = find('happy') ?? running[0]?.journeyId ?? `referral/${siteId}/<referralId>`;
    const awaiting = find('approval');
    const commands = [
      `${rcmPrefix}npx rcm list --site ${siteId} --open`,
      `${rcmPrefix}npx rcm status ${sample}`,
      `${rcmPrefix}npx rcm timeline ${sample}`,
      `${rcmPrefix}npx rcm list --stage billing_approval`,
      `${decisionsPrefix}npx rcm login`,
      ...(awaiting ? [`${decisionsPrefix}npx rcm approve ${awaiting} --reason "documentation complete"`] : []),
      `${rcmPrefix}npx rcm list --queue authorization`,
      `${rcmPrefix}npx rcm kpis --site ${siteId}`,
    ];
    block('Demo journeys', journeyLines);
    block('Inbox', [
      `  ${bold(cyan(decisions.inboxUrl))}  sign in as one of the demo users (the approval journey was prepared by intake-1):`,
      ...(decisions.users
        ? columns([['USER', 'PASSWORD', 'ACTOR ID', 'ROLES'], ...decisions.users.map((u) => [u.username, u.password, u.id, u.roles.join(', ') || '(none)'])]).map((l) => `    ${l}`)
        : [`    users and roles come from ${decisions.issuerUrl}`]),
    ]);
    block('Where to look', [
      `  Temporal UI   ${uiList ? bold(cyan(uiList)) : yellow('(set TEMPORAL_UI_URL to print your UI link)')}`,
      `  Temporal      ${address} (namespace ${namespace})`,
      `  Ingress       ${ingressUrl}  (OpenAPI ${ingressUrl}/openapi.json${emulators.payer ? '; the payer emulator posts signed webhooks here' : ''})`,
      `  KPI metrics   ${metrics.url}/metrics`,
      ...(codec ? [`  Codec server  ${codec.url}`] : []),
      ...(emulators.odoo ? [`  Odoo (emu)    ${emulators.odoo.url}`] : []),
      ...(emulators.payer ? [`  Payer (emu)   ${emulators.payer.url}`] : []),
      `  Logs          ${logFile}, ${server ? path.join(DATA_DIR, 'temporal.log') : ''}`.replace(/, $/, ''),
    ]);
    block('Try', [
      ...commands.map((c) => `  ${c}`),
      ...(config.codec ? [dim(`  (the CLI needs the same RCM_CODEC_KEYS to read encrypted payloads${codecKey.keyFile ? '; the Temporal UI decodes through the codec server' : ''})`)] : []),
    ]);
    process.stdout.write('\n');
    if (exitAfter !== undefined) {
      say(`exiting in ${Math.round(exitAfter / 1000)} s (RCM_DEMO_EXIT_AFTER_MS)`);
      setTimeout(() => void shutdown('RCM_DEMO_EXIT_AFTER_MS', 0), exitAfter);
    } else {
      say(`${green('running')}: the journeys keep going; press Ctrl-C to stop`);
    }
  } catch (err) {
    if (abort.signal.aborted) return; // shutting down already
    const message = err instanceof ConfigError ? err.message : `${(err as Error)?.stack ?? err}`;
    process.stderr.write(`${red('demo failed to start')}: ${message}\n`);
    await shutdown('start-up failed', err instanceof ConfigError ? 2 : 1);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
