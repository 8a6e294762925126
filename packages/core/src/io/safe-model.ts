/**
 * Building a tfjs LayersModel from untrusted topology JSON without letting it allocate more
 * than its weights manifest declares. Isomorphic: used by model files and checkpoints.
 */
import { tf, tfl } from '../tf.js';
import { ModelFormatError } from '../errors.js';
import { registerAigcLayers } from '../models/layers/register.js';

type AddWeight = (this: unknown, name: string, shape: unknown, ...rest: unknown[]) => unknown;

/** Bytes of one element of each weight dtype tfjs can store. */
export const WEIGHT_DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** @internal Number of elements of a shape; undefined unless every dim is a non-negative integer and the product is safe. */
export function shapeSize(shape: unknown): number | undefined {
  if (!Array.isArray(shape) || shape.length > 8) return undefined;
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) return undefined;
    size *= d as number;
  }
  return Number.isSafeInteger(size) ? size : undefined;
}

/** @internal Elements and bytes a weights manifest entry declares, or a ModelFormatError naming it. */
export function weightSpecSize(spec: unknown, where: string): { elements: number; bytes: number } {
  const s = spec as Partial<tf.io.WeightsManifestEntry> | null;
  const name = JSON.stringify(s?.name);
  if (typeof s !== 'object' || s === null || typeof s.name !== 'string') {
    throw new ModelFormatError(`${where}: a weights manifest entry has no name; the file is corrupted or not a tfjs model.`);
  }
  const elements = shapeSize(s.shape);
  if (elements === undefined) {
    throw new ModelFormatError(`${where}: weight ${name} has an invalid shape ${JSON.stringify(s.shape)}; the file is corrupted.`);
  }
  const dtype = s.quantization?.dtype ?? s.dtype;
  const size = typeof dtype === 'string' ? WEIGHT_DTYPE_BYTES[dtype] : undefined;
  if (size === undefined) {
    throw new ModelFormatError(`${where}: weight ${name} has an unsupported dtype ${JSON.stringify(dtype)}; save it as float32.`);
  }
  return { elements, bytes: elements * size };
}

/** Deepest nesting accepted in a topology; real ones are under 20 levels deep. */
const MAX_TOPOLOGY_DEPTH = 64;

/** Walks the topology without recursion, refusing absurd nesting (which would overflow the stack later) and stateful layers. */
function scanTopology(topology: object, where: string): void {
  const stack: Array<[unknown, number]> = [[topology, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_TOPOLOGY_DEPTH) {
      throw new ModelFormatError(`${where}: the topology is nested more than ${MAX_TOPOLOGY_DEPTH} levels deep; the file is corrupted or hostile.`);
    }
    if (!Array.isArray(node) && (node as Record<string, unknown>).stateful === true) {
      throw new ModelFormatError(`${where}: the topology has a stateful layer, which aigc does not load; re-save the model without stateful: true.`);
    }
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
}

/**
 * Builds a model from `topology` (a tfjs `modelTopology`), refusing any layer weight that would
 * take the total past `maxElements` before it is allocated. Stateful layers are refused (their
 * state is allocated outside the weights). The weights are initialized, not loaded.
 */
export async function modelFromTopology(topology: unknown, maxElements: number, where: string): Promise<tfl.LayersModel> {
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) {
    throw new ModelFormatError(`${where}: modelTopology is missing or not an object; the file is corrupted or not a tfjs layers model.`);
  }
  scanTopology(topology, where);
  registerAigcLayers();
  const proto = tfl.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  let used = 0;
  const created: Array<{ dispose(): void }> = [];
  proto.addWeight = function guardedAddWeight(this: unknown, name, shape, ...rest) {
    const size = shapeSize(shape);
    if (size === undefined || used + size > maxElements) {
      throw new ModelFormatError(
        `${where}: the topology asks for a weight "${name}" of shape ${JSON.stringify(shape)}, beyond the ${maxElements} ` +
          'values its weights manifest declares; the model file is corrupted or hostile. Re-save it from the original model.',
      );
    }
    used += size;
    const weight = original.call(this, name, shape, ...rest) as { dispose(): void };
    created.push(weight);
    return weight;
  };
  let pending: Promise<tfl.LayersModel>;
  try {
    // modelFromJSON builds the layers synchronously before its first await, so the guard is
    // active exactly while this model allocates its weights.
    pending = tfl.models.modelFromJSON({ modelTopology: topology } as Parameters<typeof tfl.models.modelFromJSON>[0]);
  } finally {
    proto.addWeight = original;
  }
  try {
    return await pending;
  } catch (cause) {
    // The model never came to be: free the weights its first layers already made.
    for (const weight of created) weight.dispose();
    if (ModelFormatError.isInstance(cause)) throw cause;
    throw new ModelFormatError(`${where}: the topology is invalid (${(cause as Error)?.message ?? String(cause)}).`, { cause });
  }
}

/**
 * Sets a model's weights from raw bytes described by `specs`, strictly: every model weight must be
 * given once with its exact shape. Throws a ModelFormatError otherwise; frees the decoded tensors.
 */
export function setWeightsStrict(model: tfl.LayersModel, data: ArrayBuffer, specs: tf.io.WeightsManifestEntry[], where: string): void {
  let map: tf.NamedTensorMap | undefined;
  try {
    map = tf.io.decodeWeights(data, specs);
    model.loadWeights(map, true);
  } catch (cause) {
    throw new ModelFormatError(
      `${where}: the weights do not fit the topology (${(cause as Error)?.message ?? String(cause)}); the save is corrupted or mixed from two models.`,
      { cause },
    );
  } finally {
    if (map) tf.dispose(Object.values(map));
  }
}
