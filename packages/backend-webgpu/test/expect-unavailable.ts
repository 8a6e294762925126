/** Test helper shared by the adapter packages' tests. */
import { expect } from 'vitest';
import { BackendUnavailableError } from '@aigc/core';

/** Awaits `p`, expects it to reject with a BackendUnavailableError, and returns that error. */
export async function unavailableError(p: Promise<unknown>): Promise<BackendUnavailableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(BackendUnavailableError.isInstance(e), `expected a BackendUnavailableError, got ${String(e)}`).toBe(true);
  return e as BackendUnavailableError;
}
