/**
 * The custom tfjs kernel behind the fused Adam update, shared by the optimizer that calls it and
 * the backends that implement it (so neither imports the other).
 */

/** Name of the fused Adam kernel: inputs `x`, `m`, `v`, `g`, `accBeta1`, `accBeta2`; outputs new x, m, v. */
export const ADAM_UPDATE_KERNEL = 'AigcAdamUpdate';

/** Attributes of {@link ADAM_UPDATE_KERNEL}: the optimizer's hyper-parameters as plain numbers. */
export interface AdamUpdateAttrs {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/**
 * The float32 scalars of one Adam update, each rounded exactly as tfjs' `AdamOptimizer` rounds
 * them (it makes float32 scalars of `beta1`, `1 - beta1`, ..., `-learningRate` from JS numbers,
 * and computes `1 - accBeta` in float32).
 */
export interface AdamScalars {
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
  readonly oneMinusAccBeta1: number;
  readonly oneMinusAccBeta2: number;
  readonly eps: number;
  readonly negLr: number;
}

/** The {@link AdamScalars} for `attrs` and the current float32 `accBeta1`/`accBeta2` values. */
export function adamScalars(attrs: AdamUpdateAttrs, accBeta1: number, accBeta2: number): AdamScalars {
  const f = Math.fround;
  return {
    b1: f(attrs.beta1),
    c1: f(1 - attrs.beta1),
    b2: f(attrs.beta2),
    c2: f(1 - attrs.beta2),
    oneMinusAccBeta1: f(1 - f(accBeta1)),
    oneMinusAccBeta2: f(1 - f(accBeta2)),
    eps: f(attrs.epsilon),
    negLr: f(-attrs.learningRate),
  };
}

/**
 * The Adam update of elements `[from, to)` in float32, one rounding per tfjs op, in tfjs' order:
 * `m' = m*b1 + g*c1`, `v' = v*b2 + (g*g)*c2`, `x' = ((m'/(1-accB1)) / (sqrt(v'/(1-accB2)) + eps)) * -lr + x`.
 * Inputs and outputs may live in one array (the wasm heap), at the given element offsets.
 */
export function adamUpdateRange(
  s: AdamScalars,
  src: Float32Array,
  at: { x: number; m: number; v: number; g: number },
  dst: Float32Array,
  out: { x: number; m: number; v: number },
  from: number,
  to: number,
): void {
  const f = Math.fround;
  const { b1, c1, b2, c2, oneMinusAccBeta1: o1, oneMinusAccBeta2: o2, eps, negLr } = s;
  for (let i = from; i < to; i++) {
    const g = src[at.g + i] as number;
    const m = f(f((src[at.m + i] as number) * b1) + f(g * c1));
    const v = f(f((src[at.v + i] as number) * b2) + f(f(g * g) * c2));
    const step = f(f(f(m / o1) / f(f(Math.sqrt(f(v / o2))) + eps)) * negLr);
    dst[out.m + i] = m;
    dst[out.v + i] = v;
    dst[out.x + i] = f(step + (src[at.x + i] as number));
  }
}
