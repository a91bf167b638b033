import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_REGISTRY } from '../../src/workflows/searchAttributes';

/**
 * The journeys need the project's search attributes (SiteId, Stage, ClaimIds, …) on the namespace. A fresh dev server
 * gets them from its `--search-attribute` flags; a `.data/temporal.db` from an earlier version of the project may miss
 * newer ones, and a server given by TEMPORAL_ADDRESS may have none. This adds the missing ones through the operator
 * service when allowed (`create`), and otherwise names them with the command that creates them.
 */
const TYPES = temporal.api.enums.v1.IndexedValueType;
const BY_NAME = {
  Keyword: TYPES.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: TYPES.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: TYPES.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Int: TYPES.INDEXED_VALUE_TYPE_INT,
} as const;

async function missingAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const res = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = new Set([...Object.keys(res.customAttributes ?? {}), ...Object.keys(res.systemAttributes ?? {})]);
  return Object.keys(SEARCH_ATTRIBUTE_REGISTRY).filter((name) => !existing.has(name));
}

export async function ensureSearchAttributes(connection: Connection, namespace: string, opts: { create: boolean }): Promise<string[]> {
  const missing = await missingAttributes(connection, namespace);
  if (missing.length === 0) return [];
  const hint = () =>
    `namespace ${namespace} lacks the search attribute(s) ${missing.join(', ')}; create them with\n` +
    missing.map((n) => `  temporal operator search-attribute create --namespace ${namespace} --name ${n} --type ${SEARCH_ATTRIBUTE_REGISTRY[n]}`).join('\n');
  if (!opts.create) throw new Error(hint());
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((n) => [n, BY_NAME[SEARCH_ATTRIBUTE_REGISTRY[n]]])),
    });
  } catch (err) {
    throw new Error(`${hint()}\n(adding them failed: ${(err as Error).message})`);
  }
  // Visible to the frontend shortly after; wait so the first start does not race the registration.
  const deadline = Date.now() + 15_000;
  while ((await missingAttributes(connection, namespace)).length > 0) {
    if (Date.now() > deadline) throw new Error(hint());
    await new Promise((r) => setTimeout(r, 250));
  }
  return missing;
}
