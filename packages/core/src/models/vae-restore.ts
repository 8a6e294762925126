/** Checkpoint support of the VAE: what to store beside its two topologies, and how to rebuild it. */
import { modelFromTopology } from '../io/safe-model.js';
import { ModelFormatError } from '../errors.js';
import type { VaeLikelihood } from '../losses/elbo.js';
import { VaeModel } from './vae.js';

/** How to rebuild a {@link VaeModel} around its encoder and decoder; stored in checkpoints. */
export interface VaeModelSpec {
  readonly kind: 'vae';
  readonly likelihood: VaeLikelihood;
  readonly gaussianStd: number;
}

/** The spec of a VAE, for a checkpoint. */
export function vaeModelSpec(model: VaeModel): VaeModelSpec {
  return { kind: 'vae', likelihood: model.likelihood, gaussianStd: model.gaussianStd };
}

/** Most weight values a restored network may allocate when no budget is given: 2^28 (1 GiB of float32). */
const DEFAULT_MAX_ELEMENTS = 2 ** 28;

/**
 * Rebuilds a VAE from its networks' topology JSON (`model.toJSON(null, false)`) and spec; the
 * weights are fresh. `maxElements` caps the weight values each network may allocate (checked
 * before allocation); default 2^28 each. A bad spec or topology throws a `ModelFormatError`.
 */
export async function restoreVae(
  spec: unknown,
  encoderJson: unknown,
  decoderJson: unknown,
  maxElements: { readonly encoder?: number; readonly decoder?: number } = {},
): Promise<VaeModel> {
  const s = spec as Partial<VaeModelSpec> | null;
  if (s?.kind !== 'vae' || (s.likelihood !== 'bernoulli' && s.likelihood !== 'gaussian') || !(typeof s.gaussianStd === 'number' && s.gaussianStd > 0)) {
    throw new ModelFormatError(`The checkpoint's VAE spec ${JSON.stringify(spec)} is invalid (it needs kind 'vae', a likelihood and gaussianStd > 0); the checkpoint is corrupted.`);
  }
  const where = (which: string) => `Cannot rebuild the VAE's ${which} from the checkpoint`;
  const encoder = await modelFromTopology(encoderJson, maxElements.encoder ?? DEFAULT_MAX_ELEMENTS, where('encoder'));
  let decoder;
  try {
    decoder = await modelFromTopology(decoderJson, maxElements.decoder ?? DEFAULT_MAX_ELEMENTS, where('decoder'));
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  try {
    return new VaeModel(encoder, decoder, s.likelihood === 'gaussian' ? { likelihood: 'gaussian', gaussianStd: s.gaussianStd } : {});
  } catch (error) {
    encoder.dispose();
    decoder.dispose();
    throw new ModelFormatError(`${where('model')}: ${(error as Error).message}`, { cause: error });
  }
}
