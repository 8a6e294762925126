/** The progress bar is @aigc/cli's (the same one `aigc train` shows). */
export { progressBar, type ProgressStream } from '@aigc/cli';
