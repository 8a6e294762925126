import { tf } from '../tf.js';

/** A copy of a list of variables (and optimizer iteration counts) that can be put back later. */
export class VariableSnapshot {
  private values: tf.Tensor[] = [];
  private targets: tf.Variable[] = [];
  private counters: Array<[object, number]> = [];

  /** True once something was captured. */
  get taken(): boolean {
    return this.targets.length > 0;
  }

  /** Replaces the snapshot with copies of `variables` and the given optimizers' iteration counts. */
  capture(variables: readonly tf.Variable[], optimizers: readonly tf.Optimizer[] = []): void {
    tf.dispose(this.values);
    this.targets = [...variables];
    this.values = variables.map((v) => v.clone());
    this.counters = optimizers.map((o) => [o, (o as unknown as { iterations_?: number }).iterations_ ?? 0]);
  }

  /** Assigns the captured values back (variables created since the capture are left alone). */
  restore(): void {
    this.targets.forEach((v, i) => {
      if (!v.isDisposed) v.assign(this.values[i] as tf.Tensor);
    });
    for (const [o, n] of this.counters) (o as { iterations_?: number }).iterations_ = n;
  }

  /** Frees the copies. */
  dispose(): void {
    tf.dispose(this.values);
    this.values = [];
    this.targets = [];
    this.counters = [];
  }
}
