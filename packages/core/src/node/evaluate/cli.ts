/**
 * `aigc-evaluate`: scores images produced anywhere (IDX, .npy, a PNG folder) or a saved aigc
 * generator against real Fashion-MNIST images, on the same scale as the library's `evaluate`.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { useBackend } from '../../backends/registry.js';
import { AigcError } from '../../errors.js';
import { evaluate, type EvaluateOptions } from '../../metrics/evaluate.js';
import { formatReport, METRIC_NAMES, type MetricName } from '../../metrics/report.js';
import { loadFeatureExtractor } from '../../metrics/extractor/default.js';
import type { ImageSource } from '../../metrics/image-batches.js';
import type { ImageDataset } from '../../data/dataset.js';
import { DEFAULT_SYSTEM_DATA_DIR } from '../data/source.js';
import { loadGenerator } from '../model-io.js';
import { writeFileAtomic } from '../atomic.js';
import { loadFeatureExtractorFile } from './extractor-file.js';
import { readImages } from './read-images.js';
import { toGrayscale } from './image-array.js';

/** Usage text of `aigc-evaluate`. */
export const EVALUATE_USAGE = `Usage: aigc-evaluate (--images PATH | --generator DIR) [options]

Scores generated images against held-out real images with the aigc metrics (FID-style Fréchet
distance on a Fashion-MNIST classifier's features, KID, precision/recall, classifier score,
class coverage, memorization). How to read them:
https://github.com/aigc-js/aigc/blob/main/docs/metrics.md

  --images PATH      generated images: an IDX file (raw/.gz), an .npy array (uint8 0..255 or
                     float [0,1]/[-1,1]; NHWC, NCHW, NHW), or a folder of PNGs
  --generator DIR    a generator saved by aigc (saveGenerator); samples --n images from it
  --real PATH        held-out real images, same formats or a folder of IDX files (t10k split)
                     (default: ${DEFAULT_SYSTEM_DATA_DIR})
  --train PATH       training images the model saw (IDX folder: train split), for memorization
  --n N              images to evaluate (default 10000)
  --metrics LIST     comma-separated subset of ${METRIC_NAMES.join(',')}
  --extractor FILE   extractor JSON from the training script (default: shipped Fashion-MNIST CNN)
  --backend NAME     compute backend (default wasm)
  --seed N           seed of latents and KID subsets (default 0)
  --json FILE        also write the report as JSON
  -h, --help         show this help`;

/** Where the CLI writes; defaults to the process streams. */
export interface CliIo {
  /** Normal output. */
  readonly out: (line: string) => void;
  /** Errors. */
  readonly err: (line: string) => void;
}

const processIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${value}".`);
  return n;
}

class UsageError extends Error {}

function parseMetrics(list: string | undefined): MetricName[] | undefined {
  if (list === undefined) return undefined;
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((m) => !METRIC_NAMES.includes(m as MetricName));
  if (bad.length > 0) throw new UsageError(`unknown metric(s) ${bad.join(', ')}; choose from ${METRIC_NAMES.join(', ')}.`);
  return names as MetricName[];
}

/** Gray images for a one-channel extractor. */
function fit(images: ImageDataset, channels: number): ImageDataset {
  return channels === 1 ? toGrayscale(images) : images;
}

/** Runs `aigc-evaluate` with `argv` (without the node and script paths); resolves to the exit code. */
export async function runEvaluateCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        images: { type: 'string' },
        generator: { type: 'string' },
        real: { type: 'string' },
        train: { type: 'string' },
        n: { type: 'string' },
        metrics: { type: 'string' },
        extractor: { type: 'string' },
        backend: { type: 'string', default: 'wasm' },
        seed: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`aigc-evaluate: ${(error as Error).message}\n\n${EVALUATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(EVALUATE_USAGE);
    return 0;
  }
  let dispose: Array<{ dispose(): void }> = [];
  try {
    if ((values.images === undefined) === (values.generator === undefined)) {
      throw new UsageError('pass exactly one of --images PATH or --generator DIR.');
    }
    const n = intFlag('n', values.n, 10_000);
    const seed = intFlag('seed', values.seed, 0);
    const metrics = parseMetrics(values.metrics);
    const realPath = values.real ?? DEFAULT_SYSTEM_DATA_DIR;
    if (values.real === undefined && !existsSync(realPath)) {
      throw new UsageError(`no --real given and ${DEFAULT_SYSTEM_DATA_DIR} does not exist; pass --real with held-out real images.`);
    }
    const backend = await useBackend(values.backend!);
    const extractor = values.extractor ? await loadFeatureExtractorFile(values.extractor) : loadFeatureExtractor();
    dispose.push(extractor);
    const channels = extractor.imageShape[2];
    const real = await readImages(realPath, { limit: n, split: 't10k' });
    io.out(`real: ${real.description}`);
    let source: ImageSource;
    if (values.images !== undefined) {
      const generated = await readImages(values.images, { limit: n });
      io.out(`generated: ${generated.description}`);
      source = fit(generated.images, channels);
    } else {
      const generator = await loadGenerator(values.generator!);
      dispose.push(generator);
      io.out(`generated: ${n} samples from the generator in ${values.generator}`);
      source = generator;
    }
    const options: EvaluateOptions = {
      real: fit(real.images, channels),
      n,
      seed,
      extractor,
      ...(metrics ? { metrics } : {}),
    };
    if (values.train !== undefined) {
      const train = await readImages(values.train, { split: 'train' });
      io.out(`train: ${train.description}`);
      Object.assign(options, { train: fit(train.images, channels) });
    }
    io.out(`backend: ${backend.name}`);
    const report = await evaluate(source, options);
    io.out(formatReport(report));
    if (values.json !== undefined) {
      await writeFileAtomic(values.json, `${JSON.stringify(report, null, 2)}\n`);
      io.out(`report written to ${values.json}`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`aigc-evaluate: ${error.message}\n\n${EVALUATE_USAGE}`);
      return 2;
    }
    io.err(`aigc-evaluate: ${AigcError.isInstance(error) ? error.message : String((error as Error)?.stack ?? error)}`);
    return 1;
  } finally {
    for (const d of dispose) d.dispose();
    dispose = [];
  }
}
