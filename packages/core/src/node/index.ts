/**
 * Node-only helpers of @aigc/core: files, folders and downloads. Import from `@aigc/core/node`.
 * @packageDocumentation
 */
export { writeFileAtomic } from './atomic.js';
export { writePng } from './png-file.js';
export { jsonlMetricsCallback, jsonlMetricsLogger, type JsonlLoggerOptions, type JsonlMetricsCallback } from './jsonl-logger.js';
export {
  saveLayersModelToDir,
  loadLayersModelFromDir,
  loadLayersModelFromUrl,
  saveGenerator,
  loadGenerator,
  loadGeneratorFromUrl,
  MODEL_FORMAT_VERSION,
  type SavedModelInfo,
  type LoadModelOptions,
  type LoadModelFromUrlOptions,
} from './model-io.js';
export { fetchCapped, type FetchCappedOptions } from '../io/fetch-capped.js';
export * from './data/index.js';
export * from './evaluate/index.js';
export * from './checkpoint/index.js';
export * from './images/index.js';
