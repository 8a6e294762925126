import { ModelFormatError } from '../errors.js';
import type { Json } from '../models/kinds.js';
import { READABLE_CHECKPOINT_VERSIONS, type CheckpointState, type CheckpointStateV1, type TrainerCheckpoint } from './checkpoint-types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'missing' : JSON.stringify(v) ?? String(v));

/** Converts a format-version-1 state (GAN only, @aigc/core 0.1.0) to the current layout. */
export function stateFromV1(s: CheckpointStateV1): CheckpointState {
  const c = s.config;
  const { kind, ...specConfig } = (s.model.spec ?? { kind: null }) as { kind: string | null } & Record<string, Json>;
  const networks: Record<string, unknown> = {};
  if (s.model.generator !== null && s.model.generator !== undefined) networks['generator'] = s.model.generator;
  if (s.model.discriminator !== null && s.model.discriminator !== undefined) networks['discriminator'] = s.model.discriminator;
  return {
    globalStep: s.globalStep,
    epoch: s.epoch,
    epochPosition: s.epochPosition,
    dataSize: s.dataSize,
    rng: { trainer: s.rng?.trainer, data: s.rng?.data },
    config: {
      batchSize: c.batchSize,
      seed: c.seed,
      ema: c.ema,
      divergenceGuard: c.divergenceGuard,
      objective: {
        name: 'gan',
        config: {
          discriminatorSteps: c.discriminatorSteps,
          gradientClipNorm: c.gradientClipNorm,
          auxiliaryClassWeight: c.auxiliaryClassWeight,
          instanceNoise: c.instanceNoise,
          loss: c.loss,
          regularizers: c.regularizers,
          sampler: c.sampler,
          augment: [],
        } as unknown as { readonly [key: string]: Json },
      },
    },
    objectiveState: { sampler: s.rng?.sampler, augment: [] },
    model: { kind, config: specConfig, networks, latentDim: s.model.latentDim, imageShape: s.model.imageShape, numClasses: s.model.numClasses },
    optimizers: s.optimizers,
  };
}

/** The first problem of a state's structure, as `path is value; it must be ...`, or undefined when it is sound. */
function problem(s: Obj): string | undefined {
  const rules: Array<[string, unknown, (v: unknown) => boolean, string]> = [
    ['globalStep', s['globalStep'], (v) => isInt(v), 'an integer >= 0'],
    ['epoch', s['epoch'], (v) => isInt(v), 'an integer >= 0'],
    ['dataSize', s['dataSize'], (v) => v === null || isInt(v, 1), 'null or a positive integer'],
    ['epochPosition', s['epochPosition'], (v) => isInt(v) && (s['dataSize'] === null ? v === 0 : v <= (s['dataSize'] as number)), 'an integer from 0 to dataSize'],
    ['rng', s['rng'], (v) => isObj(v) && isInt(v['trainer']) && isInt(v['data']), '{ trainer, data } with integer stream states'],
    ['config', s['config'], isObj, 'an object'],
    ['model', s['model'], isObj, 'an object'],
    ['optimizers', s['optimizers'], (v) => isObj(v) && Object.values(v).every((o) => isObj(o) && typeof o['className'] === 'string' && isObj(o['config']) && isInt(o['iterations']) && isInt(o['slots']) && Array.isArray(o['extras']) && o['extras'].every((e) => typeof e === 'string')), 'a record of optimizer records'],
  ];
  const c = isObj(s['config']) ? s['config'] : {};
  const m = isObj(s['model']) ? s['model'] : {};
  const ema = c['ema'];
  const guard = c['divergenceGuard'];
  const objective = c['objective'];
  rules.push(
    ['config.batchSize', c['batchSize'], (v) => isInt(v, 1), 'a positive integer'],
    ['config.seed', c['seed'], (v) => typeof v === 'number' && Number.isSafeInteger(v), 'an integer'],
    ['config.ema', ema, (v) => v === null || (isObj(v) && typeof v['decay'] === 'number' && v['decay'] >= 0 && v['decay'] < 1 && isInt(v['startStep'])), 'null or { decay in [0, 1), startStep }'],
    ['config.divergenceGuard', guard, (v) => v === null || (isObj(v) && isInt(v['every'], 1)), 'null or { every: a positive integer }'],
    ['config.objective', objective, (v) => isObj(v) && typeof v['name'] === 'string' && isObj(v['config']), '{ name, config }'],
    ['model.kind', m['kind'], (v) => v === null || typeof v === 'string', 'null or a model kind name'],
    ['model.config', m['config'], isObj, 'an object'],
    ['model.networks', m['networks'], isObj, 'an object of topologies'],
    ['model.latentDim', m['latentDim'], (v) => isInt(v, 1), 'a positive integer'],
    ['model.imageShape', m['imageShape'], (v) => Array.isArray(v) && v.length === 3 && v.every((d) => isInt(d, 1)), '[height, width, channels] of positive integers'],
    ['model.numClasses', m['numClasses'], (v) => v === null || isInt(v, 2), 'null or an integer >= 2'],
  );
  for (const [path, value, ok, want] of rules) if (!ok(value)) return `state.${path} is ${show(value)}; it must be ${want}`;
  return undefined;
}

/**
 * The checkpoint's state in the current layout, its whole structure checked before anything is
 * applied (a v1 state is converted first). Every problem is a ModelFormatError naming `where`.
 */
export function checkedState(checkpoint: TrainerCheckpoint, where: string): CheckpointState {
  const version = checkpoint?.formatVersion;
  if (!READABLE_CHECKPOINT_VERSIONS.includes(version)) {
    throw new ModelFormatError(
      `${where} has format version ${String(version)}; this @aigc/core reads versions ${READABLE_CHECKPOINT_VERSIONS.join(' and ')}. Use the @aigc/core version that saved it.`,
    );
  }
  const raw: unknown = checkpoint.state;
  if (!isObj(raw) || !Array.isArray(checkpoint.arrays)) throw new ModelFormatError(`${where} has no state or array list; it is corrupted. Resume from an older checkpoint.`);
  let state: CheckpointState;
  try {
    state = version === 1 ? stateFromV1(raw as unknown as CheckpointStateV1) : (raw as unknown as CheckpointState);
  } catch (cause) {
    throw new ModelFormatError(`${where} is a malformed version-1 checkpoint (${(cause as Error).message}); it is corrupted. Resume from an older checkpoint.`, { cause });
  }
  const bad = problem(state as unknown as Obj);
  if (bad !== undefined) {
    throw new ModelFormatError(`${where}'s state is malformed: ${bad}. It is corrupted or was not written by Trainer.save. Resume from an older checkpoint.`);
  }
  return state;
}
