export { imageGrid, imageGridAsync, type RasterImage, type ImageGridOptions } from './grid.js';
export { encodePng } from './png.js';
export {
  indexedDbCheckpointStore,
  type IndexedDbCheckpointStore,
  type IndexedDbCheckpointStoreOptions,
} from './indexeddb-store.js';
