/** Node-only data helpers: loading IDX folders, choosing a data source and downloading MNIST. */
export { assertDirectory, findIdxSplit, loadIdxDirectory, requireIdxSplit } from './idx-directory.js';
export type { IdxSplit, IdxSplitFiles, LoadIdxDirectoryOptions } from './idx-directory.js';
export { DEFAULT_SYSTEM_DATA_DIR, resolveDataSource } from './source.js';
export type { DataSource, ResolveDataSourceOptions } from './source.js';
export {
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_MNIST_BASE_URL,
  MNIST_FILES,
  defaultMnistCacheDir,
  downloadMnist,
} from './download.js';
export type { DownloadMnistOptions, DownloadProgress } from './download.js';
