import { InvalidArgumentError } from '../errors.js';
import { dynamicImport, isNode } from '../platform/env.js';
import type { CheckpointStore } from './checkpoint-types.js';

const KEY = Symbol.for('aigc.checkpointStore');
type Holder = { [KEY]?: CheckpointStore };

/** Makes `store` the default for `trainer.save(dir)` and `Trainer.resume(dir)`; `@aigc/core/node` registers the filesystem store. */
export function registerCheckpointStore(store: CheckpointStore): void {
  (globalThis as Holder)[KEY] = store;
}

/** The store to use: `explicit`, else the registered one (in Node, importing `@aigc/core/node` on demand). */
export async function resolveCheckpointStore(explicit?: CheckpointStore): Promise<CheckpointStore> {
  if (explicit !== undefined) return explicit;
  let store = (globalThis as Holder)[KEY];
  if (store === undefined && isNode()) {
    await dynamicImport('@aigc/core/node').catch(() => undefined);
    store = (globalThis as Holder)[KEY];
  }
  if (store === undefined) {
    throw new InvalidArgumentError(
      'store',
      'No checkpoint store is registered. In Node, call registerFileCheckpointStore() from "@aigc/core/node" (importing it once does the same); elsewhere pass a CheckpointStore or call registerCheckpointStore(store).',
    );
  }
  return store;
}
