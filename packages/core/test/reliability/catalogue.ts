/**
 * Test helpers of the bad-input catalogue: each case runs one call with a bad input and checks
 * that it fails with the expected typed error, whose message names the problem and the fix.
 */
import { expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AigcError } from '@aigc/core';

/** An error class of aigc, checked with its static `isInstance` (works across package copies). */
export interface ErrorClass {
  readonly name: string;
  isInstance(error: unknown): boolean;
}

/** One bad input: what to call, the error class it must raise, and what the message must say. */
export interface BadCase {
  /** Short name of the case, used as the test name. */
  readonly name: string;
  /** The call with a bad input; may be async. */
  readonly run: () => unknown;
  /** The typed error it must raise. */
  readonly error: ErrorClass;
  /** The message must name what was wrong. */
  readonly what: RegExp;
  /** The message must say what to do next. */
  readonly fix: RegExp;
  /** Runs after the error was checked (e.g. assert no half-written file). */
  readonly after?: () => void | Promise<void>;
}

/** Runs `run` and returns what it threw (sync or async); fails the test if it did not throw. */
export async function captureError(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts that `error` is an aigc error of `cls` whose message matches `what` and `fix`. */
export function expectTyped(error: unknown, cls: ErrorClass, what: RegExp, fix: RegExp): void {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  expect(AigcError.isInstance(error), `not an AigcError: ${detail}`).toBe(true);
  expect(cls.isInstance(error), `expected ${cls.name}, got ${detail}`).toBe(true);
  const message = (error as Error).message;
  expect(message).toMatch(what);
  expect(message).toMatch(fix);
}

/** Case names registered so far, to count the catalogue and keep names distinct. */
export const registeredCases = new Set<string>();

/** Registers one vitest test per case. */
export function catalogue(cases: readonly BadCase[]): void {
  for (const c of cases) {
    if (registeredCases.has(c.name)) throw new Error(`duplicate bad-input case "${c.name}"`);
    registeredCases.add(c.name);
    it(c.name, async () => {
      expectTyped(await captureError(c.run), c.error, c.what, c.fix);
      await c.after?.();
    });
  }
}

/** Every file under `dir` (recursively), relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Asserts `dir` holds no temporary or partial files (names ending in `.tmp` or `.partial`). */
export function expectNoTempFiles(dir: string): void {
  const leftovers = listFiles(dir).filter((f) => /\.(tmp|partial)$/.test(f));
  expect(leftovers, `half-written files left in ${dir}`).toEqual([]);
}
