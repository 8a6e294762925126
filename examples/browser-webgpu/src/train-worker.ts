/**
 * The training worker: owns the dataset, the model and the Trainer, so the page stays responsive
 * whatever the backend. It decodes your pictures (OffscreenCanvas exists here), checkpoints to
 * IndexedDB so a reload resumes, and yields to its event loop after every step, so pause is immediate.
 */
import { Trainer, normalSampler, tf, useBackend, type LayersGan, type ImageDataset, type StepMetrics } from '@aigc/core';
import { backendChain } from './backends.js';
import { loadFashionMnist } from './data.js';
import { gridOf } from './grid.js';
import { datasetOf, decodePictures } from './images.js';
import { modelChoice } from './models.js';
import type { ChartPoint, FromWorker, PictureFile, RunSettings, SavedRun, ToWorker } from './protocol.js';
import { RUN_KEY, checkpoints, forgetRun, load, savePictures, saveRun, type StoredPictures } from './session-db.js';

/** Format version written into exported model.json files (MODEL_FORMAT_VERSION of @aigc/core/node). */
const EXPORT_FORMAT_VERSION = 1;
const SAMPLE_COUNT = 36;
const SAMPLE_COLUMNS = 6;
const CHUNK_STEPS = 500;

interface Run {
  readonly settings: RunSettings;
  readonly gan: LayersGan;
  readonly trainer: Trainer;
  readonly fixedZ: tf.Tensor2D;
  /** Chart points of every step so far (saved with each checkpoint). */
  readonly history: ChartPoint[];
}

let fashion: Promise<ImageDataset> | undefined;
let pictures: ImageDataset | undefined;
let run: Run | undefined;
let controller: AbortController | undefined;
let looping: Promise<void> | undefined;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fashionData(): Promise<ImageDataset> {
  if (fashion === undefined) {
    const started = performance.now();
    post({ type: 'status', text: 'Downloading and decompressing Fashion-MNIST...' });
    fashion = loadFashionMnist().then((d) => {
      post({ type: 'data', size: d.size, seconds: (performance.now() - started) / 1000 });
      return d;
    });
    fashion.catch(() => (fashion = undefined));
  }
  return fashion;
}

async function picturesData(): Promise<ImageDataset> {
  if (pictures !== undefined) return pictures;
  const stored = await load<StoredPictures>('pictures');
  if (stored === undefined) throw new Error('No pictures yet: drop a folder of images on the page, or choose one.');
  pictures = datasetOf(stored.pixels, stored.imageShape);
  return pictures;
}

function data(settings: RunSettings): Promise<ImageDataset> {
  return settings.source === 'pictures' ? picturesData() : fashionData();
}

/** Tries each backend of the chain in turn, reporting why the skipped ones failed. */
async function pickBackend(choice: string): Promise<string> {
  const attempts: string[] = [];
  for (const adapter of backendChain(choice)) {
    post({ type: 'status', text: `Starting the ${adapter.name} backend...` });
    try {
      await useBackend(adapter);
      post({ type: 'backend', name: adapter.name, attempts });
      return adapter.name;
    } catch (error) {
      attempts.push(`${adapter.name}: ${errorText(error)}`);
    }
  }
  throw new Error(`No backend could start:\n${attempts.join('\n')}`);
}

/** A new run, or the saved one when IndexedDB holds a run with these settings. */
async function createRun(settings: RunSettings): Promise<Run> {
  const dataset = await data(settings);
  const backend = await pickBackend(settings.backend);
  const saved = await load<SavedRun>('run');
  const fixedZ = (latentDim: number) => tf.keep(normalSampler(latentDim).sample(SAMPLE_COUNT, { seed: 2024 }));
  if (saved !== undefined && sameRun(saved.settings, settings) && (await checkpoints.info(RUN_KEY)) !== undefined) {
    post({ type: 'status', text: `Resuming the saved run at step ${saved.step}...` });
    const trainer = await Trainer.resume(RUN_KEY, { store: checkpoints, backend: backendChain(backend) });
    const gan = trainer.model as LayersGan;
    const history = saved.history.filter((p) => p.step <= trainer.globalStep);
    return { settings, gan, trainer, fixedZ: fixedZ(gan.latentDim), history };
  }
  await forgetRun();
  const gan = modelChoice(settings.model).create(settings.seed, dataset.imageShape);
  const trainer = new Trainer(gan, {
    backend: backendChain(backend),
    batchSize: Math.min(settings.batchSize, dataset.size),
    seed: settings.seed,
  });
  await trainer.ready();
  return { settings, gan, trainer, fixedZ: fixedZ(gan.latentDim), history: [] };
}

/** Whether a saved run can continue under `next` (the menus that shape the model and data must agree). */
function sameRun(saved: RunSettings, next: RunSettings): boolean {
  return saved.source === next.source && saved.model === next.model && saved.batchSize === next.batchSize && saved.seed === next.seed;
}

async function postSamples(current: Run, step: number): Promise<void> {
  const images = tf.tidy(() => current.gan.generate(current.fixedZ, undefined, false));
  try {
    const grid = await gridOf(images, SAMPLE_COLUMNS);
    post({ type: 'samples', step, grid }, [grid.pixels.buffer as ArrayBuffer]);
  } finally {
    images.dispose();
  }
}

/** Saves the trainer to IndexedDB, then the run record that points at it. */
async function checkpoint(current: Run): Promise<void> {
  const step = current.trainer.globalStep;
  if (step === 0) return;
  await current.trainer.save(RUN_KEY, { store: checkpoints });
  await saveRun({ settings: current.settings, step, savedAt: new Date().toISOString(), history: current.history });
  post({ type: 'checkpointed', step });
}

async function trainLoop(current: Run, signal: AbortSignal): Promise<void> {
  const dataset = await data(current.settings);
  let windowStart = performance.now();
  let windowSteps = 0;
  let rate = 0;
  const { sampleEvery, checkpointSeconds, targetSteps } = current.settings;
  let lastSave = performance.now();
  const onStepEnd = async (m: StepMetrics): Promise<void> => {
    windowSteps++;
    const elapsed = performance.now() - windowStart;
    if (elapsed > 1000) {
      rate = (windowSteps * 1000) / elapsed;
      windowStart = performance.now();
      windowSteps = 0;
    } else if (rate === 0 && windowSteps >= 3) {
      rate = (windowSteps * 1000) / elapsed;
    }
    current.history.push({ step: m.step, dLoss: m.dLoss, gLoss: m.gLoss, dAccuracy: m.dAccuracy, dReal: m.dReal, dFake: m.dFake });
    post({ type: 'step', metrics: m, stepsPerSecond: rate });
    if (m.step % sampleEvery === 0) await postSamples(current, m.step);
    if (performance.now() - lastSave > checkpointSeconds * 1000) {
      await checkpoint(current);
      lastSave = performance.now();
    }
    if (targetSteps > 0 && m.step >= targetSteps) controller?.abort();
    // Let pause/reset messages in between steps, whatever the backend.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  while (!signal.aborted) {
    await current.trainer.fit(dataset, { steps: CHUNK_STEPS, signal, callbacks: [{ onStepEnd }] });
  }
  await postSamples(current, current.trainer.globalStep);
  await checkpoint(current);
  post({ type: 'paused', step: current.trainer.globalStep });
}

async function start(settings: RunSettings): Promise<void> {
  if (looping !== undefined) return;
  controller = new AbortController();
  const signal = controller.signal;
  looping = (async () => {
    try {
      run ??= await createRun(settings);
      await postSamples(run, run.trainer.globalStep);
      post({ type: 'status', text: 'Training' });
      await trainLoop(run, signal);
    } catch (error) {
      post({ type: 'error', message: errorText(error) });
    } finally {
      looping = undefined;
    }
  })();
  await looping;
}

async function stop(): Promise<void> {
  controller?.abort();
  await looping;
}

function dropRun(): void {
  if (run === undefined) return;
  run.fixedZ.dispose();
  run.trainer.dispose();
  run.gan.dispose();
  run = undefined;
}

async function reset(): Promise<void> {
  await stop();
  dropRun();
  await forgetRun();
  post({ type: 'reset' });
}

/** Decodes and cleans your pictures, keeps them in IndexedDB and makes them the training data. */
async function takePictures(files: readonly PictureFile[], size: number, channels: 1 | 3): Promise<void> {
  await stop();
  post({ type: 'status', text: `Reading ${files.length} files...` });
  const decoded = await decodePictures(files, {
    size,
    channels,
    onProgress: (done, total) => {
      if (done % 8 === 0 || done === total) post({ type: 'decoding', done, total });
    },
  });
  dropRun();
  await forgetRun();
  await savePictures(decoded);
  pictures = datasetOf(decoded.pixels, decoded.imageShape);
  post({ type: 'reset' });
  post({ type: 'pictures', summary: decoded.summary, stored: false });
}

/** Tells the page what IndexedDB holds: the pictures' summary and the saved run. */
async function probe(): Promise<void> {
  const stored = await load<StoredPictures>('pictures');
  if (stored !== undefined) post({ type: 'pictures', summary: stored.summary, stored: true });
  const saved = await load<SavedRun>('run');
  const info = saved === undefined ? undefined : await checkpoints.info(RUN_KEY).catch(() => undefined);
  post({ type: 'saved', run: saved !== undefined && info !== undefined ? { ...saved, step: info.globalStep } : null });
}

async function exportGenerator(): Promise<void> {
  const current = run;
  if (current === undefined) {
    post({ type: 'error', message: 'Nothing to download yet: start training first.' });
    return;
  }
  await current.gan.generator.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights =
        artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = JSON.stringify({
        format: 'layers-model',
        generatedBy: 'aigc browser example',
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: {
          aigc: {
            formatVersion: EXPORT_FORMAT_VERSION,
            kind: 'generator',
            latentDim: current.gan.latentDim,
            imageShape: [...current.gan.imageShape],
            step: current.trainer.globalStep,
          },
        },
      });
      post({ type: 'exported', json, weights }, [weights]);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
}

function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'probe':
      return probe();
    case 'pictures':
      return takePictures(message.files, message.size, message.channels);
    case 'start':
      return start(message.settings);
    case 'pause':
      return stop();
    case 'reset':
      return reset();
    case 'export':
      return exportGenerator();
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((error: unknown) => post({ type: 'error', message: errorText(error) }));
};
