/** Node image-folder loading: `loadImageFolder` and its cache. */
export { loadImageFolder, type ImageFolderOptions } from './load-image-folder.js';
export { defaultImageCacheDir } from './cache.js';
export { DEFAULT_IMAGE_CACHE_MAX_BYTES } from './cache-prune.js';
