import { tf } from '../../tf.js';
import { auxiliaryClassLoss } from '../../losses/class-loss.js';
import type { DiscriminatorRegularizer } from '../../losses/regularizer.js';
import type { LossFn } from '../../losses/types.js';
import { hasAuxiliaryClassifier, type GanModel } from '../../models/types.js';
import { clipByGlobalNorm } from '../clipping.js';

/** Everything one D or G update needs besides its tensors. */
export interface UpdateSettings {
  readonly model: GanModel;
  readonly loss: LossFn;
  readonly regularizers: readonly DiscriminatorRegularizer[];
  /** Weight of ACGAN's class loss. */
  readonly auxiliaryClassWeight: number;
  /** Global-norm gradient clipping, or undefined. */
  readonly gradientClipNorm: number | undefined;
  /** The global step being trained (1-based). */
  readonly step: number;
  /** Also report mean sign(D(real)) (ADA's r_t). */
  readonly realSign: boolean;
}

/**
 * What D sees of an image batch: augmentation (data-side on reals, then differentiable on both)
 * and instance noise. Each call draws its seeds from the trainer's stream, in call order.
 */
export interface ImageView {
  real(images: tf.Tensor4D): tf.Tensor4D;
  fake(images: tf.Tensor4D): tf.Tensor4D;
  /** Reals in G's update (for losses with `generatorUsesReal`): augmented, not noised. */
  realForGenerator(images: tf.Tensor4D): tf.Tensor4D;
}

/** Inputs of one D update; the fakes are constants. */
export interface DiscriminatorInputs {
  readonly real: tf.Tensor4D;
  readonly realLabels: tf.Tensor1D | undefined;
  readonly fake: tf.Tensor4D;
  readonly fakeLabels: tf.Tensor1D | undefined;
  /** Draws the seed handed to the regularizers (after the views drew theirs). */
  readonly regularizerSeed: () => number;
}

/** Named scalars of one D update (means over the batch). */
export type DiscriminatorStats = Record<'dLoss' | 'dReal' | 'dFake' | 'dAccuracyReal' | 'dAccuracyFake' | 'dPenalty' | 'dClassLoss' | 'realSign', tf.Scalar>;

/** Adds seeded Gaussian noise of `stddev` (instance noise); returns `images` itself when stddev is 0. */
export function withNoise(images: tf.Tensor4D, stddev: number, seed: number): tf.Tensor4D {
  if (stddev <= 0) return images;
  return tf.add(images, tf.randomNormal(images.shape, 0, stddev, 'float32', seed)) as tf.Tensor4D;
}

/** Runs D and returns its logits, plus class logits for ACGAN models. */
function discriminate(model: GanModel, images: tf.Tensor4D, labels: tf.Tensor1D | undefined) {
  if (hasAuxiliaryClassifier(model)) return model.discriminateWithClasses(images, true);
  return { logits: model.discriminate(images, labels, true), classLogits: undefined };
}

/** Applies gradients for exactly `vars`, in order (zeros for any without one), after optional clipping. */
function applyGradients(optimizer: tf.Optimizer, vars: readonly tf.Variable[], grads: tf.NamedTensorMap, clipNorm: number | undefined): void {
  let list: tf.Tensor[] = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  if (clipNorm !== undefined) list = clipByGlobalNorm(list, clipNorm);
  optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: list[i] as tf.Tensor })));
}

/** One D update on the views of `x.real` and `x.fake`; penalties see the images as D does. Call inside `tf.tidy`. */
export function discriminatorUpdate(s: UpdateSettings, optimizer: tf.Optimizer, vars: readonly tf.Variable[], view: ImageView, x: DiscriminatorInputs): DiscriminatorStats {
  const realImages = view.real(x.real);
  const fakeImages = view.fake(x.fake);
  const regularizerSeed = s.regularizers.length > 0 ? x.regularizerSeed() : 0;
  let stats: DiscriminatorStats | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const real = discriminate(s.model, realImages, x.realLabels);
    const fake = discriminate(s.model, fakeImages, x.fakeLabels);
    const adversarial = s.loss.discriminatorLoss(real.logits, fake.logits);
    let penalty: tf.Scalar = tf.scalar(0);
    for (const r of s.regularizers) {
      const p = r.penalty({
        model: s.model,
        real: realImages,
        fake: fakeImages,
        ...(x.realLabels === undefined ? {} : { realLabels: x.realLabels }),
        ...(x.fakeLabels === undefined ? {} : { fakeLabels: x.fakeLabels }),
        seed: regularizerSeed,
        step: s.step,
      });
      penalty = tf.add(penalty, p);
    }
    let classLoss: tf.Scalar = tf.scalar(0);
    if (real.classLogits !== undefined && fake.classLogits !== undefined && x.realLabels && x.fakeLabels) {
      classLoss = tf.add(auxiliaryClassLoss(real.classLogits, x.realLabels), auxiliaryClassLoss(fake.classLogits, x.fakeLabels));
    }
    stats = keepAll({
      dLoss: adversarial,
      dReal: tf.mean(tf.sigmoid(real.logits)) as tf.Scalar,
      dFake: tf.mean(tf.sigmoid(fake.logits)) as tf.Scalar,
      dAccuracyReal: tf.mean(tf.cast(tf.greater(real.logits, 0), 'float32')) as tf.Scalar,
      dAccuracyFake: tf.mean(tf.cast(tf.less(fake.logits, 0), 'float32')) as tf.Scalar,
      dPenalty: penalty,
      dClassLoss: classLoss,
      realSign: s.realSign ? (tf.mean(tf.sign(real.logits)) as tf.Scalar) : tf.scalar(0),
    });
    return tf.addN([adversarial, penalty, tf.mul(classLoss, s.auxiliaryClassWeight)]) as tf.Scalar;
  }, [...vars]);
  value.dispose();
  applyGradients(optimizer, vars, grads, s.gradientClipNorm);
  const clip = s.loss.weightClip;
  if (clip !== undefined) for (const v of vars) v.assign(tf.clipByValue(v, -clip, clip));
  return untrack(stats as DiscriminatorStats);
}

/** Inputs of one G update. */
export interface GeneratorInputs {
  readonly z: tf.Tensor2D;
  readonly fakeLabels: tf.Tensor1D | undefined;
  /** Real images (with their labels), used only by losses with `generatorUsesReal`. */
  readonly real: tf.Tensor4D;
  readonly realLabels: tf.Tensor1D | undefined;
}

/** One G update through D, the view (augmentation, noise) inside the gradient so it flows to G. Call inside `tf.tidy`. */
export function generatorUpdate(s: UpdateSettings, optimizer: tf.Optimizer, vars: readonly tf.Variable[], view: ImageView, x: GeneratorInputs): Record<'gLoss' | 'gClassLoss', tf.Scalar> {
  let stats: Record<'gLoss' | 'gClassLoss', tf.Scalar> | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const images = view.fake(s.model.generate(x.z, x.fakeLabels, true));
    const fake = discriminate(s.model, images, x.fakeLabels);
    const realLogits = s.loss.generatorUsesReal ? discriminate(s.model, view.realForGenerator(x.real), x.realLabels).logits : undefined;
    const adversarial = s.loss.generatorLoss(fake.logits, realLogits);
    const classLoss =
      fake.classLogits !== undefined && x.fakeLabels !== undefined ? auxiliaryClassLoss(fake.classLogits, x.fakeLabels) : tf.scalar(0);
    stats = keepAll({ gLoss: adversarial, gClassLoss: classLoss });
    return tf.add(adversarial, tf.mul(classLoss, s.auxiliaryClassWeight)) as tf.Scalar;
  }, [...vars]);
  value.dispose();
  applyGradients(optimizer, vars, grads, s.gradientClipNorm);
  return untrack(stats as Record<'gLoss' | 'gClassLoss', tf.Scalar>);
}

/** Keeps every tensor of a record out of the enclosing `tf.tidy` (of the gradient tape). */
function keepAll<T extends Record<string, tf.Scalar>>(record: T): T {
  for (const t of Object.values(record)) tf.keep(t);
  return record;
}

/** Hands `tf.keep`-ed tensors back to the enclosing `tf.tidy` (as copies), so the tidy frees them. */
function untrack<T extends Record<string, tf.Scalar>>(kept: T): T {
  const out = Object.fromEntries(Object.entries(kept).map(([k, t]) => [k, t.clone()])) as T;
  tf.dispose(Object.values(kept));
  return out;
}
