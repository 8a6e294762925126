/** Builds the extractor CNN from its topology as two tfjs-layers models: body (features) and head (logits). */
import { tfl } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import type { ExtractorTopology } from './types.js';

/** The extractor network split at the feature layer. */
export interface ExtractorNetwork {
  /** Images `[n, h, w, c]` to ReLU features `[n, featureUnits]`. */
  readonly body: tfl.Sequential;
  /** Features to class logits `[n, numClasses]`. */
  readonly head: tfl.Sequential;
}

/** The shipped Fashion-MNIST extractor's topology: conv16, conv32, 64 features, 10 classes. */
export const DEFAULT_EXTRACTOR_TOPOLOGY: ExtractorTopology = Object.freeze({
  imageShape: [28, 28, 1] as const,
  convFilters: [16, 32],
  kernelSize: 3,
  featureUnits: 64,
  numClasses: 10,
});

function positiveInts(name: string, values: readonly number[]): void {
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new InvalidArgumentError(name, `${name} must be positive integers, got [${values.join(', ')}].`);
  }
}

/** Checks a topology's fields, throwing an InvalidArgumentError naming the bad one. */
export function checkTopology(t: ExtractorTopology): void {
  positiveInts('imageShape', t.imageShape);
  if (t.imageShape.length !== 3) {
    throw new InvalidArgumentError('imageShape', `imageShape must be [h, w, c], got [${t.imageShape.join(', ')}].`);
  }
  positiveInts('convFilters', t.convFilters);
  positiveInts('kernelSize', [t.kernelSize]);
  positiveInts('featureUnits', [t.featureUnits]);
  positiveInts('numClasses', [t.numClasses]);
  if (t.numClasses < 2) throw new InvalidArgumentError('numClasses', 'numClasses must be at least 2.');
}

/** Builds the network with Glorot-uniform weights; `seed` makes them reproducible (default unseeded). */
export function buildExtractorNetwork(topology: ExtractorTopology, seed?: number): ExtractorNetwork {
  checkTopology(topology);
  let index = 0;
  const init = () => (seed === undefined ? 'glorotUniform' : tfl.initializers.glorotUniform({ seed: seed * 1000 + index++ }));
  const body = tfl.sequential({ name: 'extractor_body' });
  topology.convFilters.forEach((filters, i) => {
    body.add(
      tfl.layers.conv2d({
        filters,
        kernelSize: topology.kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
        ...(i === 0 ? { inputShape: [...topology.imageShape] } : {}),
      }),
    );
    body.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  });
  body.add(tfl.layers.flatten());
  body.add(tfl.layers.dense({ units: topology.featureUnits, activation: 'relu', kernelInitializer: init() }));
  const head = tfl.sequential({ name: 'extractor_head' });
  head.add(tfl.layers.dense({ units: topology.numClasses, inputShape: [topology.featureUnits], kernelInitializer: init() }));
  return { body, head };
}
