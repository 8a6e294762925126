/**
 * How parity is judged. float32 sums in another order (XNNPACK, GPU reductions, tiled matmuls)
 * differ by a few ulps per op; over 4 Adam steps we measured at most 4.8e-7 absolute / 4.4e-7
 * relative in the losses and 2.6e-7 in any weight (wasm, webgpu in Node and Chromium, webgl).
 * The tolerances (1e-5) leave 20-40x head-room yet sit far below what a wrong kernel or a wrong
 * step produces: the sensitivity test shows a 1% learning-rate change already exceeds them.
 */
import type { ParityFailure, ParityResult } from './cases.js';

/** Loss tolerance: |a - b| <= LOSS_ATOL + LOSS_RTOL * |b|. */
export const LOSS_ATOL = 1e-5;
export const LOSS_RTOL = 1e-5;
/** Largest allowed absolute difference of any weight. */
export const WEIGHT_ATOL = 1e-5;

/** The largest differences between a result and the reference. */
export interface ParityDiff {
  readonly maxLossDiff: number;
  readonly maxRelLossDiff: number;
  readonly maxWeightDiff: number;
  readonly ok: boolean;
}

/** Compares `actual` with the `reference` run (same case) under the stated tolerances. */
export function compareRuns(actual: Pick<ParityResult, 'losses' | 'weights'>, reference: Pick<ParityResult, 'losses' | 'weights'>): ParityDiff {
  let maxLossDiff = 0;
  let maxRelLossDiff = 0;
  let lossOk = actual.losses.length === reference.losses.length;
  actual.losses.forEach((pair, i) => {
    pair.forEach((v, j) => {
      const r = reference.losses[i]?.[j] ?? Number.NaN;
      const d = Math.abs(v - r);
      maxLossDiff = Math.max(maxLossDiff, d);
      maxRelLossDiff = Math.max(maxRelLossDiff, d / Math.max(Math.abs(r), 1e-12));
      if (!(d <= LOSS_ATOL + LOSS_RTOL * Math.abs(r))) lossOk = false;
    });
  });
  let maxWeightDiff = actual.weights.length === reference.weights.length ? 0 : Number.POSITIVE_INFINITY;
  actual.weights.forEach((w, i) => {
    const d = Math.abs(w - (reference.weights[i] ?? Number.NaN));
    maxWeightDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(maxWeightDiff, d);
  });
  return { maxLossDiff, maxRelLossDiff, maxWeightDiff, ok: lossOk && maxWeightDiff <= WEIGHT_ATOL };
}

/** True for a result (not a failure). */
export function isResult(r: ParityResult | ParityFailure): r is ParityResult {
  return !('error' in r);
}
