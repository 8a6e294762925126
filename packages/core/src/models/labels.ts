import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';

/**
 * Turns labels (an array or an int32 tensor) into an int32 `[n]` tensor, checking the count and
 * that each label is an integer in `[0, numClasses)`. Without labels: classes `i % numClasses`.
 */
export function labelTensor(labels: ArrayLike<number> | tf.Tensor1D | undefined, n: number, numClasses: number): tf.Tensor1D {
  if (labels === undefined) {
    return tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % numClasses), 'int32');
  }
  const values = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (values.length !== n) {
    throw new ShapeMismatchError(`Got ${values.length} labels for ${n} images; pass one label per image.`, [n], [values.length]);
  }
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new InvalidArgumentError('labels', `labels[${i}] is ${String(v)}; labels must be integers in [0, ${numClasses}).`);
    }
  }
  return labels instanceof tf.Tensor ? (tf.cast(labels, 'int32') as tf.Tensor1D) : tf.tensor1d(Array.from(values), 'int32');
}

/**
 * One-hot encodes class indices for a conditional network's label input: `[n, numClasses]` int32.
 * Throws when `labels` is missing or does not hold one label per image.
 */
export function oneHotLabels(labels: tf.Tensor1D | undefined, n: number, numClasses: number): tf.Tensor2D {
  if (labels === undefined) {
    throw new InvalidArgumentError('labels', `This model is conditional on ${numClasses} classes; pass one label per image.`);
  }
  if (labels.shape[0] !== n) {
    throw new ShapeMismatchError(`Got ${labels.shape[0]} labels for ${n} images.`, [n], labels.shape);
  }
  return tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, numClasses) as tf.Tensor2D;
}
