import type { TrainerCallback } from '../../training/types.js';
import { sampleGridSaver } from './callbacks.js';

/**
 * A callback that writes `samples-<step>.png` grids (zero-padded to six digits, plus `latest.png`)
 * into a folder: the `xxxCallback` name of {@link sampleGridSaver}, with the same arguments and defaults.
 */
export function sampleGridFileCallback(...args: Parameters<typeof sampleGridSaver>): TrainerCallback {
  return sampleGridSaver(...args);
}
