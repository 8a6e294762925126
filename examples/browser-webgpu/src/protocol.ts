/** Messages between the page (main thread) and the training worker. */
import type { StepMetrics } from '@aigc/core';

/** Where the training images come from. */
export type DataSource = 'fashion' | 'pictures';

/** Settings of one training run. */
export interface RunSettings {
  /** `'fashion'` (the embedded Fashion-MNIST) or `'pictures'` (the pictures you gave the page). */
  readonly source: DataSource;
  /** Model id from MODEL_CHOICES. */
  readonly model: string;
  /** Backend preference: `'auto'` (webgpu, webgl, wasm, cpu) or one backend name. */
  readonly backend: string;
  /** Images per step. */
  readonly batchSize: number;
  /** Seed of the weights, data order and latents. */
  readonly seed: number;
  /** Redraw the sample grid every this many steps. */
  readonly sampleEvery: number;
  /** Save the training state to IndexedDB when this many seconds of training have passed since the last save, and on pause. */
  readonly checkpointSeconds: number;
  /** Pause when this step is reached; 0 trains until paused. */
  readonly targetSteps: number;
}

/** One picture given to the page, with its path inside the dropped or chosen folder. */
export interface PictureFile {
  readonly file: File;
  /** e.g. `cats/tom.png`; the file name for loose files. */
  readonly path: string;
}

/** What cleaning did to the pictures (from `loadImageFiles`' report): counts, a few names per reason, the output shape. */
export interface CleaningSummary {
  /** Files given (hidden ones not counted). */
  readonly found: number;
  /** Pictures kept for training. */
  readonly used: number;
  /** Files left out, per reason (`'corrupt'`, `'not-image'`, `'duplicate'`, ...; only reasons that occurred), with up to five paths each. */
  readonly dropped: ReadonlyArray<{ readonly reason: string; readonly count: number; readonly examples: readonly string[] }>;
  /** The training shape `[size, size, channels]`. */
  readonly imageShape: readonly [number, number, number];
  /** Seconds the load took. */
  readonly seconds: number;
}

/** One point of the training charts. */
export interface ChartPoint {
  readonly step: number;
  readonly dLoss: number;
  readonly gLoss: number;
  readonly dAccuracy: number;
  readonly dReal: number;
  readonly dFake: number;
}

/** A run saved in IndexedDB that a reload can continue. */
export interface SavedRun {
  readonly settings: RunSettings;
  /** The step of the saved checkpoint. */
  readonly step: number;
  /** When it was saved (ISO time). */
  readonly savedAt: string;
  /** The chart points up to `step`. */
  readonly history: readonly ChartPoint[];
}

/** Page -> worker. */
export type ToWorker =
  | { readonly type: 'probe' }
  | { readonly type: 'pictures'; readonly files: readonly PictureFile[]; readonly size: number; readonly channels: 1 | 3 }
  | { readonly type: 'start'; readonly settings: RunSettings }
  | { readonly type: 'pause' }
  | { readonly type: 'reset' }
  | { readonly type: 'export' };

/** A grid of generated images as 8-bit pixels, ready for a canvas. */
export interface SampleGrid {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 (gray) or 3 (RGB). */
  readonly channels: 1 | 3;
  /** Pixels, row-major, `width * height * channels`. */
  readonly pixels: Uint8Array;
}

/** Worker -> page. */
export type FromWorker =
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'data'; readonly size: number; readonly seconds: number }
  | { readonly type: 'decoding'; readonly done: number; readonly total: number }
  | { readonly type: 'pictures'; readonly summary: CleaningSummary; readonly stored: boolean }
  | { readonly type: 'saved'; readonly run: SavedRun | null }
  | { readonly type: 'checkpointed'; readonly step: number }
  | { readonly type: 'backend'; readonly name: string; readonly attempts: readonly string[] }
  | { readonly type: 'step'; readonly metrics: StepMetrics; readonly stepsPerSecond: number }
  | { readonly type: 'samples'; readonly step: number; readonly grid: SampleGrid }
  | { readonly type: 'paused'; readonly step: number }
  | { readonly type: 'reset' }
  | { readonly type: 'exported'; readonly json: string; readonly weights: ArrayBuffer }
  | { readonly type: 'error'; readonly message: string };
