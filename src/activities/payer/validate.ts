import type { z } from 'zod';
import { issuesOf } from '../../domain/schemas/common';
import { FailureType, permanentFailure } from '../errors';

/**
 * Validate an activity input; a bad input can never succeed on retry, so it is a non-retryable ValidationError whose
 * details list field paths only (no values: inputs hold member references and codes).
 */
export function validInput<S extends z.ZodTypeAny>(schema: S, value: unknown, activity: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw permanentFailure(FailureType.Validation, `${activity}: invalid input`, { issues: issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`) });
  return parsed.data;
}
