/**
 * Estimate of Temporal Cloud billable actions from workflow event histories (issue 15, "Cost").
 *
 * What counts follows Temporal Cloud's "Actions" page (https://docs.temporal.io/cloud/actions): workflow started
 * (client start, continue-as-new, child start), activity scheduled, timer started, signal, update accepted, search
 * attribute / properties upsert, marker recorded. Where we approximate, on purpose:
 * - Signals are counted on both sides when one workflow signals another (SignalExternalWorkflowExecutionInitiated on
 *   the sender, WorkflowExecutionSignaled on the receiver): an upper bound, so a budget met here is met on Cloud.
 * - Activity retries, heartbeats, queries and workflow-task-local work are not in the history and are not counted;
 *   all local activities of one workflow task bill as one action on Cloud, we count each marker (upper bound again).
 * - A child's start is billed once: `sumJourneyActions` counts it on the parent (ChildWorkflowExecutionStarted)
 *   and drops the child's own WorkflowExecutionStarted.
 *
 * Accepts both shapes we meet: proto objects from `handle.fetchHistory()` / `historyFromJSON` (numeric eventType,
 * unset attributes null) and the raw JSON of test/histories (string eventType). It keys on which attribute field is
 * set, which both shapes share.
 */

export type ActionCategory =
  | 'workflowStarted'
  | 'childStarted'
  | 'continuedAsNew'
  | 'activityScheduled'
  | 'timerStarted'
  | 'signalSent'
  | 'signalReceived'
  | 'updateAccepted'
  | 'upsert'
  | 'marker';

export type ActionBreakdown = Record<ActionCategory, number> & { total: number };

/** The slice of a history event we read: just which attributes are present (and whether the start had a parent). */
export interface HistoryEventLike {
  workflowExecutionStartedEventAttributes?: { parentWorkflowExecution?: unknown } | null;
  [attributes: string]: unknown;
}

export interface HistoryLike {
  events?: ReadonlyArray<HistoryEventLike> | null;
}

const CATEGORY_BY_ATTRIBUTES: ReadonlyArray<readonly [string, ActionCategory]> = [
  ['workflowExecutionStartedEventAttributes', 'workflowStarted'],
  ['childWorkflowExecutionStartedEventAttributes', 'childStarted'],
  ['workflowExecutionContinuedAsNewEventAttributes', 'continuedAsNew'],
  ['activityTaskScheduledEventAttributes', 'activityScheduled'],
  ['timerStartedEventAttributes', 'timerStarted'],
  ['signalExternalWorkflowExecutionInitiatedEventAttributes', 'signalSent'],
  ['workflowExecutionSignaledEventAttributes', 'signalReceived'],
  ['workflowExecutionUpdateAcceptedEventAttributes', 'updateAccepted'],
  ['upsertWorkflowSearchAttributesEventAttributes', 'upsert'],
  ['workflowPropertiesModifiedEventAttributes', 'upsert'],
  ['markerRecordedEventAttributes', 'marker'],
];

export function emptyBreakdown(): ActionBreakdown {
  return {
    workflowStarted: 0,
    childStarted: 0,
    continuedAsNew: 0,
    activityScheduled: 0,
    timerStarted: 0,
    signalSent: 0,
    signalReceived: 0,
    updateAccepted: 0,
    upsert: 0,
    marker: 0,
    total: 0,
  };
}

/** The category an event bills under, or null if it is not billable. */
export function categoryOf(event: HistoryEventLike): ActionCategory | null {
  for (const [field, category] of CATEGORY_BY_ATTRIBUTES) {
    if (event[field] != null) return category;
  }
  return null;
}

/** Billable actions in one history, by category. */
export function countBillableActions(history: HistoryLike): ActionBreakdown {
  const out = emptyBreakdown();
  for (const event of history.events ?? []) {
    const category = categoryOf(event);
    if (category === null) continue;
    out[category] += 1;
    out.total += 1;
  }
  return out;
}

function startedAsChild(history: HistoryLike): boolean {
  const first = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  return first?.parentWorkflowExecution != null;
}

/**
 * A journey and its children together. Each child's own start is dropped because the parent's
 * ChildWorkflowExecutionStarted already billed it once.
 */
export function sumJourneyActions(parent: HistoryLike, children: ReadonlyArray<HistoryLike>): ActionBreakdown {
  const out = countBillableActions(parent);
  for (const child of children) {
    const counted = countBillableActions(child);
    if (startedAsChild(child) && counted.workflowStarted > 0) {
      counted.workflowStarted -= 1;
      counted.total -= 1;
    }
    for (const key of Object.keys(counted) as Array<keyof ActionBreakdown>) out[key] += counted[key];
  }
  return out;
}

/** Where a child's history lives: what the parent's ChildWorkflowExecutionStarted events name. */
export function childWorkflowIds(parent: HistoryLike): string[] {
  const ids: string[] = [];
  for (const event of parent.events ?? []) {
    const started = event['childWorkflowExecutionStartedEventAttributes'] as
      | { workflowExecution?: { workflowId?: string | null } | null }
      | null
      | undefined;
    const id = started?.workflowExecution?.workflowId;
    if (id) ids.push(id);
  }
  return ids;
}

/** Anything that hands back a workflow's history by id (a Temporal `Client`'s `workflow.getHandle(id).fetchHistory()`). */
export type FetchHistory = (workflowId: string) => Promise<HistoryLike>;

/** Fetches a journey and the children it started, and sums their actions. */
export async function journeyActions(
  fetchHistory: FetchHistory,
  journeyWorkflowId: string,
): Promise<{ breakdown: ActionBreakdown; parent: ActionBreakdown; children: Record<string, ActionBreakdown> }> {
  const parent = await fetchHistory(journeyWorkflowId);
  const ids = childWorkflowIds(parent);
  const histories = await Promise.all(ids.map((id) => fetchHistory(id)));
  const children: Record<string, ActionBreakdown> = {};
  ids.forEach((id, i) => {
    children[id] = countBillableActions(histories[i]);
  });
  return { breakdown: sumJourneyActions(parent, histories), parent: countBillableActions(parent), children };
}
