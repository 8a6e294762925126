/** Node-side trainer checkpoints (a folder per checkpoint) and file-writing training callbacks. */
import { registerCheckpointStore } from '../../training/checkpoint-store.js';
import { fileCheckpointStore } from './store.js';

registerCheckpointStore(fileCheckpointStore);

export { fileCheckpointStore, readCheckpointDir, writeCheckpointDir, CHECKPOINT_MANIFEST } from './store.js';
export {
  checkpointCallback,
  sampleGridSaver,
  type CheckpointCallbackOptions,
  type SampleGridSaverOptions,
} from './callbacks.js';
export { sampleGridFileCallback } from './names.js';
