import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../../src/activities/smoke';
import { dataConverter } from '../../src/client/codec';
import { smokeCheck, smokeNote, smokeSetLimit } from '../../src/workflows/smoke';
import { quietRuntime, testWorkerLimits, uniqueTaskQueue, workflowBundle } from '../support/temporal';

/**
 * With the codec on both client and worker, the server only ever stores ciphertext: a codec-less client reading the
 * raw history finds no plaintext marker anywhere, and every payload says `binary/encrypted` with a key id.
 */
const MARKER = 'PHI-MARKER-Jane-Roe-1970-01-01';

type AnyPayload = { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null };

/** Every payload in the history except search attributes (those are plaintext by design and PHI-free by contract). */
function collectPayloads(node: unknown, out: AnyPayload[], key = ''): void {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
  if (key === 'searchAttributes') return;
  const obj = node as Record<string, unknown>;
  if ('data' in obj && 'metadata' in obj && (obj.data instanceof Uint8Array || obj.data == null) && obj.metadata && typeof obj.metadata === 'object') {
    out.push(obj as AnyPayload);
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    if (Array.isArray(v)) v.forEach((item) => collectPayloads(item, out, k));
    else collectPayloads(v, out, k);
  }
}

describe('PHI codec end to end (dev server)', () => {
  it('keeps plaintext out of the raw history; the codec client still reads everything', async () => {
    quietRuntime();
    const address = process.env.TEMPORAL_TEST_ADDRESS!;
    const dc = dataConverter({ codec: { keys: [{ id: 'k-test', key: randomBytes(32) }], activeKeyId: 'k-test' } })!;
    const taskQueue = uniqueTaskQueue('codec');
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities: createSmokeActivities({ greeting: MARKER }),
      dataConverter: dc,
      ...testWorkerLimits,
    });
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, dataConverter: dc });
    const raw = new Client({ connection });
    try {
      const result = await worker.runUntil(async () => {
        const handle = await client.workflow.start(smokeCheck, { taskQueue, workflowId: `codec-${taskQueue}`, args: [{ waitDays: 1 }] });
        await handle.signal(smokeNote, MARKER);
        expect(await handle.executeUpdate(smokeSetLimit, { args: [7] })).toBe(0);
        await expect(handle.executeUpdate(smokeSetLimit, { args: [-1] })).rejects.toThrow();
        await handle.signal(smokeNote, 'finish');
        return handle.result();
      });
      // The codec client decodes everything.
      expect(result).toEqual({ echoed: `${MARKER}: smoke`, notes: [MARKER, 'finish'], limit: 7, outcome: 'finished' });

      const history = await raw.workflow.getHandle(`codec-${taskQueue}`).fetchHistory();
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      expect(bytes.includes(Buffer.from(MARKER))).toBe(false);
      expect(bytes.includes(Buffer.from('Jane-Roe'))).toBe(false);

      const payloads: AnyPayload[] = [];
      collectPayloads(history, payloads);
      // input, activity input + result, two signals, update args + result, workflow result at least
      expect(payloads.length).toBeGreaterThanOrEqual(8);
      for (const p of payloads) {
        expect(Buffer.from(p.metadata!.encoding).toString()).toBe('binary/encrypted');
        expect(Buffer.from(p.metadata!['encryption-key-id']).toString()).toBe('k-test');
      }

      // Without the codec the result is ciphertext the client cannot read.
      await expect(raw.workflow.getHandle(`codec-${taskQueue}`).result()).rejects.toThrow();
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
