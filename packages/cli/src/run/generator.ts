/** The trained generator of a run, for `aigc sample` and `aigc interpolate`. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, InvalidDataError, Trainer, useBackend, type GenerateOptions, type LayersGan, type tf } from '@aigc/core';
import { CHECKPOINT_MANIFEST, loadGenerator } from '@aigc/core/node';
import { readRunConfig, type RunConfig } from './config.js';
import { runPaths } from './layout.js';

/** A run's averaged (EMA) generator. */
export interface RunGenerator {
  /** The run's configuration. */
  readonly config: RunConfig;
  /** Latent width. */
  readonly latentDim: number;
  /** Classes of a conditional run; undefined otherwise. */
  readonly numClasses: number | undefined;
  /** Images `[n, h, w, c]` in [-1, 1] from latents `z` (and labels for conditional runs); the caller disposes them. */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor4D;
  /** `n` images as `ImageGenerator.sample`; the caller disposes them. */
  sample(n: number, options?: GenerateOptions): tf.Tensor4D;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * Opens the generator of the run folder `dir` on `backend`: `generator/` (the saved EMA generator)
 * for unconditional runs, the checkpoint (with its EMA weights) for conditional ones.
 */
export async function openRunGenerator(dir: string, backend: string): Promise<RunGenerator> {
  const config = readRunConfig(dir);
  const paths = runPaths(dir);
  await useBackend(backend);
  if (!config.conditional && existsSync(path.join(paths.generator, 'model.json'))) {
    const g = await loadGenerator(paths.generator);
    return {
      config,
      latentDim: g.latentDim,
      numClasses: undefined,
      generate: (z) => g.generate(z),
      sample: (n, options) => g.sample(n, options),
      dispose: () => g.dispose(),
    };
  }
  if (!existsSync(path.join(paths.checkpoint, CHECKPOINT_MANIFEST))) {
    throw new InvalidDataError(`${dir} has no generator/ and no checkpoint yet; train it first (aigc train --out ${dir} --resume).`);
  }
  const trainer = await Trainer.resume<LayersGan>(paths.checkpoint, { backend });
  const withEma = <T>(fn: () => T): T => (trainer.ema ? trainer.ema.apply(fn) : fn());
  return {
    config,
    latentDim: trainer.model.latentDim,
    numClasses: trainer.model.numClasses,
    generate: (z, labels) => withEma(() => trainer.model.generate(z, labels, false)),
    sample: (n, options) => trainer.sample(n, options),
    dispose: () => {
      trainer.dispose();
      trainer.model.dispose();
    },
  };
}

/** The label index of `--class NAME` (a class name of the run, or its number). */
export function classIndex(config: RunConfig, name: string): number {
  const names = config.data.classNames ?? [];
  if (!config.conditional) throw new InvalidArgumentError('class', `--class needs a conditional run (trained with --conditional); ${config.data.dir} was not.`);
  const i = names.indexOf(name);
  if (i >= 0) return i;
  throw new InvalidArgumentError('class', `Unknown class "${name}"; this run's classes are ${names.join(', ')}.`);
}
