/** Node-only evaluation helpers: reading images from files and the `aigc-evaluate` CLI. */
export { parseNpy, isNpy, type NpyArray } from './npy.js';
export { imagesFromPixels, toGrayscale, type PixelArray } from './image-array.js';
export { readPngFolder } from './png-folder.js';
export { readImages, type ReadImagesOptions, type ReadImagesResult } from './read-images.js';
export { loadFeatureExtractorFile, loadFeatureExtractorModel, type LoadExtractorModelOptions } from './extractor-file.js';
export { runEvaluateCli, EVALUATE_USAGE, type CliIo } from './cli.js';
