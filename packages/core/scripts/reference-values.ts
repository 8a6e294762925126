/**
 * Reference values of the metrics on Fashion-MNIST for docs/metrics.md: the real-vs-real floor,
 * uniform noise, and GANs trained with stated budgets. Two phases, so training can run while the
 * extractor is being made:
 *
 *   npx tsx packages/core/scripts/reference-values.ts --phase train --out /tmp/aigc-ref \
 *     --mlp-steps 1000,5000 --dcgan-steps 500
 *   npx tsx packages/core/scripts/reference-values.ts --phase evaluate --out /tmp/aigc-ref
 *
 * Training: the reference MLP GAN (`mlpGan`) and the DCGAN (`dcgan`) with the Trainer's defaults
 * on the system Fashion-MNIST train split, wasm backend. Evaluation: 10,000 samples vs the 10,000
 * t10k images, memorization against the 60,000 training images.
 */
import { readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  dcgan,
  evaluate,
  formatReport,
  loadFeatureExtractor,
  ganFromLayers,
  ImageDataset,
  mlpGan,
  Trainer,
  useBackend,
  type LayersGan,
  type EvaluationReport,
} from '../src/index.js';
import { loadIdxDirectory, loadLayersModelFromDir, saveLayersModelToDir } from '../src/node/index.js';

const { values } = parseArgs({
  options: {
    phase: { type: 'string', default: 'train' },
    out: { type: 'string', default: '/tmp/aigc-ref' },
    data: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    'mlp-steps': { type: 'string', default: '1000,5000' },
    'mlp-batch': { type: 'string', default: '128' },
    'dcgan-steps': { type: 'string', default: '' },
    'dcgan-batch': { type: 'string', default: '64' },
    seed: { type: 'string', default: '42' },
    n: { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
});

const steps = (s: string | undefined) => (s ?? '').split(',').filter(Boolean).map(Number);

async function train(name: string, make: () => LayersGan, checkpoints: number[], batchSize: number, data: ImageDataset): Promise<void> {
  if (checkpoints.length === 0) return;
  const seed = Number(values.seed);
  const gan = make();
  const trainer = new Trainer(gan, { backend: 'wasm', batchSize, seed });
  let done = 0;
  const began = Date.now();
  for (const target of checkpoints) {
    await trainer.fit(data, { steps: target - done });
    done = target;
    const dir = join(values.out!, `${name}-${target}`);
    await saveLayersModelToDir(gan.generator, join(dir, 'generator'));
    await saveLayersModelToDir(gan.discriminator, join(dir, 'discriminator'));
    await writeFile(
      join(dir, 'budget.json'),
      JSON.stringify({ model: name, steps: target, batchSize, seed, backend: 'wasm', seconds: (Date.now() - began) / 1000 }, null, 2),
    );
    console.log(`${name}: ${target} steps saved to ${dir} (${((Date.now() - began) / 1000).toFixed(0)} s)`);
  }
  trainer.dispose();
  gan.dispose();
}

async function main(): Promise<void> {
  await useBackend('wasm');
  const trainSet = await loadIdxDirectory(values.data!, { split: 'train' });
  const test = await loadIdxDirectory(values.data!, { split: 't10k' });
  await mkdir(values.out!, { recursive: true });
  if (values.phase === 'train') {
    const seed = Number(values.seed);
    await train('mlp', () => mlpGan({ seed }), steps(values['mlp-steps']), Number(values['mlp-batch']), trainSet);
    await train('dcgan', () => dcgan({ seed }), steps(values['dcgan-steps']), Number(values['dcgan-batch']), trainSet);
    return;
  }
  const n = Number(values.n);
  const results: Record<string, EvaluationReport> = {};
  const extractor = loadFeatureExtractor();
  const run = async (label: string, make: () => Promise<EvaluationReport>) => {
    if (values.only !== undefined && !label.startsWith(values.only)) return;
    const report = await make();
    results[label] = report;
    console.log(`\n== ${label}\n${formatReport(report)}`);
    await writeFile(join(values.out!, 'results.json'), JSON.stringify(results, null, 2));
  };
  // Floor: 10k training images (held out of the memorization reference) vs the 10k test images.
  const [trainHead, trainRest] = trainSet.split(n / trainSet.size);
  await run('real-vs-real', () => evaluate(trainHead, { real: test, n, train: trainRest, extractor }));
  const noise = new Float32Array(n * 784);
  let s = 12345;
  for (let i = 0; i < noise.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    noise[i] = s / 2 ** 31 - 1;
  }
  await run('uniform-noise', () =>
    evaluate(ImageDataset.fromArrays({ images: noise, imageShape: [28, 28, 1] }), { real: test, n, train: trainSet, extractor }),
  );
  for (const dir of (await readdir(values.out!)).filter((d) => /^(mlp|dcgan)-\d+$/.test(d)).sort()) {
    await run(dir, async () => {
      const g = await loadLayersModelFromDir(join(values.out!, dir, 'generator'));
      const d = await loadLayersModelFromDir(join(values.out!, dir, 'discriminator'));
      const gan = ganFromLayers(g.model, d.model);
      try {
        return await evaluate(gan, { real: test, n, train: trainSet, extractor });
      } finally {
        gan.dispose();
      }
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
