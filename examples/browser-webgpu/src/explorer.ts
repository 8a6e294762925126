/**
 * The explorer: samples a generator on the main thread (cpu backend; one 28x28 DCGAN image costs a
 * few milliseconds) with a slider per latent coordinate, a class picker for conditional generators,
 * an interpolation strip and a wander mode.
 */
import { Rng, generatorFromLayers, tf, tfl, useBackend, type ImageGenerator } from '@aigc/core';
import { paintGrid } from './draw.js';
import { gridOf } from './grid.js';

const MAX_SLIDERS = 16;
const STRIP_FRAMES = 10;

/** Standard normal draws from the seeded Rng (Box-Muller). */
function normals(rng: Rng, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const u = Math.max(rng.nextFloat(), 1e-12);
    const v = rng.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    out.push(r * Math.cos(2 * Math.PI * v), r * Math.sin(2 * Math.PI * v));
  }
  return out.slice(0, n);
}

/**
 * A tfjs generator as the explorer samples it: one input (z, `[n, latentDim]`) or two (z and a
 * one-hot class, `[n, numClasses]`, as `dcgan({ numClasses })` builds it).
 */
export class ExplorerGenerator {
  /** Width of z. */
  readonly latentDim: number;
  /** Number of classes of a conditional generator; undefined for an unconditional one. */
  readonly numClasses: number | undefined;
  private readonly inner: ImageGenerator;

  /** Wraps `model` with @aigc/core's `generatorFromLayers`, which checks its inputs and output. */
  constructor(readonly model: tfl.LayersModel) {
    this.inner = generatorFromLayers(model);
    this.latentDim = this.inner.latentDim;
    this.numClasses = this.inner.numClasses;
  }

  /** Images `[n, h, w, c]` in [-1, 1] for the latents, all of class `label` (ignored when unconditional). */
  generate(latents: number[][], label: number): tf.Tensor4D {
    return tf.tidy(() => {
      const z = tf.tensor2d(latents, [latents.length, this.latentDim]);
      const labels = this.numClasses === undefined ? undefined : (tf.fill([latents.length], label, 'int32') as tf.Tensor1D);
      return this.inner.generate(z, labels);
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** The DOM elements the explorer drives. */
export interface ExplorerElements {
  readonly image: HTMLCanvasElement;
  readonly strip: HTMLCanvasElement;
  readonly sliders: HTMLElement;
  readonly source: HTMLElement;
  /** The class picker, shown only for a conditional generator. */
  readonly classes: HTMLSelectElement;
}

/** Interactive sampling from one generator at a time. */
export class Explorer {
  private generator: ExplorerGenerator | undefined;
  private label = 0;
  /** Draw requests so far, and the one the image on the canvas shows (`data-request` / `data-drawn` on the image, for tests). */
  private requests = 0;
  private z: number[] = [];
  private ends: [number[], number[]] = [[], []];
  private readonly rng = new Rng(7);
  private drawing = false;
  private dirty = false;
  private wanderHandle: number | undefined;
  private wanderPhase = 0;
  private wanderDirs: number[][] = [];

  constructor(private readonly el: ExplorerElements) {
    el.strip.addEventListener('click', (event) => {
      const rect = el.strip.getBoundingClientRect();
      const t = Math.min(STRIP_FRAMES - 1, Math.floor(((event.clientX - rect.left) / rect.width) * STRIP_FRAMES));
      this.setLatent(this.lerp(t / (STRIP_FRAMES - 1)));
    });
    el.classes.addEventListener('change', () => this.pickClass(Number(el.classes.value)));
  }

  /** Loads a tfjs layers model from a URL (the shipped generator) and shows it; `classNames` label a conditional one's picker. */
  async loadUrl(url: string, label: string, classNames: readonly string[] = []): Promise<void> {
    await useBackend('cpu');
    const model = await tfl.loadLayersModel(url);
    this.use(model, label, classNames);
  }

  /** The class a conditional generator samples (0 for an unconditional one). */
  get pickedClass(): number {
    return this.label;
  }

  /** Samples class `c` from now on (redrawing the image and the strip); ignored when unconditional or out of range. */
  pickClass(c: number): void {
    const k = this.generator?.numClasses;
    if (k === undefined || !Number.isInteger(c) || c < 0 || c >= k) return;
    this.label = c;
    this.el.classes.value = String(c);
    this.el.image.dataset.class = String(c);
    void this.drawStrip();
    this.requestDraw();
  }

  /** Loads a model.json text and weights (an export of the training worker) and shows it. */
  async loadArtifacts(json: string, weights: ArrayBuffer, label: string): Promise<void> {
    await useBackend('cpu');
    const parsed = JSON.parse(json) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: parsed.modelTopology,
        weightSpecs: parsed.weightsManifest.flatMap((g) => g.weights),
        weightData: weights,
      }),
    );
    this.use(model, label, []);
  }

  private use(model: tfl.LayersModel, label: string, classNames: readonly string[]): void {
    let generator: ExplorerGenerator;
    try {
      generator = new ExplorerGenerator(model);
    } catch (error) {
      model.dispose();
      throw error;
    }
    this.generator?.dispose();
    this.generator = generator;
    this.el.source.textContent = label;
    this.buildClasses(generator.numClasses, classNames);
    this.z = normals(this.rng, generator.latentDim);
    this.buildSliders();
    this.newEnds();
  }

  /** Draws a new random latent. */
  randomize(): void {
    if (!this.generator) return;
    this.setLatent(normals(this.rng, this.generator.latentDim));
  }

  /** Draws two new random endpoints for the interpolation strip. */
  newEnds(): void {
    if (!this.generator) return;
    const d = this.generator.latentDim;
    this.ends = [normals(this.rng, d), normals(this.rng, d)];
    void this.drawStrip();
    this.setLatent(this.ends[0]);
  }

  /** Starts or stops a slow random walk through latent space; returns whether it is now on. */
  toggleWander(): boolean {
    if (this.wanderHandle !== undefined) {
      cancelAnimationFrame(this.wanderHandle);
      this.wanderHandle = undefined;
      return false;
    }
    if (!this.generator) return false;
    const d = this.generator.latentDim;
    const base = [...this.z];
    this.wanderDirs = [normals(this.rng, d), normals(this.rng, d)];
    const tick = () => {
      this.wanderPhase += 0.01;
      const [a, b] = this.wanderDirs as [number[], number[]];
      const s = Math.sin(this.wanderPhase);
      const c = Math.cos(this.wanderPhase) - 1;
      this.setLatent(base.map((v, i) => v + 0.9 * (s * (a[i] as number) + c * (b[i] as number))));
      this.wanderHandle = requestAnimationFrame(tick);
    };
    this.wanderHandle = requestAnimationFrame(tick);
    return true;
  }

  private lerp(t: number): number[] {
    const [a, b] = this.ends;
    return a.map((v, i) => (1 - t) * v + t * (b[i] as number));
  }

  private setLatent(z: number[]): void {
    this.z = z;
    this.el.sliders.querySelectorAll<HTMLInputElement>('input[type=range]').forEach((input, i) => {
      input.value = String(z[i] ?? 0);
    });
    this.requestDraw();
  }

  private buildSliders(): void {
    const box = this.el.sliders;
    box.replaceChildren();
    const count = Math.min(MAX_SLIDERS, this.generator?.latentDim ?? 0);
    for (let i = 0; i < count; i++) {
      const input = document.createElement('input');
      input.type = 'range';
      input.min = '-3';
      input.max = '3';
      input.step = '0.01';
      input.value = String(this.z[i] ?? 0);
      input.title = `z[${i}]`;
      input.setAttribute('aria-label', `latent coordinate ${i}`);
      input.addEventListener('input', () => {
        this.z[i] = Number(input.value);
        this.requestDraw();
      });
      box.append(input);
    }
  }

  private buildClasses(k: number | undefined, names: readonly string[]): void {
    const select = this.el.classes;
    select.replaceChildren();
    this.label = 0;
    (select.closest('label') ?? select).toggleAttribute('hidden', k === undefined);
    if (k === undefined) {
      delete this.el.image.dataset.class;
      return;
    }
    for (let c = 0; c < k; c++) {
      const option = document.createElement('option');
      option.value = String(c);
      option.textContent = names[c] ?? `class ${c}`;
      select.append(option);
    }
    select.value = '0';
    this.el.image.dataset.class = '0';
  }

  private requestDraw(): void {
    this.el.image.dataset.request = String(++this.requests);
    this.dirty = true;
    if (this.drawing) return;
    this.drawing = true;
    void (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          await this.drawOne();
        }
      } finally {
        this.drawing = false;
      }
    })();
  }

  private async render(latents: number[][], columns: number, padding: number): Promise<void> {
    const gen = this.generator;
    if (!gen) return;
    const images = gen.generate(latents, this.label);
    try {
      const grid = await gridOf(images, columns, padding);
      paintGrid(latents.length === 1 ? this.el.image : this.el.strip, grid);
    } finally {
      images.dispose();
    }
  }

  private async drawOne(): Promise<void> {
    const request = this.requests;
    await this.render([this.z], 1, 0);
    this.el.image.dataset.drawn = String(request);
  }

  private drawStrip(): Promise<void> {
    const frames = Array.from({ length: STRIP_FRAMES }, (_, k) => this.lerp(k / (STRIP_FRAMES - 1)));
    return this.render(frames, STRIP_FRAMES, 1);
  }
}
