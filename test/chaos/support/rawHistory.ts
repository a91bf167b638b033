import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ENCODING, METADATA_ENCODING_KEY } from '../../../src/client/codec';

/**
 * A journey's history exactly as the server stores it (no data converter, no codec): what anyone with database or
 * API access reads. For the PHI scan with the codec on.
 */
export async function rawHistoryBytes(client: Client, workflowId: string): Promise<{ bytes: Buffer; events: temporal.api.history.v1.IHistoryEvent[] }> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const res = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId }, ...(nextPageToken?.length ? { nextPageToken } : {}) });
    events.push(...(res.history?.events ?? []));
    nextPageToken = res.nextPageToken ?? undefined;
  } while (nextPageToken?.length);
  return { bytes: Buffer.from(temporal.api.history.v1.History.encode({ events }).finish()), events };
}

export interface PayloadCensus {
  /** payloads the codec must have sealed */
  encrypted: number;
  /**
   * paths of payloads that are not sealed. Skipped: search attributes (the server indexes them, so never sealed) and
   * patch markers' `patch-data` (SDK core writes the patch id, a code constant, itself — not through the codec).
   */
  plain: string[];
}

/** Walk every Payload in the events (anything with `metadata` and `data`) and check its encoding. */
export function payloadCensus(events: temporal.api.history.v1.IHistoryEvent[]): PayloadCensus {
  const census: PayloadCensus = { encrypted: 0, plain: [] };
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    if (/searchAttributes/i.test(where) || /MARKER_RECORDED\.markerRecordedEventAttributes\.details\.patch-data\b/.test(where)) return;
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) {
      const enc = (o.metadata as Record<string, Uint8Array>)[METADATA_ENCODING_KEY];
      if (enc && Buffer.from(enc).toString('utf8') === ENCODING) census.encrypted++;
      else census.plain.push(`${where} (${enc ? Buffer.from(enc).toString('utf8') : 'no encoding'})`);
      return;
    }
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}.${k}[${i}]`));
      else walk(v, `${where}.${k}`);
    }
  };
  events.forEach((e, i) => walk(e, `event ${i + 1} ${temporal.api.enums.v1.EventType[e.eventType ?? 0]}`));
  return census;
}
