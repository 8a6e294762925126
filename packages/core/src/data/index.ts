/** Isomorphic data layer: IDX parsing, MNIST-format decoding and the in-memory {@link ImageDataset}. */
export { DEFAULT_IDX_MAX_BYTES, gunzipBytes, parseIdx } from './idx.js';
export type { IdxArray, IdxData, IdxDtype, ParseIdxOptions } from './idx.js';
export type { DecodeIdxOptions, DecodedImages } from './mnist-format.js';
export { ImageDataset, pixelHistogram } from './dataset.js';
export * from './images/index.js';
// ImageShape is not re-exported: models/ exports the identical `readonly [h, w, c]` type under that name.
export type { BatchArrays, DatasetBatch, FromIdxOptions, ImageDatasetInit, ImageDatasetUint8Init, PixelStorage } from './dataset.js';
