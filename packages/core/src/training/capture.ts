import { InvalidArgumentError, ModelFormatError } from '../errors.js';
import { describeModel } from '../models/kinds.js';
import type { ImageGenerator } from '../models/types.js';
import { ArrayIndex, captureOptimizer, planAssign, planOptimizer, toArray } from './checkpoint.js';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointArray, type CheckpointState, type OptimizerRecord, type TrainerCheckpoint } from './checkpoint-types.js';
import type { TrainerCore } from './core.js';
import { checkedState } from './state-check.js';

/**
 * The whole training state in memory: every network's weights (`<network>/<i>`), the EMA
 * (`ema/<i>`), each optimizer (`optimizer/<network>/...`), the data order, random streams,
 * the objective's state and the whole config.
 */
export async function captureCheckpoint(core: TrainerCore): Promise<TrainerCheckpoint> {
  const arrays: CheckpointArray[] = [];
  const nets = core.objective.networks;
  for (const n of nets) for (const [i, w] of n.weights.entries()) arrays.push(await toArray(`${n.name}/${i}`, w));
  for (const [i, s] of (core.ema?.shadows ?? []).entries()) arrays.push(await toArray(`ema/${i}`, s));
  const optimizers: Record<string, OptimizerRecord> = {};
  for (const n of nets) {
    const o = await captureOptimizer(`optimizer/${n.name}`, n.optimizer);
    optimizers[n.name] = o.record;
    arrays.push(...o.arrays);
  }
  const order = core.cursor.order;
  if (order !== undefined) arrays.push({ name: 'data/order', dtype: 'int32', shape: [order.length], data: order.slice() });
  const m = core.model;
  const described = describeModel(m);
  const state: CheckpointState = {
    globalStep: core.globalStep,
    epoch: core.cursor.epoch,
    epochPosition: core.cursor.position,
    dataSize: order?.length ?? null,
    rng: { trainer: core.rng.getState().state, data: core.cursor.rng.getState().state },
    config: { ...core.config, objective: { name: core.objective.name, config: core.objective.config ?? {} } },
    objectiveState: core.objective.getState?.() ?? null,
    model: {
      kind: described?.kind ?? null,
      config: described?.config ?? {},
      networks: Object.fromEntries(Object.entries(described?.networks ?? {}).map(([k, net]) => [k, net.toJSON(null, false)])),
      latentDim: m.latentDim,
      imageShape: [...m.imageShape],
      numClasses: m.numClasses ?? null,
    },
    optimizers,
  };
  return { formatVersion: CHECKPOINT_FORMAT_VERSION, state, arrays };
}

/** Rejects a model whose latent width, image shape or class count differs from the checkpoint's. */
export function checkModelMatches(saved: CheckpointState['model'], m: ImageGenerator, where: string): void {
  const classes = (k: number | null | undefined) => (k === null || k === undefined ? 'no classes' : `${k} classes`);
  if (saved.latentDim !== m.latentDim || saved.imageShape.some((d, i) => d !== m.imageShape[i]) || (saved.numClasses ?? undefined) !== m.numClasses) {
    throw new ModelFormatError(
      `${where} is for a model with latentDim ${saved.latentDim}, images [${saved.imageShape.join(', ')}] and ${classes(saved.numClasses)}; ` +
        `this model has latentDim ${m.latentDim}, images [${m.imageShape.join(', ')}] and ${classes(m.numClasses)}. Build the model as it was saved.`,
    );
  }
}

/**
 * Loads a checkpoint into `core`. Everything is checked before anything changes, so a checkpoint of
 * another architecture or format version (a ModelFormatError) leaves the trainer as it was.
 */
export async function loadCheckpointInto(core: TrainerCore, checkpoint: TrainerCheckpoint, where = 'The checkpoint'): Promise<void> {
  const s = checkedState(checkpoint, where);
  checkModelMatches(s.model, core.model, where);
  if ((s.config.ema === null) !== (core.ema === undefined)) {
    throw new InvalidArgumentError('ema', `${where} was saved ${s.config.ema ? 'with' : 'without'} EMA; set the ema option the same way.`);
  }
  if (s.config.objective.name !== core.objective.name) {
    throw new InvalidArgumentError('objective', `${where} was saved by the "${s.config.objective.name}" objective, not "${core.objective.name}"; resume with the same objective.`);
  }
  const nets = core.objective.networks;
  const savedNets = Object.keys(s.optimizers);
  if (savedNets.length !== nets.length || nets.some((n) => !savedNets.includes(n.name))) {
    throw new ModelFormatError(`${where} holds the networks ${savedNets.join(', ')}, but this trainer trains ${nets.map((n) => n.name).join(', ')}; it is from another model.`);
  }
  const index = new ArrayIndex(checkpoint.arrays);
  const count = (prefix: string) => checkpoint.arrays.filter((a) => a.name.startsWith(`${prefix}/`) && /^\d+$/.test(a.name.slice(prefix.length + 1))).length;
  const assigns = [...nets.map((n) => planAssign(index, n.name, [...n.weights], count(n.name))), ...(core.ema ? [planAssign(index, 'ema', core.ema.shadows, count('ema'))] : [])];
  const optimizers = nets.map((n) => planOptimizer(index, `optimizer/${n.name}`, s.optimizers[n.name] as OptimizerRecord, n.optimizer, [...n.variables]));
  const order = s.dataSize === null ? undefined : index.get('data/order', [s.dataSize]);
  if (order !== undefined && (order.dtype !== 'int32' || order.data.some((i) => i < 0 || i >= (s.dataSize as number)))) {
    throw new ModelFormatError(`${where}'s data order is not a list of int32 indices into the data; it is corrupted.`);
  }
  // Everything checked: apply (the objective checks its own state before changing anything).
  if (core.objective.setState) core.objective.setState(s.objectiveState);
  else if (s.objectiveState !== null) throw new ModelFormatError(`${where} holds state for the "${core.objective.name}" objective, which takes none.`);
  assigns.forEach((apply) => apply());
  for (const restore of optimizers) await restore();
  core.globalStep = s.globalStep;
  core.cursor.epoch = s.epoch;
  core.cursor.position = s.epochPosition;
  core.cursor.order = order === undefined ? undefined : Int32Array.from(order.data);
  core.rng.setState({ state: s.rng.trainer });
  core.cursor.rng.setState({ state: s.rng.data });
  core.guard.reset();
}
