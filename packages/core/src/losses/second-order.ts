import { tf } from '../tf.js';

/** Comparison and logic kernels: piecewise constant, so their gradient is zero wherever it exists. */
const STEP_KERNELS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Greater', ['a', 'b']],
  ['GreaterEqual', ['a', 'b']],
  ['Less', ['a', 'b']],
  ['LessEqual', ['a', 'b']],
  ['Equal', ['a', 'b']],
  ['NotEqual', ['a', 'b']],
  ['LogicalAnd', ['a', 'b']],
  ['LogicalOr', ['a', 'b']],
  ['LogicalNot', ['x']],
];

let registered = false;

/**
 * Registers the gradients that tfjs 4.22 lacks and gradient penalties need
 * (tensorflow/tfjs#3252): zero gradients of comparison/logic kernels (LeakyRelu's and Relu's
 * backward passes call `greater`/`where`) and the gradient of `AvgPoolGrad` (for average
 * pooling in D). Only kernels with no gradient are touched; runs once; penalties call it for you.
 *
 * Still not twice differentiable in tfjs (a D containing them cannot be penalized): `MaxPool`
 * (no `MaxPoolGrad` gradient) and third-order uses of convolutions (`Conv2DBackpropFilter`).
 */
export function registerSecondOrderGradients(): void {
  if (registered) return;
  registered = true;
  for (const [kernelName, inputs] of STEP_KERNELS) {
    if (tf.getGradient(kernelName) !== undefined) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: [...inputs],
      gradFunc: (_dy, saved) =>
        Object.fromEntries(inputs.map((name, i) => [name, () => tf.zerosLike(saved[i] as tf.Tensor)])),
    });
  }
  if (tf.getGradient('AvgPoolGrad') === undefined) {
    tf.registerGradient({
      kernelName: 'AvgPoolGrad',
      inputsToSave: ['input'],
      // avgPoolGrad is linear in dy: its adjoint is average pooling with the same window.
      gradFunc: (ddx, saved, attrs) => {
        const { filterSize, strides, pad } = attrs as unknown as {
          filterSize: [number, number];
          strides: [number, number];
          pad: 'valid' | 'same' | number;
        };
        return {
          dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, pad),
          input: () => tf.zerosLike(saved[0] as tf.Tensor),
        };
      },
    });
  }
}
