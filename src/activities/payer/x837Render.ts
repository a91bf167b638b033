import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { issuesOf } from '../../domain/schemas/common';
import { claimIdempotencyKey, controlNumberFor } from './client';
import { x837SettingsFromEnv } from './config';
import { build837P, type X837Claim } from './x837';
import { ClaimRenderInputSchema } from './x837Schema';

/**
 * Render the 837P the journey would send for a claim input file (for billing staff and tests to inspect): the same
 * builder and envelope settings (PAYER_SUBMITTER_*, PAYER_RECEIVER_*, PAYER_BILLING_*, PAYER_X12_USAGE) as the submit
 * activity; the demographics the activity would read from Odoo are given inline, synthetic in examples/.
 */

export class X837InputError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'X837InputError';
  }

  toJSON() {
    return { error: 'invalid_claim', message: this.message, issues: this.issues };
  }
}

const OptionsSchema = z.object({
  controlNumber: z.coerce.number().int().min(1).max(999_999_999).optional(),
  date: z.string().datetime({ offset: true }).optional(),
});

export function render837(input: unknown, options: { controlNumber?: string; date?: string } = {}, env: Record<string, string | undefined> = process.env): string {
  const opts = OptionsSchema.safeParse(options);
  if (!opts.success) throw new X837InputError('invalid options', issuesOf(opts.error).map((i) => `--${i.path}: ${i.message}`));
  const parsed = ClaimRenderInputSchema.safeParse(input);
  if (!parsed.success) throw new X837InputError('the claim input does not match the 837P claim schema', issuesOf(parsed.error).map((i) => `${i.path || '(root)'}: ${i.message}`));
  const claim = parsed.data as X837Claim;
  const { subscriber: _s, patient: _p, ...submission } = parsed.data;
  const settings = x837SettingsFromEnv(env);
  try {
    return build837P(claim, {
      sender: settings.submitter,
      receiver: settings.receiver,
      billingProvider: settings.billingProvider,
      payerName: claim.payerId,
      // Same ISA13 as the submit activity would derive from the claim's idempotency key.
      controlNumber: opts.data.controlNumber ?? controlNumberFor(claimIdempotencyKey(submission)),
      now: opts.data.date ? new Date(opts.data.date) : new Date(),
      usage: settings.x12Usage,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new X837InputError('the claim cannot be written as an 837P', [e.message]);
    throw e;
  }
}

export async function render837File(file: string, options: { controlNumber?: string; date?: string } = {}): Promise<string> {
  const text = await readFile(file, 'utf8');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new X837InputError(`${file} is not JSON`, [e instanceof Error ? e.message : String(e)]);
  }
  return render837(input, options);
}
