import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTools } from '../scripts/temporal/tools';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../src/workflows/searchAttributes';

/** The provisioned time-skipping test server with the journeys' search attributes (it takes no CLI flag for them). */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTools().testServer.path } } });
  const t = temporal.api.enums.v1.IndexedValueType;
  const byName = { Keyword: t.INDEXED_VALUE_TYPE_KEYWORD, Datetime: t.INDEXED_VALUE_TYPE_DATETIME, KeywordList: t.INDEXED_VALUE_TYPE_KEYWORD_LIST, Int: t.INDEXED_VALUE_TYPE_INT };
  await (env.client.connection as Connection).operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_REGISTRY).map(([name, type]) => [name, byName[type]])),
  });
  return env;
}
