/** Messages between the page (main thread) and the training worker. */
import type { StepMetrics } from '@aigc/core';

/** Settings of one training run. */
export interface RunSettings {
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
}

/** Page -> worker. */
export type ToWorker =
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
  /** Grayscale pixels, row-major, `width * height`. */
  readonly gray: Uint8Array;
}

/** Worker -> page. */
export type FromWorker =
  | { readonly type: 'status'; readonly text: string }
  | { readonly type: 'data'; readonly size: number; readonly seconds: number }
  | { readonly type: 'backend'; readonly name: string; readonly attempts: readonly string[] }
  | { readonly type: 'step'; readonly metrics: StepMetrics; readonly stepsPerSecond: number }
  | { readonly type: 'samples'; readonly step: number; readonly grid: SampleGrid }
  | { readonly type: 'paused'; readonly step: number }
  | { readonly type: 'reset' }
  | { readonly type: 'exported'; readonly json: string; readonly weights: ArrayBuffer }
  | { readonly type: 'error'; readonly message: string };
