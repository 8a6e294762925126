/** Node-side trainer checkpoints (a folder per checkpoint) and file-writing training callbacks. */
import { registerCheckpointStore } from '../../training/checkpoint-store.js';
import { fileCheckpointStore } from './store.js';

/**
 * Makes the filesystem store the default for `trainer.save(dir)` and `Trainer.resume(dir)`. Importing
 * `@aigc/core/node` already does it (the package declares `"sideEffects": true`, since built-ins register themselves on import, so bundlers keep it);
 * call this where an explicit step reads better, or after registering another store.
 */
export function registerFileCheckpointStore(): void {
  registerCheckpointStore(fileCheckpointStore);
}

registerFileCheckpointStore();

export { fileCheckpointStore, readCheckpointDir, writeCheckpointDir, CHECKPOINT_MANIFEST } from './store.js';
export {
  checkpointCallback,
  sampleGridFileCallback,
  sampleGridSaver,
  type CheckpointCallbackOptions,
  type SampleGridFileCallbackOptions,
  type SampleGridSaverOptions,
} from './callbacks.js';
