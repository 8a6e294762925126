/** `evaluate`: runs the sample-quality metrics on a generator or a set of images against real images. */
import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import type { GanModel } from '../models/types.js';
import { frechetDistance } from './frechet.js';
import { gaussianStats } from './gaussian.js';
import { kernelDistanceReading, type KernelDistanceOptions } from './kid.js';
import { precisionRecallReading } from './precision-recall.js';
import { classCoverage, classifierScore } from './classifier-score.js';
import { memorizationReading } from './memorization.js';
import { readAsync } from './reads.js';
import { forEachImageBatch, imageSetSize, imageShapeOf, isImageSet, type ImageSet, type ImageSource } from './image-batches.js';
import { FASHION_MNIST_EXTRACTOR, loadFeatureExtractor } from './extractor/default.js';
import type { ImageFeatureExtractor } from './extractor/model-extractor.js';
import { METRIC_NAMES, type EvaluationReport, type MetricName, type MetricResult } from './report.js';
import { checkKeys } from '../options.js';

/** Default number of generated (and real) images: 10,000, the usual FID sample size for small datasets. */
export const DEFAULT_EVALUATION_SAMPLES = 10_000;

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Held-out real images in [-1, 1] (e.g. the test split), never seen in training. */
  readonly real: ImageSet;
  /** Generated images to evaluate (capped by a fixed set's size). Default 10,000. */
  readonly n?: number;
  /** Real images to use (capped by `real`'s size). Default: `n`. */
  readonly realCount?: number;
  /** Metrics to compute. Default: every one that applies (memorization needs `train`, discriminatorAccuracy a GanModel). */
  readonly metrics?: readonly MetricName[];
  /**
   * Feature extractor. Default: the shipped Fashion-MNIST one (28x28x1 images only), loaded and
   * disposed by this call. For other images pass {@link featureExtractorFromModel} of your own
   * tfjs model (e.g. a converted Inception network), or `loadFeatureExtractorModel` from `@aigc/core/node`.
   */
  readonly extractor?: ImageFeatureExtractor;
  /** Training images the model saw, for memorization (all of them are used). */
  readonly train?: ImageSet;
  /** Images per batch. Default 250. */
  readonly batchSize?: number;
  /** Seed of the latents and of KID's subsets. Default 0. */
  readonly seed?: number;
  /** KID subsets. Default 100 subsets of 1,000. */
  readonly kid?: Omit<KernelDistanceOptions, 'seed'>;
  /** Neighbourhood size of precision and recall. Default 3. */
  readonly k?: number;
  /** Splits of the classifier score. Default 10. */
  readonly classifierScoreSplits?: number;
  /** Held-out quantile under which a sample counts as a near copy. Default 0.01. */
  readonly memorizationQuantile?: number;
}

function hasDiscriminator(source: ImageSource): source is GanModel {
  return !isImageSet(source) && typeof (source as Partial<GanModel>).discriminate === 'function';
}

function hasLabels(set: ImageSet): boolean {
  return !(set instanceof tf.Tensor) && set.labels !== undefined;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(v)}.`);
  return v;
}

const NEEDS_CLASSES: readonly MetricName[] = ['classifierScore', 'classCoverage'];

function chooseMetrics(source: ImageSource, options: EvaluateOptions, hasClasses: boolean): Set<MetricName> {
  if (options.metrics === undefined) {
    return new Set(
      METRIC_NAMES.filter(
        (m) =>
          (hasClasses || !NEEDS_CLASSES.includes(m)) &&
          (m !== 'memorization' || options.train !== undefined) &&
          (m !== 'discriminatorAccuracy' ||
            (hasDiscriminator(source) && (source.numClasses === undefined || hasLabels(options.real)))),
      ),
    );
  }
  for (const m of options.metrics) {
    if (!METRIC_NAMES.includes(m)) {
      throw new InvalidArgumentError('metrics', `Unknown metric "${String(m)}"; choose from ${METRIC_NAMES.join(', ')}.`);
    }
  }
  const chosen = new Set(options.metrics);
  const classMetric = NEEDS_CLASSES.find((m) => chosen.has(m));
  if (classMetric !== undefined && !hasClasses) {
    throw new InvalidArgumentError(
      'metrics',
      `${classMetric} needs an extractor with a classifier head; this one gives features only. Drop ${classMetric} or use a classifier extractor.`,
    );
  }
  if (chosen.has('memorization') && options.train === undefined) {
    throw new InvalidArgumentError('train', 'The memorization metric needs `train`: the training images the model saw.');
  }
  if (chosen.has('discriminatorAccuracy') && !hasDiscriminator(source)) {
    throw new InvalidArgumentError(
      'metrics',
      'discriminatorAccuracy needs a GanModel (with a discriminator) as the source, not images or a bare generator.',
    );
  }
  if (chosen.has('discriminatorAccuracy') && (source as GanModel).numClasses !== undefined && !hasLabels(options.real)) {
    throw new InvalidArgumentError('real', 'discriminatorAccuracy of a conditional GAN needs labeled real images (an ImageDataset with labels).');
  }
  return chosen;
}

/**
 * Refuses, before any work, images the extractor cannot score: the shipped Fashion-MNIST extractor
 * on anything but 28x28x1 (its features would say nothing about colour photos), or a user model on
 * images of another size or channel count without `resize` / `grayToRgb`.
 */
function assertExtractorFits(source: ImageSource, options: EvaluateOptions): void {
  const sets: [string, ImageSource][] = [['generated images', source], ['real images', options.real]];
  if (options.train !== undefined) sets.push(['training images', options.train]);
  for (const [what, set] of sets) {
    const shape = imageShapeOf(set);
    if (options.extractor !== undefined) {
      options.extractor.assertFits(shape, what);
      continue;
    }
    const want = FASHION_MNIST_EXTRACTOR.topology.imageShape;
    if (shape[0] !== want[0] || shape[1] !== want[1] || shape[2] !== want[2]) {
      throw new ShapeMismatchError(
        `evaluate: the ${what} are [${shape.join(', ')}] but the default extractor "${FASHION_MNIST_EXTRACTOR.name}" scores only ` +
          `[${want.join(', ')}] grayscale Fashion-MNIST-like images; its features would say nothing about these. Pass ` +
          '`extractor: featureExtractorFromModel(model, { resize: true })` with your own tfjs model (e.g. a converted Inception ' +
          'network), or `extractor: await loadFeatureExtractorModel(dirOrUrl, { resize: true })` from @aigc/core/node.',
        [...want],
        [...shape],
      );
    }
  }
}

/**
 * Counts the images D puts on the correct side of 0 (positive logit for real images, negative for
 * generated ones) into a tensor, so nothing is read until the end (`read()`, asynchronous).
 */
function correctCounter(gan: GanModel, real: boolean) {
  let total: tf.Scalar = tf.keep(tf.scalar(0, 'int32'));
  return {
    add(batch: tf.Tensor4D, labels: Int32Array | undefined): void {
      const next = tf.tidy(() => {
        const conditional = gan.numClasses !== undefined && labels !== undefined;
        const logits = gan.discriminate(batch, conditional ? tf.tensor1d(labels, 'int32') : undefined);
        return tf.add(total, tf.sum(tf.cast(real ? tf.greater(logits, 0) : tf.less(logits, 0), 'int32'))) as tf.Scalar;
      });
      total.dispose();
      total = next;
    },
    async read(): Promise<number> {
      const value = (await total.data())[0]!;
      total.dispose();
      return value;
    },
    dispose: () => total.dispose(),
  };
}

/**
 * Evaluates generated images against held-out real images in the extractor's feature space:
 * FID-style Fréchet distance, KID, k-NN precision/recall, classifier score, class coverage, and,
 * when available, memorization and the model's own discriminator accuracy. Every pass is batched
 * and leaves no tensors behind. `source` is a GanModel, another ImageGenerator, or images.
 */
export async function evaluate(source: ImageSource, options: EvaluateOptions): Promise<EvaluationReport> {
  checkKeys('evaluate', options, {
    real: true, n: true, realCount: true, metrics: true, extractor: true, train: true, batchSize: true,
    seed: true, kid: true, k: true, classifierScoreSplits: true, memorizationQuantile: true,
  });
  const began = Date.now();
  if (options?.real === undefined) {
    throw new InvalidArgumentError('real', 'evaluate needs `real`: held-out real images (e.g. the test split) to compare against.');
  }
  const chosen = chooseMetrics(source, options, options.extractor === undefined || options.extractor.numClasses !== undefined);
  assertExtractorFits(source, options);
  const seed = options.seed ?? 0;
  const batchSize = positiveInt('batchSize', options.batchSize ?? 250);
  const wanted = positiveInt('n', options.n ?? DEFAULT_EVALUATION_SAMPLES);
  const n = isImageSet(source) ? Math.min(wanted, imageSetSize(source)) : wanted;
  const realCount = Math.min(positiveInt('realCount', options.realCount ?? wanted), imageSetSize(options.real));
  const extractor = options.extractor ?? loadFeatureExtractor();
  const gan = chosen.has('discriminatorAccuracy') && hasDiscriminator(source) ? source : undefined;
  const fakeCorrect = gan === undefined ? undefined : correctCounter(gan, false);
  try {
    // Every read is asynchronous (await data()), so evaluation works on every backend, WebGPU in Node included.
    const gen = await extractor.extractAsync(source, n, {
      batchSize,
      seed,
      ...(fakeCorrect === undefined
        ? {}
        : { onBatch: (batch: tf.Tensor4D, _start: number, labels: Int32Array | undefined) => fakeCorrect.add(batch, labels) }),
    });
    const real = await extractor.extractAsync(options.real, realCount, { batchSize });
    const samples = { generated: n, real: realCount };
    const results: MetricResult[] = [];
    for (const name of METRIC_NAMES.filter((m) => chosen.has(m))) {
      switch (name) {
        case 'fid':
          results.push({ name, value: frechetDistance(gaussianStats(gen.features), gaussianStats(real.features)), better: 'lower', samples });
          break;
        case 'kid': {
          const kid = await readAsync(kernelDistanceReading(gen.features, real.features, { ...options.kid, seed }));
          results.push({ name, value: kid.mean, std: kid.std, better: 'lower', samples, details: { subsets: kid.subsets, subsetSize: kid.subsetSize } });
          break;
        }
        case 'precision':
        case 'recall': {
          if (results.some((r) => r.name === 'precision' || r.name === 'recall')) break;
          const pr = await readAsync(precisionRecallReading(real.features, gen.features, options.k ?? 3));
          if (chosen.has('precision')) results.push({ name: 'precision', value: pr.precision, better: 'higher', samples, details: { k: pr.k } });
          if (chosen.has('recall')) results.push({ name: 'recall', value: pr.recall, better: 'higher', samples, details: { k: pr.k } });
          break;
        }
        case 'classifierScore': {
          const cs = classifierScore(gen.probabilities!, Math.min(options.classifierScoreSplits ?? 10, n));
          const ref = classifierScore(real.probabilities!, Math.min(options.classifierScoreSplits ?? 10, realCount));
          results.push({ name, value: cs.mean, std: cs.std, better: 'higher', samples: { generated: n }, details: { splits: cs.splits, real: ref.mean } });
          break;
        }
        case 'classCoverage': {
          const cc = classCoverage(gen.probabilities!);
          const ref = classCoverage(real.probabilities!);
          results.push({
            name,
            value: cc.klToUniform,
            better: 'lower',
            samples: { generated: n },
            details: { histogram: cc.histogram, classesCovered: cc.classesCovered, realKlToUniform: ref.klToUniform },
          });
          break;
        }
        case 'memorization': {
          const train = options.train!;
          const trainCount = imageSetSize(train);
          const trainFeatures = (await extractor.extractAsync(train, trainCount, { batchSize })).features;
          const mem = await readAsync(memorizationReading(gen.features, real.features, trainFeatures, options.memorizationQuantile ?? 0.01));
          const { ratio, ...details } = mem;
          results.push({ name, value: ratio, better: 'toward 1', samples: { ...samples, train: trainCount }, details });
          break;
        }
        case 'discriminatorAccuracy': {
          const realCorrect = correctCounter(gan!, true);
          try {
            forEachImageBatch(options.real, realCount, (batch, _start, labels) => realCorrect.add(batch, labels), { batchSize });
          } catch (error) {
            realCorrect.dispose();
            throw error;
          }
          const accuracyReal = (await realCorrect.read()) / realCount;
          const accuracyFake = (await fakeCorrect!.read()) / n;
          results.push({ name, value: (accuracyReal + accuracyFake) / 2, better: 'toward 0.5', samples, details: { accuracyReal, accuracyFake } });
          break;
        }
      }
    }
    const record = extractor.record;
    return {
      extractor: {
        name: extractor.name,
        featureDim: extractor.featureDim,
        ...(record ? { dataset: record.dataset, testAccuracy: record.storedTestAccuracy } : {}),
      },
      backend: tf.getBackend(),
      seed,
      samples: options.train === undefined || !chosen.has('memorization') ? samples : { ...samples, train: imageSetSize(options.train) },
      metrics: results,
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    fakeCorrect?.dispose(); // a no-op after read()
    if (options.extractor === undefined) extractor.dispose();
  }
}
