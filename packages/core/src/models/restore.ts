import { tfl } from '../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../errors.js';
import { ConditionalGanModel } from './conditional-gan.js';
import { LayersGanModel } from './layers-gan.js';
import type { GanModel } from './types.js';

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

/** Rebuilds a GanModel from its networks' topology JSON (`model.toJSON(null, false)`) and spec; the weights are fresh. */
export async function restoreGanModel(spec: GanModelSpec, generatorJson: unknown, discriminatorJson: unknown): Promise<GanModel> {
  const build = async (json: unknown, which: string) => {
    try {
      return await tfl.models.modelFromJSON({ modelTopology: json } as Parameters<typeof tfl.models.modelFromJSON>[0]);
    } catch (cause) {
      throw new ModelFormatError(`Cannot rebuild the ${which} from the checkpoint: ${(cause as Error).message}`, { cause });
    }
  };
  const generator = await build(generatorJson, 'generator');
  const discriminator = await build(discriminatorJson, 'discriminator');
  if (spec.kind === 'layers') return new LayersGanModel(generator, discriminator);
  if (spec.kind === 'conditional') {
    return new ConditionalGanModel(generator, discriminator, {
      numClasses: spec.numClasses,
      auxiliaryClassifier: spec.auxiliaryClassifier,
    });
  }
  throw new InvalidArgumentError('model', `Unknown model kind ${JSON.stringify((spec as { kind: unknown }).kind)}; pass the model to resume.`);
}
