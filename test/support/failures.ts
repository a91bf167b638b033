import { ApplicationFailure } from '@temporalio/common';

/** Await a call that must fail with a typed ApplicationFailure and return it (for type/nonRetryable assertions). */
export async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected the call to fail');
}
