/** Typed access to the provisioned Temporal binaries (see scripts/provision-temporal.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { provision } = require('../provision-temporal.js') as { provision: (o?: { quiet?: boolean }) => TemporalTools };

export interface TemporalTools {
  cli: { path: string; source: string; version?: string };
  testServer: { path: string; source: string };
}

let cached: TemporalTools | undefined;

/** Provisions lazily (a no-op once .tools/temporal.json exists) and returns the binary paths. */
export function temporalTools(): TemporalTools {
  cached ??= provision({ quiet: true });
  return cached;
}
