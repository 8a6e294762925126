/**
 * The training worker: owns the dataset, the model and the Trainer, so the page stays responsive
 * whatever the backend. It yields to its event loop after every step, so pause is immediate.
 */
import { Trainer, normalSampler, tf, useBackend, type LayersGan, type ImageDataset, type StepMetrics } from '@aigc/core';
import { backendChain } from './backends.js';
import { loadFashionMnist } from './data.js';
import { gridOf } from './grid.js';
import { modelChoice } from './models.js';
import type { FromWorker, RunSettings, ToWorker } from './protocol.js';

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
}

let dataPromise: Promise<ImageDataset> | undefined;
let run: Run | undefined;
let controller: AbortController | undefined;
let looping: Promise<void> | undefined;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function data(): Promise<ImageDataset> {
  if (dataPromise === undefined) {
    const started = performance.now();
    post({ type: 'status', text: 'Downloading and decompressing Fashion-MNIST...' });
    dataPromise = loadFashionMnist().then((d) => {
      post({ type: 'data', size: d.size, seconds: (performance.now() - started) / 1000 });
      return d;
    });
    dataPromise.catch(() => (dataPromise = undefined));
  }
  return dataPromise;
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

async function createRun(settings: RunSettings): Promise<Run> {
  const dataset = await data();
  const backend = await pickBackend(settings.backend);
  const gan = modelChoice(settings.model).create(settings.seed);
  const trainer = new Trainer(gan, {
    backend: backendChain(backend),
    batchSize: Math.min(settings.batchSize, dataset.size),
    seed: settings.seed,
  });
  await trainer.ready();
  const fixedZ = tf.keep(normalSampler(gan.latentDim).sample(SAMPLE_COUNT, { seed: 2024 }));
  return { settings, gan, trainer, fixedZ };
}

async function postSamples(current: Run, step: number): Promise<void> {
  const images = tf.tidy(() => current.gan.generate(current.fixedZ, undefined, false));
  try {
    const grid = await gridOf(images, SAMPLE_COLUMNS);
    post({ type: 'samples', step, grid }, [grid.gray.buffer as ArrayBuffer]);
  } finally {
    images.dispose();
  }
}

async function trainLoop(current: Run, signal: AbortSignal): Promise<void> {
  const dataset = await data();
  let windowStart = performance.now();
  let windowSteps = 0;
  let rate = 0;
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
    post({ type: 'step', metrics: m, stepsPerSecond: rate });
    if (m.step % current.settings.sampleEvery === 0) await postSamples(current, m.step);
    // Let pause/reset messages in between steps, whatever the backend.
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  while (!signal.aborted) {
    await current.trainer.fit(dataset, { steps: CHUNK_STEPS, signal, callbacks: [{ onStepEnd }] });
  }
  await postSamples(current, current.trainer.globalStep);
  post({ type: 'paused', step: current.trainer.globalStep });
}

async function start(settings: RunSettings): Promise<void> {
  if (looping !== undefined) return;
  controller = new AbortController();
  const signal = controller.signal;
  looping = (async () => {
    try {
      run ??= await createRun(settings);
      if (run.trainer.globalStep === 0) await postSamples(run, 0);
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

async function reset(): Promise<void> {
  await stop();
  if (run !== undefined) {
    run.fixedZ.dispose();
    run.trainer.dispose();
    run.gan.dispose();
    run = undefined;
  }
  post({ type: 'reset' });
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

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  const task =
    message.type === 'start'
      ? start(message.settings)
      : message.type === 'pause'
        ? stop()
        : message.type === 'reset'
          ? reset()
          : exportGenerator();
  task.catch((error: unknown) => post({ type: 'error', message: errorText(error) }));
};
