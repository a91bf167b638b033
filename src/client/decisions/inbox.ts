import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { ApprovalPolicy } from '../../domain/approvals/policy';
import { formatUsd } from '../../domain/money';
import type { Role } from '../../domain/schemas/common';
import { BalanceCents, ExceptionQueue, NextDeadline, PayerId, SiteId, SlaState, Stage } from '../../workflows/searchAttributes';
import { JOURNEY_WORKFLOW_TYPE, quoteValue } from '../visibility';

/**
 * The inbox's work queues as visibility queries over the journeys' search attributes (never a scan of histories):
 * a count per queue (CountWorkflowExecutions) and one page of rows at a time (ListWorkflowExecutions with the
 * server's page token).
 */
export interface QueueDef {
  id: string;
  label: string;
  /** the visibility clause after `WorkflowType = … AND ExecutionStatus = 'Running'` */
  clause: string;
  /** roles for whom this queue is "mine" (shown first); empty = everyone's */
  roles: readonly Role[];
}

/** Exception queues the journey opens (ExceptionQueue keyword list; docs/OPERATIONS.md "Exception queues"). */
export const EXCEPTION_QUEUES = [
  'integration_failure',
  'intake_documents',
  'eligibility',
  'authorization',
  'coding_review',
  'timely_filing',
  'write_off_approval',
  'cash_posting_team',
  'patient_dispute',
  'eligibility_cob',
  'coding',
  'documentation',
  'medical_necessity',
  'credentialing',
  'duplicate',
  'general_review',
] as const;

const APPROVER_ROLES: Role[] = ['billing_specialist', 'billing_supervisor', 'revenue_cycle_manager', 'cfo'];
/** Whose work an exception queue is (highlighted as "mine"); others are everyone's. */
const EXCEPTION_OWNERS: Partial<Record<(typeof EXCEPTION_QUEUES)[number], Role[]>> = {
  write_off_approval: APPROVER_ROLES,
  coding_review: ['coder', 'coding_supervisor'],
  coding: ['coder', 'coding_supervisor'],
  intake_documents: ['intake_coordinator'],
  integration_failure: ['billing_supervisor', 'revenue_cycle_manager'],
};

export const QUEUES: readonly QueueDef[] = [
  { id: 'approvals', label: 'Billing release approvals', clause: `Stage = 'billing_approval'`, roles: APPROVER_ROLES },
  { id: 'coding-review', label: 'Coding (review by a coder)', clause: `Stage = 'coding'`, roles: ['coder', 'coding_supervisor'] },
  { id: 'sla-at-risk', label: 'SLA at risk', clause: `SlaState IN ('warning', 'escalated')`, roles: [] },
  { id: 'sla-breached', label: 'SLA breached', clause: `SlaState = 'breached'`, roles: [] },
  { id: 'balances', label: 'Open balances', clause: `BalanceCents > 0`, roles: APPROVER_ROLES },
  ...EXCEPTION_QUEUES.map((q) => ({ id: `exception-${q}`, label: `Exceptions: ${q.replace(/_/g, ' ')}`, clause: `ExceptionQueue = '${q}'`, roles: EXCEPTION_OWNERS[q] ?? [] })),
  { id: 'all', label: 'All running journeys', clause: '', roles: [] },
];

export const MY_APPROVALS = 'my-approvals';

/**
 * "Pending approvals for my role": billing releases whose amount (BalanceCents while the release is pending) is within
 * the highest billing_release limit the user's roles have at the site. Undefined when no role may release claims.
 */
export function myApprovalsQueue(roles: readonly Role[], policy: ApprovalPolicy): QueueDef | undefined {
  const limits = roles.map((r) => policy.limits[r]?.billing_release).filter((l) => l !== undefined);
  if (limits.length === 0) return undefined;
  const unlimited = limits.includes('unlimited');
  const limit = Math.max(...limits.filter((l): l is number => l !== 'unlimited'));
  return {
    id: MY_APPROVALS,
    label: unlimited ? 'Billing releases I may approve (any amount)' : `Billing releases I may approve (up to ${formatUsd(limit)})`,
    clause: unlimited ? `Stage = 'billing_approval'` : `Stage = 'billing_approval' AND BalanceCents <= ${Math.trunc(limit)}`,
    roles,
  };
}

/** The queues offered to a user: their own approvals first (when they have a limit), then the shared ones. */
export function queuesFor(roles: readonly Role[], policy: ApprovalPolicy): QueueDef[] {
  const mine = myApprovalsQueue(roles, policy);
  return mine ? [mine, ...QUEUES] : [...QUEUES];
}

export function queueById(id: string, queues: readonly QueueDef[] = QUEUES): QueueDef | undefined {
  return queues.find((q) => q.id === id);
}

export function queueQuery(queue: QueueDef, siteId?: string): string {
  const clauses = [`WorkflowType = '${JOURNEY_WORKFLOW_TYPE}'`, `ExecutionStatus = 'Running'`];
  if (queue.clause) clauses.push(queue.clause);
  if (siteId) clauses.push(`SiteId = ${quoteValue('site', siteId)}`);
  return clauses.join(' AND ');
}

export interface InboxRow {
  journeyId: string;
  runId: string;
  siteId?: string;
  payerId?: string;
  stage?: string;
  slaState?: string;
  nextDeadline?: string;
  exceptionQueues: string[];
  balanceCents?: number;
  startTime?: string;
  /** whole days since the journey started */
  ageDays?: number;
}

export interface InboxPage {
  rows: InboxRow[];
  /** opaque (base64url) token of the next page, absent on the last page */
  nextPageToken?: string;
}

export async function countQueue(client: Client, queue: QueueDef, siteId?: string): Promise<number> {
  const { count } = await client.workflow.count(queueQuery(queue, siteId));
  return count;
}

export async function listQueuePage(client: Client, queue: QueueDef, opts: { siteId?: string; pageSize?: number; pageToken?: string; now?: number }): Promise<InboxPage> {
  const res = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    query: queueQuery(queue, opts.siteId),
    pageSize: opts.pageSize ?? 25,
    ...(opts.pageToken ? { nextPageToken: Buffer.from(opts.pageToken, 'base64url') } : {}),
  });
  const now = opts.now ?? Date.now();
  const rows = (res.executions ?? []).map((raw): InboxRow => {
    const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
    const startMs = raw.startTime?.seconds != null ? Number(raw.startTime.seconds) * 1000 : undefined;
    const deadline = sa.get(NextDeadline);
    const row: InboxRow = { journeyId: raw.execution?.workflowId ?? '', runId: raw.execution?.runId ?? '', exceptionQueues: sa.get(ExceptionQueue) ?? [] };
    const set = <K extends keyof InboxRow>(k: K, v: InboxRow[K] | undefined) => {
      if (v !== undefined) row[k] = v;
    };
    set('siteId', sa.get(SiteId));
    set('payerId', sa.get(PayerId));
    set('stage', sa.get(Stage));
    set('slaState', sa.get(SlaState));
    set('nextDeadline', deadline?.toISOString());
    set('balanceCents', sa.get(BalanceCents));
    if (startMs !== undefined) {
      row.startTime = new Date(startMs).toISOString();
      row.ageDays = Math.floor((now - startMs) / 86_400_000);
    }
    return row;
  });
  const token = res.nextPageToken && res.nextPageToken.length > 0 ? Buffer.from(res.nextPageToken).toString('base64url') : undefined;
  return { rows, ...(token ? { nextPageToken: token } : {}) };
}
