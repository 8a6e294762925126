// DCGAN steps/s at 28x28x1, 32x32x3 and 64x64x3 (batch 64, 64 filters) with and without
// DiffAugment, in interleaved windows on one backend; also the cost of one DiffAugment call
// (forward + input gradient) on a batch. Run by bench/run.mjs (skip with --no-augment) or alone:
//   node --expose-gc bench/augment.mjs --backend wasm --shapes 28x1,32x3,64x3 --rounds 3 --window 2 --budget 300 --out /tmp/augment.json
// Target (issue 12): DiffAugment adds under 15% to a step.
import { writeFileSync } from 'node:fs';
import { dcgan, diffAugment, tf, Trainer, wasmThreadsInfo } from '../packages/core/dist/index.js';
import { activate } from './lib/backends.mjs';
import { syntheticData } from './lib/data.mjs';
import { interleavedWindows, matmulLoop, median, timeOnce } from './lib/measure.mjs';
import { trainStepFlops } from './lib/models.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const opts = {
  backend: opt('backend', 'wasm'),
  // Image shapes as <side>x<channels>; --resolutions 32,64 (older form) means RGB.
  shapes: (argv.includes('--resolutions') ? opt('resolutions', '32,64').split(',').map((r) => `${r}x3`) : opt('shapes', '28x1,32x3,64x3').split(','))
    .map((s) => s.split('x').map(Number))
    .map(([side, channels]) => ({ side, channels })),
  batch: Number(opt('batch', '64')),
  rounds: Number(opt('rounds', '3')),
  window: Number(opt('window', '2')),
  budget: Number(opt('budget', '300')),
  out: opt('out', undefined),
};
const log = (...m) => console.error('[augment]', ...m);

/** DiffAugment that counts its calls, so a Trainer that ignores `augment` is caught instead of timed. */
function countedDiffAugment() {
  const inner = diffAugment(['color', 'translation', 'cutout']);
  const counted = { ...inner, calls: 0, apply: (x, ctx) => (counted.calls++, inner.apply(x, ctx)) };
  return counted;
}

function loop(name, resolution, channels, spec, data) {
  const gan = dcgan({ resolution, channels, seed: 1 });
  const augment = name === 'diffaugment' ? countedDiffAugment() : undefined;
  const trainer = new Trainer(gan, { backend: spec, batchSize: opts.batch, seed: 3, ...(augment ? { augment } : {}) });
  return {
    name,
    augment,
    gan,
    run: async (steps) => {
      await trainer.fit(data, { steps });
    },
    dispose: () => {
      trainer.dispose();
      gan.dispose();
    },
  };
}

/** The wasm thread count in use and why (empty on other backends). */
function threadsNote() {
  const info = wasmThreadsInfo();
  return info ? `${info.threads} thread(s): ${info.reason}${info.fallback ? ` (fallback: ${info.fallback})` : ''}` : '';
}

/** Seconds of one DiffAugment forward + input gradient on a [batch, r, r, c] batch. */
async function augmentCallSeconds(resolution, channels) {
  const aug = diffAugment(['color', 'translation', 'cutout']);
  const x = tf.randomUniform([opts.batch, resolution, resolution, channels], -1, 1, 'float32', 1);
  let seed = 1;
  const once = async () => {
    const g = tf.grad((t) => tf.sum(aug.apply(t, { seed: seed++, step: 1, source: 'real' })))(x);
    await g.data();
    g.dispose();
  };
  await once();
  const times = [];
  for (let i = 0; i < 5; i++) times.push(await timeOnce(once));
  x.dispose();
  return median(times);
}

const result = { backend: opts.backend, batch: opts.batch, startedAt: new Date().toISOString(), rows: [] };
try {
  const { spec, note } = await activate(opts.backend);
  result.note = note;
  for (const { side: resolution, channels } of opts.shapes) {
    const label = `${resolution}x${resolution}x${channels}`;
    const data = syntheticData([resolution, resolution, channels], 512, 7);
    const loops = ['none', 'diffaugment'].map((name) => loop(name, resolution, channels, spec, data));
    // The matmul rate in the same interleaved windows, so the fraction compares like load with like (as bench/worker.mjs).
    const mm = matmulLoop();
    loops.push(mm);
    const flops = trainStepFlops(loops[0].gan, opts.batch);
    const stepSec = {};
    for (const l of loops) {
      await l.run(1);
      stepSec[l.name] = await timeOnce(() => l.run(1));
      log(label, l.name, 'warm step', stepSec[l.name].toFixed(3), 's');
    }
    const da = loops[1].augment;
    if (da.calls === 0) throw new Error('The Trainer did not call the augmentation: this build of @aigc/core does not wire TrainerOptions.augment.');
    let rounds = opts.rounds;
    const roundCost = loops.reduce((s, l) => s + Math.max(opts.window, stepSec[l.name]), 0);
    while (rounds > 1 && roundCost * rounds > opts.budget) rounds--;
    const stepsPerWindow = Object.fromEntries(loops.map((l) => [l.name, Math.max(1, Math.round(opts.window / stepSec[l.name]))]));
    const rates = await interleavedWindows(loops, stepsPerWindow, rounds, (name, rate) => log(label, name, rate.toFixed(3), name === 'matmul' ? 'products/s' : 'steps/s'));
    const none = median(rates.none);
    const withDa = median(rates.diffaugment);
    const mmGflops = (median(rates.matmul) * mm.flopsPerStep) / 1e9;
    const callSec = await augmentCallSeconds(resolution, channels);
    // DiffAugment adds no matmul work, so both rows divide the same FLOPs per step by the matmul rate.
    result.rows.push({
      resolution,
      channels,
      rounds,
      stepsPerWindow,
      flopsPerStep: flops,
      matmulGflops: mmGflops,
      fractionOfMatmul: { none: (flops * none) / 1e9 / mmGflops, diffaugment: (flops * withDa) / 1e9 / mmGflops },
      stepsPerSec: { none, diffaugment: withDa },
      windows: rates,
      overhead: 1 - withDa / none,
      diffAugmentCallMs: callSec * 1000,
    });
    loops.forEach((l) => l.dispose());
  }
  result.threads = threadsNote();
  result.available = true;
} catch (error) {
  result.available = false;
  result.error = String(error?.message ?? error);
  log('failed:', result.error);
}
result.finishedAt = new Date().toISOString();
if (opts.out) writeFileSync(opts.out, JSON.stringify(result, null, 2));
else console.log(JSON.stringify(result, null, 2));
