/** Assertions and a printed summary shared by the Node and Chromium parity suites. */
import { expect } from 'vitest';
import type { ParityCase, ParityFailure, ParityResult } from './cases.js';
import { compareRuns, isResult, LOSS_ATOL, LOSS_RTOL, WEIGHT_ATOL, type ParityDiff } from './compare.js';

/** Key of a case in result maps. */
export const caseKey = (c: ParityCase): string => `${c.model} × ${c.loss}`;

/** Indexes results by case. */
export function byCase(results: ReadonlyArray<ParityResult | ParityFailure>): Map<string, ParityResult | ParityFailure> {
  return new Map(results.map((r) => [caseKey(r), r]));
}

/**
 * Asserts that `actual` ran (a failure must be a clear error and still fails the test), reports
 * `expectedBackend`, leaked no tensors, and matches the reference within the tolerances.
 */
export function expectParity(actual: ParityResult | ParityFailure | undefined, reference: ParityResult | ParityFailure | undefined, expectedBackend: string): ParityDiff {
  expect(reference, 'reference run missing').toBeDefined();
  expect(actual, 'backend run missing').toBeDefined();
  if (!reference || !isResult(reference)) throw new Error(`The cpu reference failed: ${(reference as ParityFailure).error}`);
  if (!actual || !isResult(actual)) {
    throw new Error(`${expectedBackend} could not train ${caseKey(reference)}: ${(actual as ParityFailure).error}`);
  }
  expect(actual.backend).toBe(expectedBackend);
  expect(actual.leakedTensors).toBe(0);
  expect(actual.losses.length).toBe(reference.losses.length);
  const diff = compareRuns(actual, reference);
  expect(diff.maxWeightDiff, `max |weight - cpu weight| (tolerance ${WEIGHT_ATOL})`).toBeLessThanOrEqual(WEIGHT_ATOL);
  actual.losses.flat().forEach((v, i) => {
    const r = reference.losses.flat()[i] as number;
    expect(Math.abs(v - r), `loss #${i}: ${v} vs cpu ${r}`).toBeLessThanOrEqual(LOSS_ATOL + LOSS_RTOL * Math.abs(r));
  });
  expect(diff.ok).toBe(true);
  return diff;
}

/** Prints the largest differences and the time of one backend's runs, for the CI log. */
export function printSummary(label: string, results: ReadonlyArray<ParityResult | ParityFailure>, reference: Map<string, ParityResult | ParityFailure>): void {
  let maxLoss = 0;
  let maxRel = 0;
  let maxWeight = 0;
  let ms = 0;
  const failed: string[] = [];
  for (const r of results) {
    const ref = reference.get(caseKey(r));
    if (!isResult(r) || !ref || !isResult(ref)) {
      failed.push(caseKey(r));
      continue;
    }
    const d = compareRuns(r, ref);
    maxLoss = Math.max(maxLoss, d.maxLossDiff);
    maxRel = Math.max(maxRel, d.maxRelLossDiff);
    maxWeight = Math.max(maxWeight, d.maxWeightDiff);
    ms += r.ms;
  }
  console.log(
    `[parity] ${label}: ${results.length - failed.length}/${results.length} cases ran in ${(ms / 1000).toFixed(1)} s; ` +
      `max |loss diff| ${maxLoss.toExponential(2)} (rel ${maxRel.toExponential(2)}), max |weight diff| ${maxWeight.toExponential(2)}` +
      (failed.length ? `; failed: ${failed.join(', ')}` : ''),
  );
}
