import { modelFromTopology } from '../io/safe-model.js';
import { InvalidArgumentError } from '../errors.js';
import { ConditionalGanModel } from './conditional-gan.js';
import { LayersGanModel } from './layers-gan.js';
import type { GanModel, LayersGan } from './types.js';

/** How to rebuild a GanModel wrapper around its two networks; stored in checkpoints. */
export type GanModelSpec =
  | { readonly kind: 'layers' }
  | { readonly kind: 'conditional'; readonly numClasses: number; readonly auxiliaryClassifier: boolean };

/** The spec of a built-in GanModel; a custom GanModel gives an error telling the caller to pass the model to `resume`. */
export function ganModelSpec(model: GanModel): GanModelSpec | undefined {
  if (model instanceof ConditionalGanModel) {
    return { kind: 'conditional', numClasses: model.numClasses, auxiliaryClassifier: model.auxiliaryClassifier };
  }
  if (model instanceof LayersGanModel) return { kind: 'layers' };
  return undefined;
}

/** Most weight values a restored network may allocate when no budget is given: 2^28 (1 GiB of float32). */
const DEFAULT_MAX_ELEMENTS = 2 ** 28;

/**
 * Rebuilds a GanModel from its networks' topology JSON (`model.toJSON(null, false)`) and spec; the
 * weights are fresh. `maxElements` caps the weight values each network may allocate (checked
 * before allocation, against hostile topologies); default 2^28 each.
 */
export async function restoreGanModel(
  spec: GanModelSpec,
  generatorJson: unknown,
  discriminatorJson: unknown,
  maxElements: { readonly generator?: number; readonly discriminator?: number } = {},
): Promise<LayersGan> {
  const build = (json: unknown, which: 'generator' | 'discriminator') =>
    modelFromTopology(json, maxElements[which] ?? DEFAULT_MAX_ELEMENTS, `Cannot rebuild the ${which} from the checkpoint`);
  const generator = await build(generatorJson, 'generator');
  const discriminator = await build(discriminatorJson, 'discriminator').catch((error: unknown) => {
    generator.dispose();
    throw error;
  });
  if (spec.kind === 'layers') return new LayersGanModel(generator, discriminator);
  if (spec.kind === 'conditional') {
    return new ConditionalGanModel(generator, discriminator, {
      numClasses: spec.numClasses,
      auxiliaryClassifier: spec.auxiliaryClassifier,
    });
  }
  throw new InvalidArgumentError('model', `Unknown model kind ${JSON.stringify((spec as { kind: unknown }).kind)}; pass the model to resume.`);
}
