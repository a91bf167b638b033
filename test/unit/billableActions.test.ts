import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import {
  categoryOf,
  childWorkflowIds,
  countBillableActions,
  journeyActions,
  sumJourneyActions,
  type HistoryLike,
} from '../../src/client/billableActions';

const dir = path.resolve(__dirname, '../histories');
const raw = (name: string): HistoryLike => JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));

describe('billable actions from a workflow history', () => {
  it('counts each billable event type once and ignores workflow-task and completion events', () => {
    const history: HistoryLike = {
      events: [
        { workflowExecutionStartedEventAttributes: {} },
        { workflowTaskScheduledEventAttributes: {} },
        { workflowTaskCompletedEventAttributes: {} },
        { activityTaskScheduledEventAttributes: {} },
        { activityTaskCompletedEventAttributes: {} },
        { timerStartedEventAttributes: {} },
        { timerFiredEventAttributes: {} },
        { signalExternalWorkflowExecutionInitiatedEventAttributes: {} },
        { externalWorkflowExecutionSignaledEventAttributes: {} },
        { workflowExecutionSignaledEventAttributes: {} },
        { workflowExecutionUpdateAcceptedEventAttributes: {} },
        { workflowExecutionUpdateCompletedEventAttributes: {} },
        { upsertWorkflowSearchAttributesEventAttributes: {} },
        { workflowPropertiesModifiedEventAttributes: {} },
        { startChildWorkflowExecutionInitiatedEventAttributes: {} },
        { childWorkflowExecutionStartedEventAttributes: { workflowExecution: { workflowId: 'c-1' } } },
        { markerRecordedEventAttributes: {} },
        { workflowExecutionContinuedAsNewEventAttributes: {} },
      ],
    };
    expect(countBillableActions(history)).toEqual({
      workflowStarted: 1,
      childStarted: 1,
      continuedAsNew: 1,
      activityScheduled: 1,
      timerStarted: 1,
      signalSent: 1,
      signalReceived: 1,
      updateAccepted: 1,
      upsert: 2,
      marker: 1,
      total: 11,
    });
    expect(childWorkflowIds(history)).toEqual(['c-1']);
  });

  it('treats null attributes (proto objects) as absent', () => {
    expect(categoryOf({ activityTaskScheduledEventAttributes: null, timerStartedEventAttributes: {} })).toBe('timerStarted');
    expect(countBillableActions({ events: null }).total).toBe(0);
  });

  it('gives the same count for raw JSON and the proto objects the client returns', () => {
    const json = raw('journey-happy');
    const proto = historyFromJSON(json) as unknown as HistoryLike;
    const a = countBillableActions(json);
    expect(a.total).toBeGreaterThan(0);
    expect(countBillableActions(proto)).toEqual(a);
    // the recorded happy path: what a reader can check against the event counts in the file
    const types = (json.events ?? []).map((e) => (e as { eventType?: string }).eventType);
    const n = (t: string) => types.filter((x) => x === t).length;
    expect(a.activityScheduled).toBe(n('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'));
    expect(a.upsert).toBe(n('EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') + n('EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED'));
    expect(a.signalReceived).toBe(n('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'));
  });

  it('sums a journey and its children, billing each child start once', () => {
    const parent = raw('journey-happy');
    const kids = ['claimLifecycle', 'patientBalance', 'priorAuth'].map((k) => raw(`journey-happy--${k}`));
    const sum = sumJourneyActions(parent, kids);
    const separately = [parent, ...kids].map((h) => countBillableActions(h).total).reduce((x, y) => x + y, 0);
    expect(countBillableActions(parent).childStarted).toBe(3);
    expect(sum.total).toBe(separately - 3);
    expect(sum.workflowStarted).toBe(1);
  });

  it('fetches the children a journey names and sums them', async () => {
    const parent: HistoryLike = {
      events: [
        { workflowExecutionStartedEventAttributes: {} },
        { childWorkflowExecutionStartedEventAttributes: { workflowExecution: { workflowId: 'kid' } } },
      ],
    };
    const kid: HistoryLike = {
      events: [
        { workflowExecutionStartedEventAttributes: { parentWorkflowExecution: { workflowId: 'p' } } },
        { activityTaskScheduledEventAttributes: {} },
      ],
    };
    const fetched: string[] = [];
    const result = await journeyActions(async (id) => {
      fetched.push(id);
      return id === 'p' ? parent : kid;
    }, 'p');
    expect(fetched).toEqual(['p', 'kid']);
    expect(result.breakdown.total).toBe(3);
    expect(result.children.kid.total).toBe(2);
  });
});
