import type { tfl } from '../tf.js';
import { modelFromTopology } from '../io/safe-model.js';
import { describeModel, modelKind, type Json } from './kinds.js';
import type { GanModel, LayersGan } from './types.js';
import './layers-gan.js';
import './conditional-gan.js';

/** How to rebuild a built-in GanModel wrapper around its two networks (the `'layers'` and `'conditional'` model kinds). */
export type GanModelSpec =
  | { readonly kind: 'layers' }
  | { readonly kind: 'conditional'; readonly numClasses: number; readonly auxiliaryClassifier: boolean };

/** The spec of a model of a registered kind; undefined for a custom model (pass it to `resume`). */
export function ganModelSpec(model: GanModel): GanModelSpec | undefined {
  const d = describeModel(model);
  return d === undefined ? undefined : ({ kind: d.kind, ...d.config } as unknown as GanModelSpec);
}

/** Most weight values a restored network may allocate when no budget is given: 2^28 (1 GiB of float32). */
const DEFAULT_MAX_ELEMENTS = 2 ** 28;

/**
 * Rebuilds a model of a registered kind from its settings and its networks' topology JSON
 * (`model.toJSON(null, false)`), with fresh weights. `maxElements` caps the weight values each
 * network may allocate (checked before allocation, against hostile topologies); default 2^28 each.
 */
export async function restoreModel(
  kind: string,
  config: { readonly [key: string]: Json },
  topologies: Readonly<Record<string, unknown>>,
  maxElements: Readonly<Record<string, number>> = {},
): Promise<unknown> {
  const entry = modelKind(kind);
  const built: Record<string, tfl.LayersModel> = {};
  try {
    for (const [name, json] of Object.entries(topologies)) {
      built[name] = await modelFromTopology(json, maxElements[name] ?? DEFAULT_MAX_ELEMENTS, `Cannot rebuild the ${name} from the checkpoint`);
    }
    return entry.restore(config, built);
  } catch (error) {
    for (const net of Object.values(built)) net.dispose();
    throw error;
  }
}

/** Rebuilds a built-in GanModel from its spec and its two networks' topology JSON (see {@link restoreModel}). */
export async function restoreGanModel(
  spec: GanModelSpec,
  generatorJson: unknown,
  discriminatorJson: unknown,
  maxElements: { readonly generator?: number; readonly discriminator?: number } = {},
): Promise<LayersGan> {
  const { kind, ...config } = spec as { kind: string } & Record<string, Json>;
  const budgets = Object.fromEntries(Object.entries(maxElements).filter(([, v]) => v !== undefined)) as Record<string, number>;
  return (await restoreModel(kind, config, { generator: generatorJson, discriminator: discriminatorJson }, budgets)) as LayersGan;
}
