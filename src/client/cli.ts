import fs from 'node:fs';
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { SingleBar, Presets } from 'cli-progress';
import { Argument, Command, CommanderError, Option } from 'commander';
import { MoneyError, formatUsd, parseCents } from '../domain/money';
import { correlationIdFrom } from './correlation';
import { clientSettings, type ClientSettings } from './config';
import { createIngress } from './ingress/server';
import { kpiReport } from './kpis';
import { ensureReconcileSchedule } from './schedules';
import { createDeadLetterStore, deadLetterFile, type DeadLetterStore } from './deadLetters';
import { DecisionRefusedError, JourneyClientError, JourneyClosedError, JourneyInputError, JourneyNotFoundError, JourneyUnavailableError, RemittanceParseError } from './errors';
import { createJourneyClient, type DecisionType, type JourneyClient } from './journeyClient';
import { RedriveError, redriveDeadLetter } from './redrive';
import { buildJourneyQuery, listLimit, type JourneyListFilter } from './visibility';
import { parseJourneyWorkflowId } from '../domain/ids';
import { withoutIntegrationSettings } from '../config/scopes';
import { loadConfig } from '../config';
import { loadDecisionsConfig, sitePolicies } from '../config/decisions';
import { createDecisionsService } from './decisions/server';
import { ApiError, callApi, decisionsUrl, deviceLogin, loadToken, saveToken, tokenFile, type CachedToken } from './decisions/apiClient';

/**
 * `rcm` — operate referral journeys from a terminal or a script.
 *
 * Tables for people, `--json` for scripts. Errors: one line on stderr, `rcm: error: …`, and an exit code —
 * 2 bad input (usage, schema, file), 3 refused (by the journey's policy, or a role the decisions API does not grant),
 * 4 journey not found / closed, 5 Temporal or the decisions service unreachable, 6 not signed in / token refused,
 * 1 anything else. Connection settings come from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TLS, RCM_CODEC_KEYS…), the task queue from RCM_TASK_QUEUE (default `rcm-journeys`); integration
 * settings (ODOO_*, PAYER_*, AI_*) are neither needed nor validated: rcm never calls Odoo or the payer.
 *
 * Human decisions (approve, reject, …, hold, resume, cancel) go through the authenticated decisions API with the
 * token `rcm login` cached (device flow; RCM_TOKEN_FILE, mode 0600): who decides, and in which role, is what the
 * issuer says, not a flag. Direct Temporal access (the typed client) remains for services: namespace access is the
 * service identity and the trust boundary.
 */

const EXIT = { error: 1, input: 2, refused: 3, notFound: 4, unavailable: 5, auth: 6 } as const;

/** Not signed in, token expired, or refused by the decisions API's token checks (401). */
class CliAuthError extends Error {}

class CliInputError extends Error {}

interface Globals {
  json?: boolean;
  address?: string;
  namespace?: string;
}

interface Ctx {
  settings: ClientSettings;
  journeys: JourneyClient;
  client: Client;
  deadLetters: DeadLetterStore;
}

export function buildProgram(): Command {
  const program = new Command('rcm')
    .description('Referral-to-payment journeys on Temporal: start, decide, inspect, ingest 835s, dead letters.')
    .option('--json', 'machine-readable JSON output')
    .option('--address <host:port>', 'Temporal address (default from TEMPORAL_ADDRESS / envconfig)')
    .option('--namespace <ns>', 'Temporal namespace (default from TEMPORAL_NAMESPACE / envconfig)')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(`rcm: ${oneLine(str)}\n`),
    });

  const globals = (): Globals => program.opts<Globals>();

  let connection: Connection | undefined;
  let ctxPromise: Promise<Ctx> | undefined;
  const ctx = (): Promise<Ctx> =>
    (ctxPromise ??= (async () => {
      const g = globals();
      const env = { ...process.env, ...(g.address ? { TEMPORAL_ADDRESS: g.address } : {}), ...(g.namespace ? { TEMPORAL_NAMESPACE: g.namespace } : {}) };
      const settings = await loadSettings(env);
      const deadLetters = createDeadLetterStore({ file: settings.deadLetterFile });
      connection = await Connection.connect({ ...settings.temporal.connectionOptions, connectTimeout: '5s' });
      const client = new Client({ connection, namespace: settings.temporal.namespace, dataConverter: settings.dataConverter });
      const journeys = createJourneyClient({ client, taskQueueFor: settings.taskQueueFor, optionsFor: settings.optionsFor, deadLetters });
      return { settings, journeys, client, deadLetters };
    })());
  // The dead-letter commands need no Temporal and no application config: only RCM_DLQ_FILE.
  const localDeadLetters = () => createDeadLetterStore({ file: deadLetterFile(process.env) });
  const correlationId = correlationIdFrom(process.env.RCM_CORRELATION_ID);

  const print = (human: () => string, data: unknown) => {
    process.stdout.write(globals().json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
  };

  program.hook('postAction', async () => {
    await connection?.close().catch(() => undefined);
  });

  // ------------------------------------------------------------------ journeys
  program
    .command('start')
    .description('start a journey from a referral JSON file (a repeated start returns the running journey)')
    .argument('<referral.json>')
    .option('--wait <seconds>', 'how long to wait for the journey to acknowledge; then it is started without the receipt (no worker polling)', '5')
    .action(async (file: string, o: { wait: string }) => {
      const referral = readJson(file);
      const { journeys } = await ctx();
      const r = await journeys.startJourney(referral, { correlationId, timeoutMs: integer(o.wait, '--wait') * 1000 });
      print(
        () => keyValues(r.receipt ? { journey: r.journeyId, run: r.runId, stage: r.receipt.stage, duplicate: r.receipt.duplicate ?? false, detail: r.receipt.detail } : { journey: r.journeyId, run: r.runId, receipt: 'pending (no worker answered; the journey holds the referral)' }),
        r,
      );
    });

  const decisionCommand = (name: string, type: DecisionType, describe: string, extra: (c: Command) => Command = (c) => c) =>
    extra(program.command(name).description(`${describe} (as the signed-in user: rcm login)`).argument('<journeyId>')).action(
      async (journeyId: string, o: Record<string, string | undefined>) => {
        const address = parseJourneyWorkflowId(journeyId);
        if (!address) throw new CliInputError(`journey id must look like referral/<siteId>/<referralId>`);
        const input = decisionInput(type, o);
        const token = signedIn();
        const r = await api<{ receipt: { stage: string; duplicate?: boolean; detail?: string }; actorId: string; role: string }>(token, 'POST', `/api/journeys/${address.siteId}/${address.referralId}/decisions/${type}`, input);
        print(
          () => keyValues({ journey: journeyId, decision: type, actor: r.actorId, role: r.role, stage: r.receipt.stage, duplicate: r.receipt.duplicate ?? false, detail: r.receipt.detail }),
          { journeyId, decision: type, actorId: r.actorId, role: r.role, receipt: r.receipt },
        );
      },
    );

  const withReasonAmount = (c: Command) => c.option('--reason <text>', 'why (audit timeline)').option('--amount <usd>', 'the amount you saw, e.g. 1234.50 (refused if it differs)');
  decisionCommand('approve', 'approve', 'approve the pending approval (billing release, refund…)', withReasonAmount);
  decisionCommand('reject', 'reject', 'reject the pending approval', withReasonAmount);
  decisionCommand('request-changes', 'requestChanges', 'send the pending approval back for changes', withReasonAmount);
  decisionCommand('coding-review', 'completeCodingReview', 'complete the human coding review', (c) =>
    c
      .addOption(new Option('--outcome <outcome>').choices(['confirmed', 'corrected']).makeOptionMandatory())
      .option('--services <file.json>', 'corrected service lines (outcome corrected)')
      .option('--reason <text>'),
  );
  decisionCommand('write-off', 'decideWriteOff', 'approve or reject a pending write-off', (c) =>
    c
      .requiredOption('--reason <text>')
      .addOption(new Option('--decision <decision>').choices(['approve', 'reject']).makeOptionMandatory())
      .option('--amount <usd>', 'the amount you saw'),
  );
  decisionCommand('hold', 'hold', 'put the journey on hold', (c) => c.requiredOption('--reason <text>').option('--until <iso>', 'hold until this instant'));
  decisionCommand('resume', 'resume', 'resume a held journey', (c) => c.requiredOption('--reason <text>'));
  decisionCommand('cancel', 'cancel', 'cancel the journey', (c) => c.requiredOption('--reason <text>'));

  // ------------------------------------------------------------------ identity
  program
    .command('login')
    .description('sign in for decisions: device flow against the issuer the decisions service trusts; caches the token (0600)')
    .option('--decisions-url <url>', 'the decisions service (default RCM_DECISIONS_URL or http://127.0.0.1:8790)')
    .action(async (o: { decisionsUrl?: string }) => {
      const base = decisionsUrl(process.env, o.decisionsUrl);
      const token = await deviceLogin(base, (p) => {
        process.stderr.write(`To sign in, open ${p.verificationUriComplete ?? p.verificationUri}\nand confirm the code ${p.userCode}\n`);
      });
      const file = tokenFile(process.env);
      saveToken(file, token);
      const me = await api<{ actorId: string; roles: string[] }>(token, 'GET', '/api/me');
      print(() => keyValues({ 'signed in as': me.actorId, roles: me.roles.join(', '), until: token.expiresAt, 'token file': file }), { ...me, expiresAt: token.expiresAt, tokenFile: file });
    });

  program
    .command('logout')
    .description('forget the cached decisions token')
    .action(() => {
      fs.rmSync(tokenFile(process.env), { force: true });
      print(() => 'signed out', { signedOut: true });
    });

  program
    .command('whoami')
    .description('the identity the decisions service sees for the cached token')
    .action(async () => {
      const me = await api<{ actorId: string; issuer: string; roles: string[]; expiresAt: string }>(signedIn(), 'GET', '/api/me');
      print(() => keyValues({ actor: me.actorId, issuer: me.issuer, roles: me.roles.join(', '), until: me.expiresAt }), me);
    });

  program
    .command('status')
    .description('where the journey is: stage, awaiting, SLA, deadlines, exceptions, balance')
    .argument('<journeyId>')
    .action(async (journeyId: string) => {
      assertJourneyId(journeyId);
      const { journeys } = await ctx();
      const s = await journeys.status(journeyId);
      print(() => {
        const head = keyValues({
          journey: s.journeyId,
          stage: `${s.stage} (${s.stageLabel})`,
          awaiting: s.awaiting,
          sla: s.slaState,
          'on hold': s.onHold,
          payer: s.payerId,
          balance: formatUsd(s.balanceCents),
          paid: formatUsd(s.paidCents),
          claims: s.claimIds.join(', ') || '—',
          outcome: s.outcome,
          'pending approval': s.pendingApproval ? `${s.pendingApproval.kind} ${formatUsd(s.pendingApproval.amountCents)}` : undefined,
        });
        const deadlines = s.deadlines.length ? `\n\nDeadlines\n${table(s.deadlines.map((d) => ({ step: d.step, owner: d.owner, level: d.level, warn: d.warnAt, due: d.dueAt, breach: d.breachAt })))}` : '';
        const exceptions = s.openExceptions.length ? `\n\nOpen exceptions\n${table(s.openExceptions.map((e) => ({ queue: e.queue, reason: e.reason, opened: e.openedAt, ref: e.ref })))}` : '';
        return head + deadlines + exceptions;
      }, s);
    });

  program
    .command('timeline')
    .description('the audit timeline (who, what, when, why)')
    .argument('<journeyId>')
    .action(async (journeyId: string) => {
      assertJourneyId(journeyId);
      const { journeys } = await ctx();
      const t = await journeys.timeline(journeyId);
      print(() => (t.length ? table(t.map((e) => ({ at: e.at, stage: e.stage, action: e.action, actor: e.actor, role: e.role, reason: e.reason, detail: e.detail }))) : '(no entries)'), t);
    });

  program
    .command('list')
    .description('journeys by search attributes')
    .option('--stage <stage>')
    .option('--site <siteId>')
    .option('--payer <payerId>')
    .option('--sla <state>', 'on_track | warning | escalated | breached | on_hold')
    .option('--queue <queue>', 'open exception queue')
    .option('--open', 'running journeys only')
    .option('--limit <n>', 'at most n rows (default 50)')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const filter: JourneyListFilter = {
        ...(o.stage ? { stage: String(o.stage) } : {}),
        ...(o.site ? { siteId: String(o.site) } : {}),
        ...(o.payer ? { payerId: String(o.payer) } : {}),
        ...(o.sla ? { slaState: String(o.sla) } : {}),
        ...(o.queue ? { exceptionQueue: String(o.queue) } : {}),
        ...(o.open ? { executionStatus: 'Running' as const } : {}),
        ...(o.limit !== undefined ? { limit: integer(String(o.limit), '--limit') } : {}),
      };
      buildJourneyQuery(filter); // refuse bad filters before connecting
      listLimit(filter.limit);
      const { journeys } = await ctx();
      const rows = await journeys.list(filter);
      print(
        () =>
          rows.length
            ? table(rows.map((r) => ({ journey: r.journeyId, status: r.status, stage: r.stage, site: r.siteId, payer: r.payerId, sla: r.slaState, 'next deadline': r.nextDeadline, queues: r.exceptionQueues.join(',') || undefined, balance: r.balanceCents === undefined ? undefined : formatUsd(r.balanceCents), started: r.startTime })))
            : '(no journeys)',
        rows,
      );
    });

  // ------------------------------------------------------------------ payer messages
  program
    .command('deliver')
    .description('deliver a payer message (JSON payload file) to a journey; kept even if the journey does not exist yet')
    .addArgument(new Argument('<kind>', 'message kind').choices(['eligibility', 'prior_auth', 'claim_status', 'remittance']))
    .argument('<file.json>')
    .requiredOption('--site <siteId>')
    .requiredOption('--referral <referralId>')
    .addOption(new Option('--mode <mode>', 'update-with-start (waits for the receipt) or signal-with-start').choices(['update', 'signal']).default('update'))
    .action(async (kind: string, file: string, o: { site: string; referral: string; mode: 'update' | 'signal' }) => {
      const payload = readJson(file);
      const { journeys } = await ctx();
      const r = await journeys.deliverPayerMessage({ siteId: o.site, referralId: o.referral }, { kind, payload }, { mode: o.mode, correlationId });
      print(() => keyValues({ journey: r.journeyId, mode: r.mode, stage: r.receipt?.stage, duplicate: r.receipt?.duplicate ?? false, detail: r.receipt?.detail }), r);
    });

  program
    .command('ingest-835')
    .description('route every claim payment of an 835 file to its journey (by ClaimIds); unmatched claims go to the dead-letter store')
    .argument('<file>')
    .option('--strict', 'refuse structural X12 issues instead of reporting them')
    .addOption(new Option('--mode <mode>').choices(['update', 'signal']).default('update'))
    .action(async (file: string, o: { strict?: boolean; mode: 'update' | 'signal' }) => {
      const text = readText(file);
      const { journeys } = await ctx();
      const bar = await progressBar();
      const summary = await journeys.ingestRemittance(text, {
        strict: o.strict,
        mode: o.mode,
        correlationId,
        onProgress: ({ done, total }) => bar?.update(done, total),
      });
      bar?.stop();
      print(() => {
        const counts = table(
          (['transactions', 'claims', 'delivered', 'duplicates', 'unmatched', 'invalid', 'failed', 'unbalanced'] as const).map((k) => ({ count: k, value: summary[k] })),
        );
        const issues = summary.issues.length
          ? `\n\nIssues\n${table(summary.issues.map((i) => ({ severity: i.severity, code: i.code, claim: i.claimId, segment: i.segmentIndex, 'dead letter': i.deadLetterId, message: i.message })))}`
          : '';
        return counts + issues;
      }, summary);
      if (summary.failed > 0) process.exitCode = EXIT.error;
    });

  // ------------------------------------------------------------------ dead letters
  const dlq = program.command('dlq').description('dead-letter store (RCM_DLQ_FILE)');
  dlq
    .command('list')
    .option('--reason <reason>')
    .option('--all', 'include re-driven entries')
    .option('--limit <n>')
    .action(async (o: { reason?: string; all?: boolean; limit?: string }) => {
      const rows = await localDeadLetters().list({ reason: o.reason, includeRedriven: o.all, limit: o.limit ? integer(o.limit, '--limit') : undefined });
      print(() => (rows.length ? table(rows.map((r) => ({ id: r.id, at: r.at, source: r.source, reason: r.reason, redriven: r.redrivenAt, error: truncate(r.error, 80) }))) : '(no dead letters)'), rows);
    });
  dlq
    .command('show')
    .description('one dead letter with its payload (may contain member refs: PHI — do not paste into tickets)')
    .argument('<id>')
    .action(async (id: string) => {
      const entry = await localDeadLetters().get(id);
      if (!entry) throw new JourneyNotFoundError(`dead letter ${id}`);
      print(() => `${keyValues({ id: entry.id, at: entry.at, source: entry.source, reason: entry.reason, error: entry.error, correlation: entry.correlationId, redriven: entry.redrivenAt, outcome: entry.redriveOutcome })}\n\nPayload\n${JSON.stringify(entry.payload, null, 2)}`, entry);
    });
  dlq
    .command('redrive')
    .description('re-submit a dead letter through the same client path')
    .argument('<id>')
    .action(async (id: string) => {
      const { journeys, deadLetters } = await ctx();
      const entry = await deadLetters.get(id);
      if (!entry) throw new JourneyNotFoundError(`dead letter ${id}`);
      const r = await redriveDeadLetter(entry, { journeys, deadLetters });
      print(() => keyValues({ id: r.id, outcome: r.outcome }), r);
    });

  // ------------------------------------------------------------------ ingress, KPIs, schedules
  program
    .command('ingress')
    .description('run the HTTP ingress (RCM_INGRESS_HOST/PORT/SECRETS)')
    .option('--host <host>')
    .option('--port <port>')
    .action(async (o: { host?: string; port?: string }) => {
      const { journeys, deadLetters, settings } = await ctx();
      if (Object.keys(settings.ingress.secrets).length === 0) throw new CliInputError('RCM_INGRESS_SECRETS is empty: no sender could sign a request');
      const app = await createIngress({ journeys, deadLetters, senders: settings.ingress.secrets, logger: { level: process.env.RCM_LOG_LEVEL ?? 'info' } });
      const address = await app.listen({ host: o.host ?? settings.ingress.host, port: o.port ? integer(o.port, '--port') : settings.ingress.port });
      process.stderr.write(`rcm: ingress listening on ${address}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('decisions')
    .description('run the inbox + authenticated decisions API (RCM_OIDC_ISSUER, RCM_DECISIONS_HOST/PORT; see src/config/decisions.ts)')
    .action(async () => {
      const config = loadDecisionsConfig(process.env);
      const { journeys, client, settings } = await ctx();
      const appConfig = loadConfig(withoutIntegrationSettings(process.env));
      const app = await createDecisionsService({ config, journeys, client, sites: appConfig.sites.map((s) => s.id), approvalPolicyFor: sitePolicies(appConfig), logger: { level: process.env.RCM_LOG_LEVEL ?? 'info' } });
      const address = await app.listen({ host: config.host, port: config.port });
      process.stderr.write(`rcm: decisions service listening on ${address} (inbox ${config.publicUrl}/inbox, issuer ${config.issuer}, namespace ${settings.temporal.namespace})\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  program
    .command('kpis')
    .description('operational KPIs from visibility (search attributes only)')
    .option('--site <siteId>')
    .action(async (o: { site?: string }) => {
      const { client } = await ctx();
      const report = await kpiReport(client, o.site ? { siteId: o.site } : {});
      print(() => table(report.rows.map((r) => ({ kpi: r.kpi, value: r.value, unit: r.unit, note: r.note }))), report);
    });

  const schedule = program.command('schedule').description('Temporal schedules');
  schedule
    .command('reconcile')
    .description('create or update the daily reconciliation schedule of a site')
    .requiredOption('--site <siteId>')
    .option('--cron <expr>', 'cron in --tz (default 0 6 * * *)')
    .option('--interval <duration>', "instead of cron, e.g. '6 hours'")
    .option('--tz <zone>', 'IANA time zone (default UTC)')
    .option('--period-days <n>', 'days each run reconciles (default 1)')
    .option('--schedule-id <id>')
    .option('--paused', 'create paused')
    .action(async (o: { site: string; cron?: string; interval?: string; tz?: string; periodDays?: string; scheduleId?: string; paused?: boolean }) => {
      const { client, settings } = await ctx();
      const r = await ensureReconcileSchedule(client, {
        siteId: o.site,
        taskQueue: settings.taskQueueFor(o.site),
        ...(o.cron ? { cron: o.cron } : {}),
        ...(o.interval ? { interval: o.interval as never } : {}),
        ...(o.tz ? { timeZone: o.tz } : {}),
        ...(o.periodDays ? { periodDays: integer(o.periodDays, '--period-days') } : {}),
        ...(o.scheduleId ? { scheduleId: o.scheduleId } : {}),
        ...(o.paused ? { paused: true } : {}),
      });
      print(() => keyValues({ schedule: r.scheduleId, created: r.created }), r);
    });

  return program;
}

// ------------------------------------------------------------------ helpers

/** Temporal-only commands validate only what they use: integration variables are left out before validation. */
async function loadSettings(env: NodeJS.ProcessEnv): Promise<ClientSettings> {
  return clientSettings(withoutIntegrationSettings(env));
}

function signedIn(): CachedToken {
  const token = loadToken(tokenFile(process.env));
  if (!token) throw new CliAuthError('not signed in: run `rcm login`');
  if (Date.parse(token.expiresAt) <= Date.now()) throw new CliAuthError('the cached token has expired: run `rcm login`');
  return token;
}

/** A decisions API call with errors mapped onto rcm's exit codes. */
async function api<T>(token: CachedToken, method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<T> {
  try {
    return await callApi<T>(token, method, apiPath, body);
  } catch (err) {
    if (!(err instanceof ApiError)) throw new DecisionsUnreachableError(`cannot reach the decisions service at ${token.decisionsUrl} (${(err as Error).message})`);
    if (err.status === 401) throw new CliAuthError(`${err.message}: run \`rcm login\``);
    if (err.status === 403 || err.error === 'refused') throw new DecisionRefusedApiError(err.message);
    if (err.status === 404 || err.error === 'journey_closed') throw new NotFoundApiError(err.message);
    if (err.status === 400) throw new CliInputError(err.message);
    if (err.status >= 500) throw new DecisionsUnreachableError(err.message);
    throw err;
  }
}

class DecisionRefusedApiError extends Error {}
class NotFoundApiError extends Error {}
class DecisionsUnreachableError extends Error {}

function isConfigError(err: unknown): err is Error & { issues: string[] } {
  return err instanceof Error && err.name === 'ConfigError' && Array.isArray((err as { issues?: unknown }).issues);
}

function decisionInput(type: DecisionType, o: Record<string, string | undefined>): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  if (o.reason !== undefined) base.reason = o.reason;
  if (o.amount !== undefined && type !== 'hold' && type !== 'resume' && type !== 'cancel') base.amountCents = dollars(o.amount);
  if (type === 'completeCodingReview') {
    base.outcome = o.outcome;
    if (o.services) base.services = readJson(o.services);
  }
  if (type === 'decideWriteOff') base.decision = o.decision;
  if (type === 'hold' && o.until) base.until = o.until;
  return base;
}

export function assertJourneyId(journeyId: string): void {
  if (!parseJourneyWorkflowId(journeyId)) throw new CliInputError(`journey id must look like referral/<siteId>/<referralId>`);
}

function dollars(text: string): number {
  try {
    return parseCents(text);
  } catch (err) {
    if (err instanceof MoneyError) throw new CliInputError(`--amount: ${err.message}`);
    throw err;
  }
}

function integer(text: string, name: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new CliInputError(`${name} must be a whole number`);
  return Number(text);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliInputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliInputError(`${file} is not valid JSON`);
  }
}

async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void } | undefined> {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ stream: process.stderr, format: 'claims [{bar}] {value}/{total} {percentage}%', hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A plain text table; columns in first-seen order, empty columns dropped. */
export function table(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => cell(r[c]) !== ''));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

function keyValues(obj: Record<string, unknown>): string {
  const entries = Object.entries(obj).filter(([, v]) => cell(v) !== '');
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v)}`).join('\n');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CliInputError || err instanceof JourneyInputError || err instanceof RemittanceParseError || isConfigError(err)) return EXIT.input;
  if (err instanceof DecisionRefusedError || err instanceof DecisionRefusedApiError) return EXIT.refused;
  if (err instanceof CliAuthError) return EXIT.auth;
  if (err instanceof NotFoundApiError) return EXIT.notFound;
  if (err instanceof DecisionsUnreachableError) return EXIT.unavailable;
  if (err instanceof ApiError) return err.error === 'config' ? EXIT.input : EXIT.error;
  if (err instanceof JourneyNotFoundError || err instanceof JourneyClosedError) return EXIT.notFound;
  if (err instanceof JourneyUnavailableError) return EXIT.unavailable;
  if (err instanceof RedriveError) return EXIT.error;
  if (isGrpcServiceError(err) || /connect|UNAVAILABLE|ECONNREFUSED|deadline/i.test((err as Error)?.message ?? '')) return EXIT.unavailable;
  return EXIT.error;
}

function errorMessage(err: unknown): string {
  if (isConfigError(err)) return `invalid configuration: ${err.issues.join('; ')}`;
  if (err instanceof JourneyClientError || err instanceof CliInputError || err instanceof CliAuthError || err instanceof DecisionRefusedApiError || err instanceof NotFoundApiError || err instanceof DecisionsUnreachableError) return err.message;
  if (exitCodeFor(err) === EXIT.unavailable) return `cannot reach Temporal (${(err as Error).message})`;
  return err instanceof Error ? err.message : String(err);
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help/version exit 0; usage errors were already printed as one line by configureOutput
      return err.exitCode === 0 ? 0 : EXIT.input;
    }
    process.stderr.write(`rcm: error: ${oneLine(errorMessage(err))}\n`);
    return exitCodeFor(err);
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
