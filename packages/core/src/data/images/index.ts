/** Isomorphic image loading: options, cleaning report, header reading and the browser loader. */
export {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_PIXELS,
  DEFAULT_MIN_PIXEL_STD,
  type ColorInput,
  type ImageFit,
  type ImageLoadOptions,
  type ImageLoadProgress,
} from './options.js';
export { SKIP_REASONS, type ClassCount, type DuplicateFile, type ImageLoadReport, type SkippedFile, type SkipReason } from './report.js';
export type { ImageFormat } from './header.js';
export { LoadedImageDataset } from './loaded.js';
export { loadImageFiles, type ImageFileInput } from './browser.js';
