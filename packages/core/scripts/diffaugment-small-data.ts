/**
 * The small-data bar of docs/augmentation.md: a model trained on 1,000 Fashion-MNIST training
 * images with and without DiffAugment, same seed and step budget, scored by FID (shipped
 * extractor) against the first n t10k images, latent seed 0, the same n for both arms. Writes the
 * numbers to a JSON file and, with --docs, into the table between the markers in
 * docs/augmentation.md. The documented run (a 64-filter D at 4x G's learning rate, which can
 * overfit 1,000 images; DiffAugment wins there) is
 *
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --filters 16 --d-filters 64 --d-lr 8e-4 --steps 3000 --every 250 --docs
 *
 * Its defaults (16 filters for both, the Trainer's defaults, batch 32, 4,000 steps, FID every
 * 1,000 at n = 2,000, policy translation,cutout) are the small-D run the docs list where it does
 * not pay. Other uses:
 *
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --only none --out /tmp/none.json
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --only diffaugment --policy color,translation,cutout --out /tmp/ctc.json
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --merge /tmp/none.json,/tmp/ctc.json --docs
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --recipe fast --filters 32 --batch 64 --steps 6000 --every 500
 *   npx tsx packages/core/scripts/diffaugment-small-data.ts --model mlp --batch 64 --steps 8000 --n 1000
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { adam, dcgan, diffAugment, evaluate, hingeLoss, loadFeatureExtractor, mlpGan, Trainer, useBackend, type Augmentation, type DiffAugmentPolicy, type LayersGan, type TrainerOptions } from '../src/index.js';
import { loadIdxDirectory, writeFileAtomic } from '../src/node/index.js';

/** One run's settings and FID curve. */
export interface RunResult {
  readonly name: string;
  /** The DiffAugment policy of the run; absent for no augmentation. */
  readonly policy?: readonly DiffAugmentPolicy[];
  readonly fid: { readonly step: number; readonly value: number }[];
  readonly seconds: number;
}

const num = (s: string | undefined) => Number(s);

/** Settings of one small-data run. */
export interface SmallDataOptions {
  readonly trainCount: number;
  readonly steps: number;
  readonly batchSize: number;
  /** `'dcgan'` (filters below) or `'mlp'` (mlpGan with a LeakyReLU, spectrally normalized D). */
  readonly model: 'dcgan' | 'mlp';
  readonly filters: number;
  /** D's filters when they differ from G's (`--d-filters`); default `filters`. */
  readonly discriminatorFilters?: number;
  /**
   * `'default'`: the Trainer's defaults (non-saturating loss, Adam 2e-4/0.5 for both). `'fast'`: the
   * dcgan example's fast recipe (spectral norm on D, hinge, Adam(beta1 0.5) 8e-4 for G and 2e-4 for D).
   */
  readonly recipe: 'default' | 'fast';
  /** Adam(lr, beta1 0.5) learning rates of G and D in place of the recipe's (`--g-lr`, `--d-lr`). */
  readonly learningRates?: { readonly generator: number; readonly discriminator: number };
  /** DiffAugment policy of the augmented arm. */
  readonly policy: readonly DiffAugmentPolicy[];
  readonly n: number;
  readonly seed: number;
  /** Evaluate every this many steps as well as at the end (0: only at the end). */
  readonly every: number;
  readonly backend: 'wasm' | 'cpu';
  readonly dataDir: string;
}

/** The model of a run, seeded by `o.seed`. */
export function buildModel(o: SmallDataOptions): LayersGan {
  return o.model === 'mlp'
    ? mlpGan({ seed: o.seed, discriminatorActivation: 'leakyRelu', spectralNorm: true })
    : dcgan({ seed: o.seed, generatorFilters: o.filters, discriminatorFilters: o.discriminatorFilters ?? o.filters, ...(o.recipe === 'fast' ? { spectralNorm: true } : {}) });
}

/** Each recipe's Adam(beta1 0.5) learning rates (the default recipe's are the Trainer's own). */
const RECIPE_RATES = { default: { generator: 2e-4, discriminator: 2e-4 }, fast: { generator: 8e-4, discriminator: 2e-4 } } as const;

/** The rates to pass explicitly: the flags', else the fast recipe's; none for the Trainer's defaults. */
const explicitRates = (o: SmallDataOptions) => o.learningRates ?? (o.recipe === 'fast' ? RECIPE_RATES.fast : undefined);

/** The Trainer options a recipe adds to backend, batch size and seed. */
export function recipeOptions(o: SmallDataOptions): TrainerOptions {
  const fast = o.recipe === 'fast';
  const lr = explicitRates(o);
  return {
    ...(fast ? { loss: hingeLoss() } : {}),
    ...(lr ? { optimizers: { generator: adam(lr.generator, 0.5), discriminator: adam(lr.discriminator, 0.5) } } : {}),
  };
}

/** The recipe's loss and optimizers as the docs state them. */
export function recipeText(o: SmallDataOptions): string {
  const lr = explicitRates(o);
  const rates = lr ? `Adam(beta1 0.5) ${lr.generator.toExponential()} for G and ${lr.discriminator.toExponential()} for D` : undefined;
  return o.recipe === 'fast'
    ? `the dcgan example's fast recipe (hinge loss, ${rates})`
    : rates
      ? `the non-saturating loss and ${rates}`
      : 'its defaults (non-saturating loss, Adam 2e-4/0.5)';
}

/** The model's constructor call as the docs state it. */
export function modelCall(o: SmallDataOptions): string {
  return o.model === 'mlp'
    ? `mlpGan({ seed: ${o.seed}, discriminatorActivation: 'leakyRelu', spectralNorm: true })`
    : `dcgan({ seed: ${o.seed}, generatorFilters: ${o.filters}, discriminatorFilters: ${o.discriminatorFilters ?? o.filters}${o.recipe === 'fast' ? ', spectralNorm: true' : ''} })`;
}

/** Trains the model with `augment` (or none) and returns its FID curve. */
export async function smallDataRun(name: string, augment: Augmentation | undefined, o: SmallDataOptions): Promise<RunResult> {
  await useBackend(o.backend);
  const train = await loadIdxDirectory(o.dataDir, { split: 'train', limit: o.trainCount });
  const test = await loadIdxDirectory(o.dataDir, { split: 't10k' });
  const extractor = loadFeatureExtractor();
  const gan = buildModel(o);
  const trainer = new Trainer(gan, { backend: o.backend, batchSize: o.batchSize, seed: o.seed, ...recipeOptions(o), ...(augment ? { augment } : {}) });
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
  return { name, ...(augment ? { policy: o.policy } : {}), fid, seconds: (Date.now() - began) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
      train: { type: 'string', default: '1000' },
      steps: { type: 'string', default: '4000' },
      batch: { type: 'string', default: '32' },
      model: { type: 'string', default: 'dcgan' },
      filters: { type: 'string', default: '16' },
      'd-filters': { type: 'string' },
      recipe: { type: 'string', default: 'default' },
      'g-lr': { type: 'string' },
      'd-lr': { type: 'string' },
      policy: { type: 'string', default: 'translation,cutout' },
      n: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      every: { type: 'string', default: '1000' },
      only: { type: 'string' },
      merge: { type: 'string' },
      out: { type: 'string', default: '/tmp/diffaugment-small-data.json' },
      docs: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  const recipe = values.recipe === 'fast' ? 'fast' : 'default';
  const o: SmallDataOptions = {
    trainCount: num(values.train),
    steps: num(values.steps),
    batchSize: num(values.batch),
    model: values.model === 'mlp' ? 'mlp' : 'dcgan',
    filters: num(values.filters),
    ...(values['d-filters'] === undefined ? {} : { discriminatorFilters: num(values['d-filters']) }),
    recipe,
    ...(values['g-lr'] === undefined && values['d-lr'] === undefined
      ? {}
      : {
          learningRates: {
            generator: values['g-lr'] === undefined ? RECIPE_RATES[recipe].generator : num(values['g-lr']),
            discriminator: values['d-lr'] === undefined ? RECIPE_RATES[recipe].discriminator : num(values['d-lr']),
          },
        }),
    policy: values.policy!.split(',') as DiffAugmentPolicy[],
    n: num(values.n),
    seed: num(values.seed),
    every: num(values.every),
    backend: values.backend === 'cpu' ? 'cpu' : 'wasm',
    dataDir: values.data!,
  };
  if (values.merge !== undefined) {
    // Runs measured separately (e.g. --only none, then --only diffaugment per policy) into one table.
    const files = await Promise.all(values.merge.split(',').map(async (f) => JSON.parse(await readFile(f, 'utf8')) as { options: SmallDataOptions; runs: RunResult[] }));
    const first = files[0]!.options;
    for (const f of files) {
      const { policy: _p, ...a } = f.options;
      const { policy: _q, ...b } = first;
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('--merge: the files were measured with different settings (other than the policy); merge only runs of one budget.');
    }
    const runs = files.flatMap((f) => f.runs.map((r) => (r.name === 'none' || r.policy ? r : { ...r, policy: f.options.policy })));
    await writeFileAtomic(values.out!, JSON.stringify({ options: first, runs }, null, 2));
    console.log(`wrote ${values.out}`);
    if (values.docs) await writeDocs(first, runs);
    return;
  }
  const runs: RunResult[] = [];
  if (values.only !== 'diffaugment') runs.push(await smallDataRun('none', undefined, o));
  if (values.only !== 'none') runs.push(await smallDataRun('diffaugment', diffAugment(o.policy), o));
  await writeFileAtomic(values.out!, JSON.stringify({ options: o, runs }, null, 2));
  console.log(`wrote ${values.out}`);
  if (values.docs) await writeDocs(o, runs);
}

/** Replaces the table between `<!-- small-data:begin -->` and `<!-- small-data:end -->` in docs/augmentation.md. */
async function writeDocs(o: SmallDataOptions, runs: RunResult[]): Promise<void> {
  const file = fileURLToPath(new URL('../../../docs/augmentation.md', import.meta.url));
  const text = await readFile(file, 'utf8');
  const steps = runs[0]!.fid.map((f) => f.step);
  const rows = [
    `| FID at step | ${steps.map((s) => s.toLocaleString('en')).join(' | ')} | wall time |`,
    `| --- | ${steps.map(() => '---').join(' | ')} | --- |`,
    ...runs.map((r) => `| ${r.name === 'none' ? 'none' : `\`diffAugment([${(r.policy ?? o.policy).map((p) => `'${p}'`).join(', ')}])\``} | ${r.fid.map((f) => f.value.toFixed(1)).join(' | ')} | ${(r.seconds / 60).toFixed(0)} min |`),
  ];
  const table =
    `<!-- small-data:begin -->\n` +
    `Budget: \`${modelCall(o)}\` (28x28x1), ` +
    `the first ${o.trainCount.toLocaleString('en')} Fashion-MNIST training images, ` +
    `\`new Trainer(gan, { backend: '${o.backend}', batchSize: ${o.batchSize}, seed: ${o.seed} })\` with ${recipeText(o)}, ` +
    `${o.steps.toLocaleString('en')} steps ` +
    `(${Math.round((o.steps * o.batchSize) / o.trainCount)} epochs); FID with the shipped extractor, ` +
    `${o.n.toLocaleString('en')} samples against ${o.n.toLocaleString('en')} t10k images (latent seed 0).\n\n` +
    rows.join('\n') +
    `\n<!-- small-data:end -->`;
  const markers = /<!-- small-data:begin -->[\s\S]*<!-- small-data:end -->/;
  // (An unchanged table is fine: only missing markers are an error.)
  if (!markers.test(text)) throw new Error('docs/augmentation.md has no small-data markers');
  const next = text.replace(markers, table);
  await writeFileAtomic(file, next);
  console.log('updated docs/augmentation.md');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
