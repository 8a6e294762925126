/**
 * The one place aigc imports TensorFlow.js. tfjs-layers' Node build registers tfjs-core's
 * gradient functions when imported; tfjs-core's CommonJS build alone registers none, so we
 * import layers here and verify the registry before training (see {@link assertGradientsRegistered}).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

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
