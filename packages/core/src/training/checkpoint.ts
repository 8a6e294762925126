import { tf } from '../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../errors.js';
import { optimizerVariables, restoreOptimizer } from './optimizer-state.js';
import { FusedAdamOptimizer, fusedAdamFromConfig } from './optimizers/adam.js';
import type { CheckpointArray, OptimizerRecord } from './checkpoint-types.js';

/** Reads a tensor's values into a {@link CheckpointArray} (a copy). */
export async function toArray(name: string, t: tf.Tensor): Promise<CheckpointArray> {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    throw new InvalidArgumentError('checkpoint', `Cannot save "${name}": dtype ${t.dtype} is not float32 or int32.`);
  }
  const values = (await t.data()) as Float32Array | Int32Array;
  return { name, dtype: t.dtype, shape: [...t.shape], data: values.slice() };
}

/** Saves an optimizer's state as arrays named `prefix/slot/i` and `prefix/extra/name`, plus its record. */
export async function captureOptimizer(
  prefix: string,
  optimizer: tf.Optimizer,
): Promise<{ record: OptimizerRecord; arrays: CheckpointArray[] }> {
  const vars = await optimizerVariables(optimizer);
  const arrays: CheckpointArray[] = [];
  for (const [i, v] of vars.slots.entries()) arrays.push(await toArray(`${prefix}/slot/${i}`, v));
  for (const [name, v] of vars.extras) arrays.push(await toArray(`${prefix}/extra/${name}`, v));
  const record: OptimizerRecord = {
    className: optimizer.getClassName(),
    config: optimizer.getConfig() as Record<string, unknown>,
    iterations: vars.iterations,
    slots: vars.slots.length,
    extras: vars.extras.map(([name]) => name),
  };
  return { record, arrays };
}

/**
 * Makes a tfjs optimizer of a saved class and configuration (e.g. Adam with its learning rate and
 * betas). Adam comes back as aigc's {@link FusedAdamOptimizer}, which saves and restores exactly as tfjs' Adam.
 */
export function optimizerFromRecord(record: OptimizerRecord): tf.Optimizer {
  if (record.className === FusedAdamOptimizer.className) {
    return fusedAdamFromConfig(record.config as tf.serialization.ConfigDict);
  }
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[record.className];
  if (entry === undefined) {
    throw new ModelFormatError(`The checkpoint's optimizer class "${record.className}" is unknown to tfjs; pass optimizers to resume.`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, record.config as tf.serialization.ConfigDict) as unknown as tf.Optimizer;
}

/** Looks arrays up by name, checking shapes; every failure is a ModelFormatError naming the array. */
export class ArrayIndex {
  private readonly byName: Map<string, CheckpointArray>;

  constructor(arrays: readonly CheckpointArray[]) {
    this.byName = new Map(arrays.map((a) => [a.name, a]));
  }

  /** The array `name`, checked against `shape` when given. */
  get(name: string, shape?: readonly number[]): CheckpointArray {
    const a = this.byName.get(name);
    if (a === undefined) throw new ModelFormatError(`The checkpoint lacks the array "${name}"; it is incomplete or from another model.`);
    if (shape !== undefined && (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i]))) {
      throw new ModelFormatError(
        `The checkpoint's "${name}" has shape [${a.shape.join(', ')}] but the model needs [${shape.join(', ')}]; it was saved from another architecture.`,
      );
    }
    return a;
  }

  /** Whether an array exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }
}

/** A tensor holding a saved array's values. */
export function tensorOf(a: CheckpointArray): tf.Tensor {
  return tf.tensor(a.data, [...a.shape], a.dtype);
}

/** Checks a saved list of variables against live ones; returns a function that assigns them. */
export function planAssign(index: ArrayIndex, prefix: string, vars: readonly tf.Variable[], expectedCount: number): () => void {
  if (expectedCount !== vars.length) {
    throw new ModelFormatError(`The checkpoint holds ${expectedCount} ${prefix} weights but the model has ${vars.length}; it was saved from another architecture.`);
  }
  const arrays = vars.map((v, i) => index.get(`${prefix}/${i}`, v.shape));
  return () => vars.forEach((v, i) => tf.tidy(() => v.assign(tensorOf(arrays[i] as CheckpointArray))));
}

/** Checks saved optimizer state against the variables it updates; returns a function that restores it. */
export function planOptimizer(
  index: ArrayIndex,
  prefix: string,
  record: OptimizerRecord,
  optimizer: tf.Optimizer,
  vars: readonly tf.Variable[],
): () => Promise<void> {
  if (record.className !== optimizer.getClassName()) {
    throw new InvalidArgumentError('optimizers', `The checkpoint's ${prefix} optimizer is ${record.className}, not ${optimizer.getClassName()}.`);
  }
  if (record.slots % Math.max(1, vars.length) !== 0) {
    throw new ModelFormatError(`The checkpoint's ${prefix} optimizer has ${record.slots} slots for ${vars.length} variables; it was saved from another model.`);
  }
  const slots = Array.from({ length: record.slots }, (_, i) => index.get(`${prefix}/slot/${i}`, (vars[i % vars.length] as tf.Variable).shape));
  const extras = record.extras.map((name) => [name, index.get(`${prefix}/extra/${name}`)] as const);
  return async () => {
    const slotTensors = slots.map(tensorOf);
    const extraTensors = extras.map(([name, a]) => [name, tensorOf(a)] as const);
    try {
      await restoreOptimizer(optimizer, { iterations: record.iterations, slots: slotTensors, extras: extraTensors });
    } finally {
      tf.dispose([...slotTensors, ...extraTensors.map(([, t]) => t)]);
    }
  };
}
