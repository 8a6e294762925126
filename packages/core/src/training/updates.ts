import { tf } from '../tf.js';
import { auxiliaryClassLoss } from '../losses/class-loss.js';
import type { DiscriminatorRegularizer } from '../losses/regularizer.js';
import type { LossFn } from '../losses/types.js';
import { hasAuxiliaryClassifier, type GanModel } from '../models/types.js';
import { clipByGlobalNorm } from './clipping.js';

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
}

/** Inputs of one D update; `fake` images are constants here. */
export interface DiscriminatorInputs {
  readonly real: tf.Tensor4D;
  readonly realLabels: tf.Tensor1D | undefined;
  readonly fake: tf.Tensor4D;
  readonly fakeLabels: tf.Tensor1D | undefined;
  /** Seed handed to the regularizers. */
  readonly regularizerSeed: number;
}

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
function applyGradients(
  optimizer: tf.Optimizer,
  vars: readonly tf.Variable[],
  grads: tf.NamedTensorMap,
  clipNorm: number | undefined,
): void {
  let list: tf.Tensor[] = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  if (clipNorm !== undefined) list = clipByGlobalNorm(list, clipNorm);
  optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: list[i] as tf.Tensor })));
}

/**
 * One D update. Returns `[loss, D(x), D(G(z)), accReal, accFake, penalty, classLoss]` (means over
 * the batch; penalty and class loss 0 when unused). Call inside `tf.tidy`.
 */
export function discriminatorUpdate(
  s: UpdateSettings,
  optimizer: tf.Optimizer,
  vars: readonly tf.Variable[],
  x: DiscriminatorInputs,
): tf.Tensor1D {
  let stats: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const real = discriminate(s.model, x.real, x.realLabels);
    const fake = discriminate(s.model, x.fake, x.fakeLabels);
    const adversarial = s.loss.discriminatorLoss(real.logits, fake.logits);
    let penalty: tf.Scalar = tf.scalar(0);
    for (const r of s.regularizers) {
      const p = r.penalty({
        model: s.model,
        real: x.real,
        fake: x.fake,
        ...(x.realLabels === undefined ? {} : { realLabels: x.realLabels }),
        ...(x.fakeLabels === undefined ? {} : { fakeLabels: x.fakeLabels }),
        seed: x.regularizerSeed,
        step: s.step,
      });
      penalty = tf.add(penalty, p);
    }
    let classLoss: tf.Scalar = tf.scalar(0);
    if (real.classLogits !== undefined && fake.classLogits !== undefined && x.realLabels && x.fakeLabels) {
      classLoss = tf.add(auxiliaryClassLoss(real.classLogits, x.realLabels), auxiliaryClassLoss(fake.classLogits, x.fakeLabels));
    }
    stats = tf.keep(
      tf.stack([
        adversarial,
        tf.mean(tf.sigmoid(real.logits)),
        tf.mean(tf.sigmoid(fake.logits)),
        tf.mean(tf.cast(tf.greater(real.logits, 0), 'float32')),
        tf.mean(tf.cast(tf.less(fake.logits, 0), 'float32')),
        penalty,
        classLoss,
      ]) as tf.Tensor1D,
    );
    return tf.addN([adversarial, penalty, tf.mul(classLoss, s.auxiliaryClassWeight)]) as tf.Scalar;
  }, [...vars]);
  value.dispose();
  applyGradients(optimizer, vars, grads, s.gradientClipNorm);
  const clip = s.loss.weightClip;
  if (clip !== undefined) for (const v of vars) v.assign(tf.clipByValue(v, -clip, clip));
  return untrack(stats as tf.Tensor1D);
}

/** Inputs of one G update. */
export interface GeneratorInputs {
  readonly z: tf.Tensor2D;
  readonly fakeLabels: tf.Tensor1D | undefined;
  /** Real images (with their labels), used only by losses with `generatorUsesReal`. */
  readonly real: tf.Tensor4D;
  readonly realLabels: tf.Tensor1D | undefined;
  /** Instance noise stddev and seed for the images D sees. */
  readonly noiseStddev: number;
  readonly noiseSeed: number;
}

/** One G update through D. Returns `[loss, classLoss]`. Call inside `tf.tidy`. */
export function generatorUpdate(s: UpdateSettings, optimizer: tf.Optimizer, vars: readonly tf.Variable[], x: GeneratorInputs): tf.Tensor1D {
  let stats: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const images = withNoise(s.model.generate(x.z, x.fakeLabels, true), x.noiseStddev, x.noiseSeed);
    const fake = discriminate(s.model, images, x.fakeLabels);
    const realLogits = s.loss.generatorUsesReal ? discriminate(s.model, x.real, x.realLabels).logits : undefined;
    const adversarial = s.loss.generatorLoss(fake.logits, realLogits);
    const classLoss =
      fake.classLogits !== undefined && x.fakeLabels !== undefined ? auxiliaryClassLoss(fake.classLogits, x.fakeLabels) : tf.scalar(0);
    stats = tf.keep(tf.stack([adversarial, classLoss]) as tf.Tensor1D);
    return tf.add(adversarial, tf.mul(classLoss, s.auxiliaryClassWeight)) as tf.Scalar;
  }, [...vars]);
  value.dispose();
  applyGradients(optimizer, vars, grads, s.gradientClipNorm);
  return untrack(stats as tf.Tensor1D);
}

/** Hands a `tf.keep`-ed tensor back to the enclosing `tf.tidy` (as a copy), so the tidy frees it. */
function untrack(kept: tf.Tensor1D): tf.Tensor1D {
  const copy = kept.clone();
  kept.dispose();
  return copy;
}

/** 0 when every value of every tensor is finite, NaN otherwise (`x - x` is NaN exactly for NaN and ±inf). */
export function finiteCheck(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.addN(tensors.map((t) => tf.sum(tf.sub(t, t)))) as tf.Scalar;
}
