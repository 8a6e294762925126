import type { tf } from '../tf.js';

/** The values of a tensor read back to JavaScript. */
export type TensorValues = Float32Array | Int32Array | Uint8Array;

/**
 * A computation written once for both read styles: it yields each tensor whose values it needs
 * and receives them back. {@link readSync} drives it with `dataSync()`, {@link readAsync} with
 * `await data()` (which every backend supports, WebGPU in Node included). The driver disposes
 * every yielded tensor after reading it.
 */
export type Reading<T> = Generator<tf.Tensor, T, TensorValues>;

/** The outcome of reading one yielded tensor. */
type Settled = { readonly values: TensorValues } | { readonly error: unknown };

/**
 * One step of either driver: disposes the tensor just read and hands its values to the reading;
 * when the read failed, closes the reading first (its `finally` blocks run) and rethrows.
 */
function advance<T>(reading: Reading<T>, tensor: tf.Tensor, read: Settled): IteratorResult<tf.Tensor, T> {
  try {
    if ('error' in read) {
      reading.return(undefined as T);
      throw read.error;
    }
  } finally {
    tensor.dispose();
  }
  return reading.next(read.values);
}

function settleSync(tensor: tf.Tensor): Settled {
  try {
    return { values: tensor.dataSync() as TensorValues };
  } catch (error) {
    return { error };
  }
}

async function settleAsync(tensor: tf.Tensor): Promise<Settled> {
  try {
    return { values: (await tensor.data()) as TensorValues };
  } catch (error) {
    return { error };
  }
}

/** Runs a {@link Reading} with synchronous reads. */
export function readSync<T>(reading: Reading<T>): T {
  let step = reading.next();
  while (!step.done) step = advance(reading, step.value, settleSync(step.value));
  return step.value;
}

/** Runs a {@link Reading} with asynchronous reads (`await tensor.data()`). */
export async function readAsync<T>(reading: Reading<T>): Promise<T> {
  let step = reading.next();
  while (!step.done) step = advance(reading, step.value, await settleAsync(step.value));
  return step.value;
}
