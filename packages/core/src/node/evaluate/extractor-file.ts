/** Loads a feature extractor saved as JSON by the training script (`--json`). */
import { readFile } from 'node:fs/promises';
import { ModelFormatError } from '../../errors.js';
import { extractorFromWeights, type FeatureExtractor } from '../../metrics/extractor/feature-extractor.js';
import type { ExtractorWeights } from '../../metrics/extractor/types.js';

/** Reads and loads an extractor JSON file (e.g. one trained on MNIST); a malformed file is a ModelFormatError. */
export async function loadFeatureExtractorFile(path: string): Promise<FeatureExtractor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ModelFormatError(`Could not read the extractor file ${path}: ${(cause as Error).message}`, { cause });
  }
  return extractorFromWeights(parsed as ExtractorWeights);
}
