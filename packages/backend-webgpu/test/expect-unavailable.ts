/** Test helper shared by the adapter packages' tests. */
import { expect } from 'vitest';
import { BackendUnavailableError, UnknownOptionError } from '@aigc/core';

/** Awaits `p`, expects it to reject with a BackendUnavailableError, and returns that error. */
export async function unavailableError(p: Promise<unknown>): Promise<BackendUnavailableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(BackendUnavailableError.isInstance(e), `expected a BackendUnavailableError, got ${String(e)}`).toBe(true);
  return e as BackendUnavailableError;
}

/** Calls `fn`, expects it to throw an UnknownOptionError, and returns that error. */
export function unknownOptionError(fn: () => unknown): UnknownOptionError {
  let e: unknown;
  try {
    fn();
  } catch (err) {
    e = err;
  }
  expect(UnknownOptionError.isInstance(e), `expected an UnknownOptionError, got ${String(e)}`).toBe(true);
  return e as UnknownOptionError;
}
