/**
 * The small-data bar of docs/augmentation.md: a DCGAN trained on 1,000 Fashion-MNIST training
 * images with and without DiffAugment, same seed and step budget, scored by FID (shipped
 * extractor) against the t10k images. Writes the numbers to a JSON file and, with --docs, into
 * the table between the markers in docs/augmentation.md.
 *
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --steps 3000 --docs
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --only diffaugment --steps 3000 --out /tmp/da.json
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dcgan, diffAugment, evaluate, loadFeatureExtractor, Trainer, useBackend, type Augmentation } from '../src/index.js';
import { loadIdxDirectory } from '../src/node/index.js';

/** One run's settings and FID curve. */
export interface RunResult {
  readonly name: string;
  readonly fid: { readonly step: number; readonly value: number }[];
  readonly seconds: number;
}

const num = (s: string | undefined) => Number(s);

/** Settings of one small-data run. */
export interface SmallDataOptions {
  readonly trainCount: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly filters: number;
  readonly n: number;
  readonly seed: number;
  /** Evaluate every this many steps as well as at the end (0: only at the end). */
  readonly every: number;
  readonly backend: 'wasm' | 'cpu';
  readonly dataDir: string;
}

/** Trains the DCGAN with `augment` (or none) and returns its FID curve. */
export async function smallDataRun(name: string, augment: Augmentation | undefined, o: SmallDataOptions): Promise<RunResult> {
  await useBackend(o.backend);
  const train = await loadIdxDirectory(o.dataDir, { split: 'train', limit: o.trainCount });
  const test = await loadIdxDirectory(o.dataDir, { split: 't10k' });
  const extractor = loadFeatureExtractor();
  const gan = dcgan({ seed: o.seed, generatorFilters: o.filters, discriminatorFilters: o.filters });
  const trainer = new Trainer(gan, { backend: o.backend, batchSize: o.batchSize, seed: o.seed, ...(augment ? { augment } : {}) });
  const began = Date.now();
  const fid: { step: number; value: number }[] = [];
  const checkpoints = o.every > 0 ? Array.from({ length: Math.floor(o.steps / o.every) }, (_, i) => (i + 1) * o.every) : [o.steps];
  if (checkpoints[checkpoints.length - 1] !== o.steps) checkpoints.push(o.steps);
  let done = 0;
  for (const target of checkpoints) {
    await trainer.fit(train, { steps: target - done });
    done = target;
    const report = await evaluate(gan, { real: test, n: o.n, metrics: ['fid'], extractor, seed: 0 });
    const value = report.metrics[0]!.value;
    fid.push({ step: target, value });
    console.log(`[${name}] step ${target}: FID ${value.toFixed(2)} (${((Date.now() - began) / 1000).toFixed(0)} s)`);
  }
  trainer.dispose();
  gan.dispose();
  extractor.dispose();
  return { name, fid, seconds: (Date.now() - began) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
      train: { type: 'string', default: '1000' },
      steps: { type: 'string', default: '3000' },
      batch: { type: 'string', default: '64' },
      filters: { type: 'string', default: '32' },
      n: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      every: { type: 'string', default: '0' },
      only: { type: 'string' },
      out: { type: 'string', default: '/tmp/diffaugment-small-data.json' },
      docs: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const o: SmallDataOptions = {
    trainCount: num(values.train),
    steps: num(values.steps),
    batchSize: num(values.batch),
    filters: num(values.filters),
    n: num(values.n),
    seed: num(values.seed),
    every: num(values.every),
    backend: values.backend === 'cpu' ? 'cpu' : 'wasm',
    dataDir: values.data!,
  };
  const runs: RunResult[] = [];
  if (values.only !== 'diffaugment') runs.push(await smallDataRun('none', undefined, o));
  if (values.only !== 'none') runs.push(await smallDataRun('diffaugment', diffAugment(['color', 'translation', 'cutout']), o));
  await writeFile(values.out!, JSON.stringify({ options: o, runs }, null, 2));
  console.log(`wrote ${values.out}`);
  if (values.docs) await writeDocs(o, runs);
}

/** Replaces the table between `<!-- small-data:begin -->` and `<!-- small-data:end -->` in docs/augmentation.md. */
async function writeDocs(o: SmallDataOptions, runs: RunResult[]): Promise<void> {
  const file = fileURLToPath(new URL('../../../docs/augmentation.md', import.meta.url));
  const text = await readFile(file, 'utf8');
  const steps = runs[0]!.fid.map((f) => f.step);
  const rows = [
    `| augmentation | ${steps.map((s) => `FID at ${s.toLocaleString('en')} steps`).join(' | ')} | wall time |`,
    `| --- | ${steps.map(() => '---').join(' | ')} | --- |`,
    ...runs.map((r) => `| ${r.name === 'none' ? 'none' : "`diffAugment(['color', 'translation', 'cutout'])`"} | ${r.fid.map((f) => f.value.toFixed(1)).join(' | ')} | ${(r.seconds / 60).toFixed(0)} min |`),
  ];
  const table =
    `<!-- small-data:begin -->\n` +
    `Budget: \`dcgan({ seed: ${o.seed}, generatorFilters: ${o.filters}, discriminatorFilters: ${o.filters} })\` (28x28x1), ` +
    `the first ${o.trainCount.toLocaleString('en')} Fashion-MNIST training images, ` +
    `\`new Trainer(gan, { backend: '${o.backend}', batchSize: ${o.batchSize}, seed: ${o.seed} })\` with its defaults ` +
    `(non-saturating loss, Adam 2e-4/0.5), ${o.steps.toLocaleString('en')} steps ` +
    `(${Math.round((o.steps * o.batchSize) / o.trainCount)} epochs); FID with the shipped extractor, ` +
    `${o.n.toLocaleString('en')} samples against ${o.n.toLocaleString('en')} t10k images (latent seed 0).\n\n` +
    rows.join('\n') +
    `\n<!-- small-data:end -->`;
  const next = text.replace(/<!-- small-data:begin -->[\s\S]*<!-- small-data:end -->/, table);
  if (next === text) throw new Error('docs/augmentation.md has no small-data markers');
  await writeFile(file, next);
  console.log('updated docs/augmentation.md');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
