/** Node image-folder loading: `loadImageFolder` and its cache. */
export { loadImageFolder, type ImageFolderOptions } from './load-image-folder.js';
export { defaultImageCacheDir } from './cache.js';
