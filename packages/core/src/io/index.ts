export { imageGrid, imageGridAsync, type RasterImage, type ImageGridOptions } from './grid.js';
export { encodePng } from './png.js';
