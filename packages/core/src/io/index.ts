export { imageGrid, type RasterImage, type ImageGridOptions } from './grid.js';
export { encodePng } from './png.js';
export { fetchCapped, type FetchCappedOptions } from './fetch-capped.js';
export { parseNpy, isNpy, type NpyArray } from './npy.js';
export { imagesFromPixels, toGrayscale, type PixelArray } from './image-array.js';
