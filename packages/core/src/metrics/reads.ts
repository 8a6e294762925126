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

/** Runs a {@link Reading} with synchronous reads. */
export function readSync<T>(reading: Reading<T>): T {
  let step = reading.next();
  while (!step.done) {
    const tensor = step.value;
    let values: TensorValues;
    try {
      values = tensor.dataSync() as TensorValues;
    } catch (error) {
      reading.return(undefined as T);
      throw error;
    } finally {
      tensor.dispose();
    }
    step = reading.next(values);
  }
  return step.value;
}

/** Runs a {@link Reading} with asynchronous reads (`await tensor.data()`). */
export async function readAsync<T>(reading: Reading<T>): Promise<T> {
  let step = reading.next();
  while (!step.done) {
    const tensor = step.value;
    let values: TensorValues;
    try {
      values = (await tensor.data()) as TensorValues;
    } catch (error) {
      reading.return(undefined as T);
      throw error;
    } finally {
      tensor.dispose();
    }
    step = reading.next(values);
  }
  return step.value;
}
