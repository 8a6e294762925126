export { imageGrid, imageGridAsync, type RasterImage, type ImageGridOptions } from './grid.js';
export { encodePng } from './png.js';
export { fetchCapped, type FetchCappedOptions } from './fetch-capped.js';
export { parseNpy, isNpy, type NpyArray } from './npy.js';
export { imagesFromPixels, toGrayscale, type PixelArray } from './image-array.js';
export { reconstructionGrid, reconstructionGridAsync, type ReconstructionGridOptions, type Reconstructor } from './reconstruction-grid.js';
export {
  indexedDbCheckpointStore,
  type IndexedDbCheckpointStore,
  type IndexedDbCheckpointStoreOptions,
} from './indexeddb-store.js';
