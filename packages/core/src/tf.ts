/**
 * The one place aigc imports TensorFlow.js. tfjs-layers' Node build registers tfjs-core's
 * gradient functions when imported; tfjs-core's CommonJS build alone registers none, so we
 * import layers here and verify the registry before training (see {@link assertGradientsRegistered}).
 * Call `useBackend` before building models to create their weights on the chosen backend directly.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// The cpu backend is registered up front so models can be built before a Trainer picks the
// real backend (tensors move to it on first use); it is also the fallback of last resort.
import '@tensorflow/tfjs-backend-cpu';

export { tf, tfl };

/** Throws if tfjs-core has no gradient functions registered (it would fail later, obscurely). */
export function assertGradientsRegistered(): void {
  if (tf.getGradient('RealDiv') === undefined || tf.getGradient('BatchMatMul') === undefined) {
    throw new Error(
      'aigc: tfjs-core has no gradient functions registered. Import "@tensorflow/tfjs-layers" ' +
        '(or "@tensorflow/tfjs") once before training; aigc does this itself unless bundling removed it.',
    );
  }
}
