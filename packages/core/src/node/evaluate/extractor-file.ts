/** Loads feature extractors from files: the training script's JSON, or a tfjs LayersModel folder or URL. */
import { readFile } from 'node:fs/promises';
import { featureExtractorFromModel, type ModelExtractorOptions, type ModelFeatureExtractor } from '../../metrics/extractor/model-extractor.js';
import { loadLayersModelFromDir, loadLayersModelFromUrl, type LoadModelFromUrlOptions } from '../model-io.js';
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

/** Options of {@link loadFeatureExtractorModel}: how to use the model, and the download caps. */
export interface LoadExtractorModelOptions extends ModelExtractorOptions, LoadModelFromUrlOptions {}

/**
 * Loads a tfjs LayersModel (a folder with model.json, or an http(s) URL of a model.json) as a
 * feature extractor for `evaluate`; see {@link featureExtractorFromModel} for the options. A graph
 * model is a ModelFormatError saying to load it with `@tensorflow/tfjs-converter` and pass it to
 * featureExtractorFromModel. The name defaults to the folder or URL.
 */
export async function loadFeatureExtractorModel(dirOrUrl: string, options: LoadExtractorModelOptions = {}): Promise<ModelFeatureExtractor> {
  const isUrl = /^https?:\/\//i.test(dirOrUrl);
  const { model } = isUrl ? await loadLayersModelFromUrl(dirOrUrl, options) : await loadLayersModelFromDir(dirOrUrl, options);
  try {
    return featureExtractorFromModel(model, { name: dirOrUrl, ...options });
  } catch (error) {
    model.dispose();
    throw error;
  }
}
