/** Trains a feature extractor (a small CNN classifier) on a labeled image dataset; isomorphic. */
import { tf, assertGradientsRegistered } from '../../tf.js';
import { InvalidArgumentError, InvalidDataError } from '../../errors.js';
import { Rng } from '../../random/rng.js';
import type { ImageDataset } from '../../data/dataset.js';
import { FeatureExtractor } from './feature-extractor.js';
import { buildExtractorNetwork, DEFAULT_EXTRACTOR_TOPOLOGY } from './network.js';
import { encodeValues } from './codec.js';
import { EXTRACTOR_FORMAT, EXTRACTOR_FORMAT_VERSION, type ExtractorRecord, type ExtractorTopology, type ExtractorWeights } from './types.js';

/** Options of {@link trainFeatureExtractor}. */
export interface TrainExtractorOptions {
  /** Network shape. Default {@link DEFAULT_EXTRACTOR_TOPOLOGY} with the data's image shape and class count. */
  readonly topology?: ExtractorTopology;
  /** Passes over the training data. Default 6. */
  readonly epochs?: number;
  /** Batch size. Default 64. */
  readonly batchSize?: number;
  /** Adam learning rate. Default 0.001. */
  readonly learningRate?: number;
  /** Dropout rate on the features while training. Default 0.25. */
  readonly dropout?: number;
  /** Seed of weights, data order and dropout. Default 0. */
  readonly seed?: number;
  /** Called after each epoch with its mean loss and the test accuracy; awaited. */
  readonly onEpoch?: (info: ExtractorEpochInfo) => void | Promise<void>;
}

/** Progress of one training epoch. */
export interface ExtractorEpochInfo {
  /** Epoch number, from 1. */
  readonly epoch: number;
  /** Mean training cross-entropy of the epoch. */
  readonly loss: number;
  /** Accuracy on the test set after the epoch. */
  readonly testAccuracy: number;
  /** Seconds since training began. */
  readonly seconds: number;
}

/** Result of {@link trainFeatureExtractor}. */
export interface TrainedExtractor {
  /** The trained extractor (float32 weights); dispose it when done. */
  readonly extractor: FeatureExtractor;
  /** Final test accuracy. */
  readonly testAccuracy: number;
  /** Per-epoch progress. */
  readonly history: ExtractorEpochInfo[];
  /** The settings used, for the record. */
  readonly settings: { epochs: number; batchSize: number; learningRate: number; dropout: number; seed: number };
}

function requireLabels(data: ImageDataset, what: string, classes: number): Int32Array {
  if (data.labels === undefined) {
    throw new InvalidDataError(`The ${what} set has no labels; a feature extractor is a classifier and needs the labels file.`);
  }
  if ((data.numClasses ?? 0) > classes) {
    throw new InvalidDataError(`The ${what} set has ${String(data.numClasses)} classes but the topology has ${classes}.`);
  }
  return data.labels;
}

/** Share of `data`'s images whose argmax class matches the label, evaluated in batches of 500. */
export function classifierAccuracy(extractor: FeatureExtractor, data: ImageDataset): number {
  const labels = requireLabels(data, 'evaluation', extractor.numClasses);
  const { probabilities } = extractor.extract(data, data.size, { batchSize: 500 });
  let correct = 0;
  const k = probabilities.dim;
  for (let r = 0; r < data.size; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities.data[r * k + c]! > probabilities.data[r * k + best]!) best = c;
    if (best === labels[r]) correct++;
  }
  return correct / data.size;
}

/**
 * Trains the extractor CNN with Adam on softmax cross-entropy, with seeded dropout on the
 * features, and reports test accuracy per epoch. Deterministic for a seed on a given backend.
 */
export async function trainFeatureExtractor(
  train: ImageDataset,
  test: ImageDataset,
  options: TrainExtractorOptions = {},
): Promise<TrainedExtractor> {
  assertGradientsRegistered();
  const topology = options.topology ?? {
    ...DEFAULT_EXTRACTOR_TOPOLOGY,
    imageShape: train.imageShape,
    numClasses: Math.max(train.numClasses ?? 10, 2),
  };
  const settings = {
    epochs: options.epochs ?? 6,
    batchSize: options.batchSize ?? 64,
    learningRate: options.learningRate ?? 0.001,
    dropout: options.dropout ?? 0.25,
    seed: options.seed ?? 0,
  };
  if (!Number.isInteger(settings.epochs) || settings.epochs < 1) {
    throw new InvalidArgumentError('epochs', `epochs must be a positive integer, got ${String(settings.epochs)}.`);
  }
  if (!(settings.dropout >= 0 && settings.dropout < 1)) {
    throw new InvalidArgumentError('dropout', `dropout must be in [0, 1), got ${String(settings.dropout)}.`);
  }
  if (!(settings.learningRate > 0)) {
    throw new InvalidArgumentError('learningRate', `learningRate must be positive, got ${String(settings.learningRate)}.`);
  }
  requireLabels(train, 'training', topology.numClasses);
  requireLabels(test, 'test', topology.numClasses);
  const network = buildExtractorNetwork(topology, settings.seed);
  const extractor = new FeatureExtractor(network, 'untrained', topology);
  extractor.assertFits(train.imageShape, 'training images');
  const optimizer = tf.train.adam(settings.learningRate);
  const variables = [...network.body.trainableWeights, ...network.head.trainableWeights].map((w) => w.read() as tf.Variable);
  const rng = new Rng(settings.seed);
  const steps = train.batchCount(settings.batchSize);
  const history: ExtractorEpochInfo[] = [];
  const began = Date.now();
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = train.epochOrder(rng);
      let lossSum = 0;
      for (let s = 0; s < steps; s++) {
        const batch = train.batch(order, s * settings.batchSize, settings.batchSize);
        const maskSeed = rng.nextSeed();
        try {
          const loss = optimizer.minimize(
            () => {
              let features = network.body.apply(batch.images, { training: true }) as tf.Tensor2D;
              if (settings.dropout > 0) {
                const keep = tf.greaterEqual(tf.randomUniform(features.shape, 0, 1, 'float32', maskSeed), settings.dropout);
                features = tf.div(tf.mul(features, tf.cast(keep, 'float32')), 1 - settings.dropout);
              }
              const logits = network.head.apply(features, { training: true }) as tf.Tensor2D;
              const onehot = tf.oneHot(batch.labels!, topology.numClasses);
              return tf.losses.softmaxCrossEntropy(onehot, logits) as tf.Scalar;
            },
            true,
            variables,
          );
          lossSum += loss!.dataSync()[0]!;
          loss!.dispose();
        } finally {
          tf.dispose([batch.images, ...(batch.labels ? [batch.labels] : [])]);
        }
      }
      const info: ExtractorEpochInfo = {
        epoch,
        loss: lossSum / steps,
        testAccuracy: classifierAccuracy(extractor, test),
        seconds: (Date.now() - began) / 1000,
      };
      history.push(info);
      await options.onEpoch?.(info);
    }
  } catch (error) {
    extractor.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
  return { extractor, testAccuracy: history[history.length - 1]!.testAccuracy, history, settings };
}

/** Serializes an extractor's weights (float16 by default, half the size) with its record. */
export function serializeExtractor(
  extractor: FeatureExtractor,
  name: string,
  record: ExtractorRecord,
  encoding: 'float16' | 'float32' = 'float16',
): ExtractorWeights {
  const { body, head } = extractor.layers;
  const weights = [...body.weights, ...head.weights].map((w) => ({
    name: w.originalName ?? w.name,
    shape: [...w.shape] as number[],
    data: encodeValues(w.read().dataSync() as Float32Array, encoding),
  }));
  return {
    format: EXTRACTOR_FORMAT,
    version: EXTRACTOR_FORMAT_VERSION,
    name,
    topology: extractor.topology,
    encoding,
    weights,
    record,
  };
}
