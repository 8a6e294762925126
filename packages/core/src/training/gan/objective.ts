import { tf } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import type { AugmentContext } from '../../augment/types.js';
import type { Json } from '../../models/kinds.js';
import { networkWeights, type GanModel } from '../../models/types.js';
import type { Rng } from '../../random/rng.js';
import type { ObjectiveNetwork, StepContext, StepTensors, TrainingObjective } from '../objective.js';
import { registerObjective } from '../objectives.js';
import type { Batch } from '../types.js';
import { GAN_OPTION_KEYS, ganOptionsFromConfig, parseGanOptions, type GanObjectiveOptions, type GanSettings } from './options.js';
import { discriminatorUpdate, generatorUpdate, withNoise, type DiscriminatorStats, type ImageView, type UpdateSettings } from './updates.js';
import '../../losses/builtins.js';
import '../../sampling/builtins.js';

type Component = { readonly name: string; readonly config?: Readonly<Record<string, number>> };
const component = (c: Component) => ({ name: c.name, config: { ...(c.config ?? {}) } });

/**
 * The GAN objective: each step makes `discriminatorSteps` D updates on real and generated batches,
 * then one G update through D. Only each network's own variables are updated, so D never needs
 * freezing. Handles TTUR (two optimizers), penalties, ACGAN's class head, instance noise, gradient
 * clipping and augmentation. `new Trainer(gan)` picks it for any model with `discriminate`.
 */
export class GanObjective implements TrainingObjective {
  readonly name = 'gan';
  readonly sampleNetwork = 'generator';
  readonly networks: readonly ObjectiveNetwork[];
  readonly batchesPerStep: number;
  private readonly classHead: boolean;
  /** Real images D saw in the last step. */
  private realCount = 0;

  constructor(
    readonly model: GanModel,
    readonly settings: GanSettings,
  ) {
    const network = (name: 'generator' | 'discriminator', optimizer: tf.Optimizer): ObjectiveNetwork => ({
      name,
      get variables() {
        return name === 'generator' ? model.generatorVariables() : model.discriminatorVariables();
      },
      get weights() {
        return networkWeights(model, name);
      },
      optimizer,
    });
    this.networks = [network('generator', settings.generatorOptimizer), network('discriminator', settings.discriminatorOptimizer)];
    this.batchesPerStep = settings.discriminatorSteps;
    this.classHead = (model as { auxiliaryClassifier?: unknown }).auxiliaryClassifier === true;
  }

  /** Settings that rebuild this objective on resume (components by registry name). */
  get config(): { readonly [key: string]: Json } {
    const s = this.settings;
    return {
      discriminatorSteps: s.discriminatorSteps,
      gradientClipNorm: s.gradientClipNorm ?? null,
      auxiliaryClassWeight: s.auxiliaryClassWeight,
      instanceNoise: s.noise ? { ...s.noise.config } : null,
      loss: component(s.loss),
      regularizers: s.regularizers.map(component),
      sampler: { ...component(s.sampler), latentDim: s.sampler.latentDim },
      augment: s.augment.map((a) => ({ name: a.name, config: a.config })),
    };
  }

  private fakeLabels(n: number, rng: Rng): tf.Tensor1D | undefined {
    const k = this.model.numClasses;
    if (k === undefined) return undefined;
    return tf.tensor1d(Int32Array.from({ length: n }, () => rng.nextInt(k)), 'int32');
  }

  /** What D sees: data augmentations on reals, differentiable ones on every image, then instance noise. */
  private view({ step, rng }: StepContext): ImageView {
    const stddev = this.settings.noise?.stddevAt(step) ?? 0;
    const augment = (images: tf.Tensor4D, source: AugmentContext['source']) => {
      let out = images;
      for (const a of this.settings.augment) {
        if (source === 'real' || a.kind === 'differentiable') out = a.apply(out, { seed: rng.nextSeed(), step, source });
      }
      return out;
    };
    const noisy = (images: tf.Tensor4D) => withNoise(images, stddev, stddev > 0 ? rng.nextSeed() : 0);
    return {
      real: (x) => noisy(augment(x, 'real')),
      fake: (x) => noisy(augment(x, 'fake')),
      realForGenerator: (x) => augment(x, 'real'),
    };
  }

  step(batches: readonly Batch[], ctx: StepContext): StepTensors {
    const s = this.settings;
    const settings: UpdateSettings = { ...s, model: this.model, step: ctx.step, realSign: s.augment.length > 0 };
    const view = this.view(ctx);
    const [g, d] = this.networks as [ObjectiveNetwork, ObjectiveNetwork];
    const dVars = d.variables;
    const dStats: DiscriminatorStats[] = [];
    this.realCount = 0;
    for (let i = 0; i < s.discriminatorSteps; i++) {
      const batch = batches[i % batches.length] as Batch;
      const n = batch.images.shape[0];
      this.realCount += n;
      const z = s.sampler.sample(n);
      const fakeLabels = this.fakeLabels(n, ctx.rng);
      const fake = this.model.generate(z, fakeLabels, true);
      dStats.push(
        discriminatorUpdate(settings, d.optimizer, dVars, view, {
          real: batch.images,
          realLabels: batch.labels,
          fake,
          fakeLabels,
          regularizerSeed: () => ctx.rng.nextSeed(),
        }),
      );
    }
    const last = batches[(s.discriminatorSteps - 1) % batches.length] as Batch;
    const n = last.images.shape[0];
    const gStats = generatorUpdate(settings, g.optimizer, g.variables, view, {
      z: s.sampler.sample(n),
      fakeLabels: this.fakeLabels(n, ctx.rng),
      real: last.images,
      realLabels: last.labels,
    });
    const mean = (key: keyof DiscriminatorStats): tf.Scalar =>
      dStats.length === 1 ? (dStats[0] as DiscriminatorStats)[key] : (tf.div(tf.addN(dStats.map((x) => x[key])), dStats.length) as tf.Scalar);
    const dAccuracyReal = mean('dAccuracyReal');
    const dAccuracyFake = mean('dAccuracyFake');
    return {
      dLoss: mean('dLoss'),
      gLoss: gStats.gLoss,
      dReal: mean('dReal'),
      dFake: mean('dFake'),
      dAccuracyReal,
      dAccuracyFake,
      dAccuracy: tf.div(tf.add(dAccuracyReal, dAccuracyFake), 2) as tf.Scalar,
      ...(s.regularizers.length > 0 ? { dPenalty: mean('dPenalty') } : {}),
      ...(this.classHead ? { dClassLoss: mean('dClassLoss'), gClassLoss: gStats.gClassLoss } : {}),
      ...(s.augment.length > 0 ? { realSign: mean('realSign') } : {}),
    };
  }

  /** Hands each augmentation ADA's overfitting signal r_t = mean sign(D(real)) of this step. */
  afterStep(metrics: Readonly<Record<string, number>>): void {
    for (const a of this.settings.augment) a.observe?.(metrics['realSign'] as number, this.realCount);
  }

  extraMetrics(): Readonly<Record<string, number>> {
    return Object.assign({}, ...this.settings.augment.map((a) => a.metrics?.() ?? {})) as Record<string, number>;
  }

  getState(): Json {
    return { sampler: this.settings.sampler.getState().state, augment: this.settings.augment.map((a) => a.getState?.() ?? null) };
  }

  setState(state: Json): void {
    const s = state as { sampler?: unknown; augment?: unknown } | null;
    if (typeof s?.sampler !== 'number' || (s.augment !== undefined && (!Array.isArray(s.augment) || s.augment.length !== this.settings.augment.length))) {
      throw new InvalidArgumentError('augment', `The checkpoint's GAN state does not fit this trainer (sampler stream, or ${this.settings.augment.length} augmentations); resume with the augmentations it was saved with.`);
    }
    this.settings.sampler.setState({ state: s.sampler });
    ((s.augment ?? []) as Json[]).forEach((a, i) => this.settings.augment[i]?.setState?.(a));
  }
}

/** Makes the GAN objective for `model` from the GAN part of the Trainer's options (see {@link GanObjectiveOptions}). */
export function ganObjective(model: GanModel, options: GanObjectiveOptions = {}, seed = 0): GanObjective {
  return new GanObjective(model, parseGanOptions(model, options, seed));
}

registerObjective('gan', {
  matches: (model) => typeof (model as Partial<GanModel>)?.discriminate === 'function' && typeof (model as Partial<GanModel>).generatorVariables === 'function',
  create: (model, options, seed) => ganObjective(model as GanModel, options, seed),
  optionsFromConfig: (config, given, seed) => ganOptionsFromConfig(config, given, seed),
  optionKeys: Object.keys(GAN_OPTION_KEYS),
});
