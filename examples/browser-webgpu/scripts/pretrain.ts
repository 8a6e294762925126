/**
 * Trains the generator the page ships for instant sampling and saves its EMA weights with
 * `saveGenerator` into `public/pretrained/` (float16 by default). The default is the conditional
 * DCGAN of `pretrainedGan()` on the 60,000 Fashion-MNIST training images (the embedded t10k set
 * when they are not installed); `--model mlp` trains the page's former unconditional MLP.
 * Checkpoints go to `--work` every `--checkpoint-every` steps, and a run that finds one there
 * continues from it (exactly), so an interrupted run loses little and a finished one only exports.
 * Ctrl-C or SIGTERM (`kill PID`) finishes the current step, saves the checkpoint and exits with 130
 * (143 for SIGTERM); a second one quits at once.
 *
 *   npm run build -w @aigc/core && nice -n 5 npm run pretrain -w @aigc/example-browser-webgpu -- --steps 2000
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listenForStopSignals } from '@aigc/cli';
import { adam, evaluate, formatReport, hingeLoss, imageGrid, loadFeatureExtractor, mlpGan, tf, tfl, Trainer, type ImageDataset, type LayersGan, type TrainerOptions } from '@aigc/core';
import { CHECKPOINT_MANIFEST, findIdxSplit, loadIdxDirectory, readCheckpointDir, saveGenerator, writeFileAtomic, writePng } from '@aigc/core/node';
import { PRETRAINED } from '../src/pretrained-config.js';
import { pretrainedGan } from '../src/models.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SYSTEM_DATA = '/usr/share/datasets/fashion-mnist';
const { values } = parseArgs({
  options: {
    /** Total steps (a resumed run continues up to it). Default PRETRAINED.steps (2,000). */
    steps: { type: 'string', default: String(PRETRAINED.steps) },
    /** `cdcgan` (what ships) or `mlp` (the former unconditional MLP, latent 16, G 256-512). */
    model: { type: 'string', default: 'cdcgan' },
    /** IDX folder with a train split. Default: the system Fashion-MNIST, else the embedded t10k set. */
    data: { type: 'string' },
    out: { type: 'string', default: here('../public/pretrained') },
    /** Checkpoints, intermediate exports, previews and the evaluation. */
    work: { type: 'string', default: here('../out/pretrain') },
    'checkpoint-every': { type: 'string', default: '250' },
    /** Generated images scored against held-out test images at the end (0 = skip). */
    eval: { type: 'string', default: '2000' },
    /** Keep float32 weights instead of float16. */
    float32: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const every = Number(values['checkpoint-every']);
const evalCount = Number(values.eval);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(every) || every < 1 || !Number.isInteger(evalCount) || evalCount < 0) {
  throw new Error('--steps and --checkpoint-every must be positive integers, --eval an integer >= 0.');
}
if (values.model !== 'cdcgan' && values.model !== 'mlp') throw new Error(`--model must be cdcgan or mlp, got ${values.model}.`);
const conditional = values.model === 'cdcgan';
const work = values.work;
const checkpointDir = path.join(work, 'checkpoint');

/** The model and trainer options of a `--model`: the cDCGAN with the repaired recipe, or the old MLP. */
function build(): { gan: LayersGan; options: TrainerOptions } {
  const base = { backend: 'wasm', batchSize: PRETRAINED.batchSize, seed: PRETRAINED.seed } as const;
  if (!conditional) {
    const gan = mlpGan({ latentDim: 16, generatorUnits: [256, 512], discriminatorUnits: [256], seed: PRETRAINED.seed });
    return { gan, options: { ...base, ema: { decay: 0.999 } } };
  }
  const gan = pretrainedGan();
  // examples/mnist-gan's repaired recipe (spectral norm in D, hinge, TTUR, EMA with warm-up), with
  // G's batch-norm statistics recalibrated for the averaged weights before every sample and the export.
  return {
    gan,
    options: {
      ...base,
      loss: hingeLoss(),
      optimizers: { generator: adam(1e-4, 0.5), discriminator: adam(4e-4, 0.5) },
      ema: { decay: 0.999, warmup: true, batchNorm: { model: gan, batches: 16, seed: 3 } },
    },
  };
}

/** Round-to-nearest-even float32 -> IEEE half, as tfjs' float16 dequantization reads it. */
function toHalf(values: Float32Array): Uint16Array {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i] as number;
    const x = u[0] as number;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    let h: number;
    if (exp === 0xff) h = sign | 0x7c00 | (mant === 0 ? 0 : 0x200);
    else {
      const e = exp - 127 + 15;
      if (e >= 0x1f) h = sign | 0x7c00;
      else if (e <= 0) {
        if (e < -10) h = sign;
        else {
          const m = mant | 0x800000;
          const shift = 14 - e;
          let half = m >>> shift;
          const rest = m & ((1 << shift) - 1);
          const mid = 1 << (shift - 1);
          if (rest > mid || (rest === mid && (half & 1) === 1)) half++;
          h = sign | half;
        }
      } else {
        h = sign | (e << 10) | (mant >>> 13);
        const rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
      }
    }
    out[i] = h;
  }
  return out;
}

/** Rewrites a saved model's float32 weights as float16 (`quantization: { dtype: 'float16' }`), which tfjs dequantizes on load. */
async function quantizeToFloat16(dir: string): Promise<void> {
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string; quantization?: object }> }>;
  };
  const group = json.weightsManifest[0];
  if (json.weightsManifest.length !== 1 || group === undefined || group.paths.length !== 1) throw new Error('expected one weights file');
  const oldName = group.paths[0] as string;
  const bytes = await fs.readFile(path.join(dir, oldName));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  if (group.weights.some((w) => w.dtype !== 'float32' || w.quantization !== undefined)) throw new Error('expected plain float32 weights');
  const half = new Uint8Array(toHalf(floats).buffer);
  const name = `weights-${createHash('sha256').update(half).digest('hex').slice(0, 16)}.bin`;
  await writeFileAtomic(path.join(dir, name), half);
  group.paths = [name];
  group.weights = group.weights.map((w) => ({ ...w, quantization: { dtype: 'float16' } }));
  await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
  if (oldName !== name) await fs.rm(path.join(dir, oldName), { force: true });
}

/** Largest difference between the saved generator's images (as the page loads them) and the live model's, on 64 seeded latents. */
async function savedDifference(gan: LayersGan, dir: string): Promise<number> {
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const group = json.weightsManifest[0] as { paths: string[]; weights: tf.io.WeightsManifestEntry[] };
  const bytes = await fs.readFile(path.join(dir, group.paths[0] as string));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const saved = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }));
  try {
    return tf.tidy(() => {
      const z = tf.randomNormal([64, gan.latentDim], 0, 1, 'float32', 5) as tf.Tensor2D;
      const k = gan.numClasses;
      const labels = k === undefined ? undefined : (tf.tensor1d(Int32Array.from({ length: 64 }, (_, i) => i % k), 'int32') as tf.Tensor1D);
      const live = gan.generate(z, labels, false);
      const loaded = saved.predict(labels === undefined || k === undefined ? z : [z, tf.cast(tf.oneHot(labels, k), 'float32')]) as tf.Tensor;
      return tf.max(tf.abs(tf.sub(live, loaded))).dataSync()[0] as number;
    });
  } finally {
    saved.dispose();
  }
}

/**
 * Writes the EMA generator to `dir` (float16 unless --float32) and a 10x8 preview grid (one row
 * per class for the cDCGAN); returns the largest pixel difference the saved weights make (in [-1, 1] units).
 */
async function exportTo(trainer: Trainer<LayersGan>, dir: string, preview: string): Promise<number> {
  const difference = await trainer.withAveragedGenerator(async () => {
    await saveGenerator(trainer.model, dir);
    if (!values.float32) await quantizeToFloat16(dir);
    return savedDifference(trainer.model, dir);
  });
  const k = trainer.model.numClasses;
  const n = k === undefined ? 64 : k * 8;
  const labels = k === undefined ? undefined : Array.from({ length: n }, (_, i) => Math.floor(i / 8));
  const samples = trainer.sample(n, { seed: 7, ...(labels === undefined ? {} : { labels }) });
  try {
    await writePng(preview, imageGrid(samples, { columns: 8 }));
  } finally {
    samples.dispose();
  }
  return difference;
}

/** Fraction of EMA samples (`trainer.sample` applies the average) of each class that the shipped Fashion-MNIST classifier assigns to that class. */
async function perClassAccuracy(trainer: Trainer<LayersGan>, perClass: number): Promise<number[]> {
  const k = trainer.model.numClasses ?? 0;
  const extractor = loadFeatureExtractor();
  try {
    const acc: number[] = [];
    for (let c = 0; c < k; c++) {
      const images = trainer.sample(perClass, { seed: 100 + c, labels: new Array<number>(perClass).fill(c) });
      const predicted = tf.tidy(() => tf.argMax(extractor.predict(images).logits, 1));
      const p = (await predicted.data()) as Int32Array;
      tf.dispose([images, predicted]);
      acc.push(p.filter((v) => v === c).length / perClass);
    }
    return acc;
  } finally {
    extractor.dispose();
  }
}

const dataDir = values.data ?? (findIdxSplit(SYSTEM_DATA, 'train') !== undefined ? SYSTEM_DATA : here('../../data/fashion-mnist'));
const split = findIdxSplit(dataDir, 'train') !== undefined ? 'train' : 't10k';
const data: ImageDataset = await loadIdxDirectory(dataDir, { split });
console.log(`data: ${data.size} images (${split}) from ${dataDir}`);
const { gan, options } = build();
const trainer = new Trainer(gan, options);
if (existsSync(path.join(checkpointDir, CHECKPOINT_MANIFEST))) {
  await trainer.loadCheckpoint(await readCheckpointDir(checkpointDir));
  console.log(`continuing from the checkpoint in ${checkpointDir} at step ${trainer.globalStep}`);
}
console.log(`backend ${await trainer.ready()}, ${values.model}, ${gan.generator.countParams()} generator weights`);
const started = Date.now();
const first = trainer.globalStep;
const stop = listenForStopSignals({
  onFirst: (name) => console.error(`\n${name}: finishing the current step, then saving the checkpoint (run again to continue; a second signal quits now)...`),
});
while (trainer.globalStep < steps) {
  const chunk = Math.min(every - (trainer.globalStep % every), steps - trainer.globalStep);
  const h = await trainer.fit(data, { steps: chunk, signal: stop.signal });
  const m = h.metrics.at(-1);
  const rate = ((trainer.globalStep - first) / ((Date.now() - started) / 1000)).toFixed(2);
  console.log(
    `step ${trainer.globalStep}/${steps}  dLoss ${m?.dLoss.toFixed(3)}  gLoss ${m?.gLoss.toFixed(3)}  D acc ${m?.dAccuracy.toFixed(2)}  ` +
      `${rate} steps/s  ${((Date.now() - started) / 60000).toFixed(1)} min`,
  );
  await trainer.save(checkpointDir);
  if (h.stopReason === 'aborted') {
    console.log(`Interrupted at step ${trainer.globalStep}: checkpoint saved in ${checkpointDir}; run the same command to continue.`);
    trainer.dispose();
    gan.dispose();
    process.exit(stop.exitCode);
  }
  await exportTo(trainer, path.join(work, 'export'), path.join(work, `preview-${String(trainer.globalStep).padStart(6, '0')}.png`));
}
const difference = await exportTo(trainer, values.out, path.join(work, 'preview.png'));
const size = (await fs.readdir(values.out)).filter((f) => f.endsWith('.bin')).map((f) => statSync(path.join(values.out, f)).size);
console.log(
  `saved the EMA generator to ${values.out} (${size.join(' + ')} bytes of ${values.float32 ? 'float32' : 'float16'} weights; ` +
    `largest pixel difference to the live model ${difference.toExponential(2)}) and a preview to ${path.join(work, 'preview.png')}`,
);
stop.dispose();

if (evalCount > 0) {
  const testDir = findIdxSplit(dataDir, 't10k') !== undefined && split === 'train' ? dataDir : undefined;
  if (testDir === undefined) console.log('no held-out t10k split next to the training data; skipping the evaluation');
  else {
    const real = await loadIdxDirectory(testDir, { split: 't10k', limit: evalCount });
    const report = await trainer.withAveragedGenerator(() =>
      evaluate(trainer.model, { real, n: evalCount, seed: 11, metrics: ['fid', 'kid', 'classifierScore', 'classCoverage'], kid: { subsets: 20, subsetSize: Math.min(500, evalCount) } }),
    );
    console.log(formatReport(report));
    const accuracy = conditional ? await perClassAccuracy(trainer, 200) : [];
    accuracy.forEach((a, c) => console.log(`class ${c} ${PRETRAINED.classNames[c]}: ${(100 * a).toFixed(1)}% classified as ${c}`));
    await writeFileAtomic(path.join(work, 'evaluation.json'), JSON.stringify({ step: trainer.globalStep, weightBytes: size, float16Difference: difference, report, perClassAccuracy: accuracy }, null, 2));
  }
}
trainer.dispose();
gan.dispose();
