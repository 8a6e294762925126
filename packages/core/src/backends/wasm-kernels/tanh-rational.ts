/**
 * The float32 `tanh` of aigc's wasm Tanh kernel: the 13/6-degree rational interpolant of Eigen's
 * `generic_fast_tanh_float` (TensorFlow's CPU kernels use it), within 7 ulp (4e-7) of `tanh` on
 * [-9, 9], ±1 outside, and clamped to [-1, 1]. Every operation is one float32 operation, in the order the SIMD kernel runs
 * them, so this scalar version gives the same bits as its lanes.
 */

/** Inputs are clamped to [-TANH_CLAMP, TANH_CLAMP]; beyond it tanh is ±1 in float32. */
export const TANH_CLAMP = 9;

/** Odd numerator coefficients α1, α3, …, α13 (float32). */
export const TANH_ALPHA = [
  4.89352455891786e-3, 6.37261928875436e-4, 1.48572235717979e-5, 5.12229709037114e-8, -8.60467152213735e-11, 2.00018790482477e-13,
  -2.76076847742355e-16,
].map(Math.fround) as unknown as readonly [number, number, number, number, number, number, number];

/** Even denominator coefficients β0, β2, β4, β6 (float32). */
export const TANH_BETA = [4.89352518554385e-3, 2.268434632439e-3, 1.18534705686654e-4, 1.19825839466702e-6].map(Math.fround) as unknown as readonly [number, number, number, number];

const f = Math.fround;

/** `tanh(v)` by the rational interpolant, in float32 (NaN stays NaN). */
export function tanhRational(v: number): number {
  const x = Math.max(Math.min(f(v), TANH_CLAMP), -TANH_CLAMP);
  const x2 = f(x * x);
  const [a1, a3, a5, a7, a9, a11, a13] = TANH_ALPHA;
  const [b0, b2, b4, b6] = TANH_BETA;
  let p = f(f(x2 * a13) + a11);
  for (const a of [a9, a7, a5, a3, a1]) p = f(f(p * x2) + a);
  p = f(p * x);
  let q = f(f(x2 * b6) + b4);
  for (const b of [b2, b0]) q = f(f(q * x2) + b);
  return Math.max(Math.min(f(p / q), 1), -1); // p / q can round just past ±1 near the clamp
}
