export { imageGrid, imageGridAsync, type RasterImage, type ImageGridOptions } from './grid.js';
export { encodePng } from './png.js';
export { reconstructionGrid, type ReconstructionGridOptions, type Reconstructor } from './reconstruction-grid.js';
export {
  indexedDbCheckpointStore,
  type IndexedDbCheckpointStore,
  type IndexedDbCheckpointStoreOptions,
} from './indexeddb-store.js';
