/**
 * The float32 `tanh` of aigc's wasm Tanh kernel: the 13/6-degree rational interpolant of Eigen's
 * `generic_fast_tanh_float` (TensorFlow's CPU kernels use it), within 7 ulp (4e-7) of `tanh` on
 * [-9, 9], ±1 outside, and clamped to [-1, 1]. Every operation is one float32 operation, in the order the SIMD kernel runs
 * them, so this scalar version gives the same bits as its lanes.
 */

/** Inputs are clamped to [-TANH_CLAMP, TANH_CLAMP]; beyond it tanh is ±1 in float32. */
export const TANH_CLAMP = 9;

/** The numerator's odd coefficients in Horner order, α13, α11, …, α1 (float32): p = x · (((α13 x² + α11) x² + α9) … x² + α1). */
export const TANH_NUMERATOR: readonly number[] = [
  -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4,
  4.89352455891786e-3,
].map(Math.fround);

/** The denominator's even coefficients in Horner order, β6, β4, β2, β0 (float32): q = ((β6 x² + β4) x² + β2) x² + β0. */
export const TANH_DENOMINATOR: readonly number[] = [1.19825839466702e-6, 1.18534705686654e-4, 2.268434632439e-3, 4.89352518554385e-3].map(Math.fround);

const f = Math.fround;

/** `tanh(v)` by the rational interpolant, in float32 (NaN stays NaN). */
export function tanhRational(v: number): number {
  const x = Math.max(Math.min(f(v), TANH_CLAMP), -TANH_CLAMP);
  const x2 = f(x * x);
  const horner = (c: readonly number[]) => c.slice(1).reduce((acc, k) => f(f(acc * x2) + k), c[0] as number);
  const p = f(horner(TANH_NUMERATOR) * x);
  const q = horner(TANH_DENOMINATOR);
  return Math.max(Math.min(f(p / q), 1), -1); // p / q can round just past ±1 near the clamp
}
