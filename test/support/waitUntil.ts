/**
 * Wait on a condition instead of reading right after an action: signals, updates, activities, visibility and
 * exporters all take effect asynchronously (a signal that arrives during an in-flight workflow task reaches the
 * history only when that task completes). Polls `fn` until it returns a truthy value and returns that value.
 * An error thrown by `fn` counts as "not yet"; the last one is named in the timeout message.
 */
export async function waitUntil<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const cause = lastError ? ` (last error: ${(lastError as Error).message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}
