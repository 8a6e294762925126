// Benchmarks one backend; run by bench/run.mjs in its own process. Writes JSON to --out.
import { writeFileSync } from 'node:fs';
import { tf, Trainer } from '../packages/core/dist/index.js';
import { activate } from './lib/backends.mjs';
import { MODELS, trainStepFlops, sampleFlops } from './lib/models.mjs';
import { LOOPS } from './lib/loops.mjs';
import { syntheticData } from './lib/data.mjs';
import { gc, interleavedWindows, matmulLoop, matmulRate, median, memorySnapshot, timeOnce } from './lib/measure.mjs';

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

const a = args();
const opts = {
  backend: a.backend,
  models: (a.models ?? 'mlp,dcgan').split(','),
  loops: (a.loops ?? 'trainer,hand,keras').split(','),
  rounds: Number(a.rounds ?? 3),
  window: Number(a.window ?? 2),
  budget: Number(a.budget ?? 150),
  leakSteps: Number(a['leak-steps'] ?? 0),
  out: a.out,
};
const log = (...m) => console.error(`[${opts.backend}]`, ...m);

async function benchModel(modelName, tfBackend, spec) {
  const def = MODELS[modelName];
  const batch = def.batch;
  const names = opts.loops.filter((n) => !def.loops || def.loops.includes(n));
  const built = names.map(() => def.build(1));
  const gan0 = built[0].model;
  const data = syntheticData(gan0.imageShape, 2048, 7);
  const loops = names.map((name, i) => LOOPS[name]({ gan: built[i].model, data, batchSize: batch, backend: spec, seed: 3 }));
  // The matmul rate is sampled in the same interleaved windows, so the fraction compares like load with like.
  const mm = matmulLoop();
  loops.push(mm);
  const flops = trainStepFlops(gan0, batch);
  // Warm-up: one step each (shader compilation, allocation), then one timed step each that sizes the windows.
  const stepSec = {};
  for (const loop of loops) {
    await loop.run(1);
    stepSec[loop.name] = await timeOnce(() => loop.run(1));
    log(modelName, loop.name, 'warm step', stepSec[loop.name].toFixed(3), 's');
  }
  const slowest = Math.max(...Object.values(stepSec));
  let window = opts.window;
  let rounds = opts.rounds;
  // Fit the measurement in the per-model budget: shrink windows to one step, then drop rounds (min 1).
  const roundCost = (w) => loops.reduce((s, l) => s + Math.max(w, stepSec[l.name]), 0);
  while (rounds > 1 && roundCost(window) * rounds > opts.budget) {
    if (window > slowest) window = Math.max(slowest, window / 2);
    else rounds--;
  }
  const stepsPerWindow = Object.fromEntries(loops.map((l) => [l.name, Math.max(1, Math.round(window / stepSec[l.name]))]));
  const growth = Object.fromEntries(loops.map((l) => [l.name, 0]));
  const memBefore = memorySnapshot();
  const rates = await interleavedWindows(loops, stepsPerWindow, rounds, (name, rate, dTensors) => {
    growth[name] += dTensors;
    log(modelName, name, rate.toFixed(3), 'steps/s', dTensors ? `tensors ${dTensors > 0 ? '+' : ''}${dTensors}` : '');
  });
  const memAfter = memorySnapshot();
  const result = {
    model: modelName,
    modelSource: built[0].source,
    batch,
    flopsPerStep: flops,
    rounds,
    stepsPerWindow,
    loops: {},
    tensorGrowth: growth,
    rssGrowthMiB: memAfter.rssMiB - memBefore.rssMiB,
    stepsMeasured: Object.fromEntries(loops.map((l) => [l.name, stepsPerWindow[l.name] * rounds])),
  };
  const mmRate = median(rates.matmul) * mm.flopsPerStep / 1e9;
  result.matmulInterleaved = { gflops: mmRate, windows: rates.matmul.map((r) => (r * mm.flopsPerStep) / 1e9) };
  for (const l of loops) {
    if (l === mm) continue;
    const sps = median(rates[l.name]);
    result.loops[l.name] = { stepsPerSec: sps, imagesPerSec: sps * batch, windows: rates[l.name], achievedGflops: (flops * sps) / 1e9, fractionOfMatmul: (flops * sps) / 1e9 / mmRate };
  }
  const t = result.loops.trainer?.stepsPerSec;
  if (t !== undefined) {
    if (result.loops.hand) result.trainerVsHand = t / result.loops.hand.stepsPerSec;
    if (result.loops.keras) result.trainerVsKeras = t / result.loops.keras.stepsPerSec;
  }
  // Sampling at batch 256 from the first model (G forward, inference mode).
  const sample = async () => {
    const imgs = gan0.sample(256);
    await imgs.data();
    imgs.dispose();
  };
  await sample();
  const one = await timeOnce(sample);
  const perWindow = Math.max(1, Math.round(Math.min(opts.window, opts.budget / 10) / one));
  const sampleRates = [];
  for (let r = 0; r < Math.max(1, rounds); r++) {
    const sec = await timeOnce(async () => {
      for (let i = 0; i < perWindow; i++) await sample();
    });
    sampleRates.push((256 * perWindow) / sec);
  }
  result.sampling = { batch: 256, imagesPerSec: median(sampleRates), gflopsPerBatch: sampleFlops(gan0, 256) / 1e9 };
  loops.forEach((l) => l.dispose());
  built.forEach((b) => b.model.dispose());
  return result;
}

/** Trains a fresh MLP GAN for `steps` steps with the Trainer and reports tensor and RSS growth. */
async function leakCheck(spec, steps) {
  const def = MODELS.mlp;
  const { model } = def.build(5);
  const data = syntheticData(model.imageShape, 2048, 9);
  const trainer = new Trainer(model, { backend: spec, batchSize: def.batch, seed: 1 });
  await trainer.fit(data, { steps: 20 });
  const before = memorySnapshot();
  const t0 = performance.now();
  await trainer.fit(data, { steps });
  const sec = (performance.now() - t0) / 1000;
  const after = memorySnapshot();
  trainer.dispose();
  model.dispose();
  return { model: 'mlp', steps, seconds: sec, tensorsBefore: before.tensors, tensorsAfter: after.tensors, tensorGrowth: after.tensors - before.tensors, rssGrowthMiB: after.rssMiB - before.rssMiB };
}

const result = { backend: opts.backend, startedAt: new Date().toISOString() };
try {
  const { spec, tfBackend, note } = await activate(opts.backend);
  result.tfBackend = tfBackend;
  result.note = note;
  result.available = true;
  log('matmul rate...');
  result.matmul = await matmulRate();
  log('matmul', result.matmul.gflops.toFixed(2), 'GFLOP/s');
  result.models = [];
  for (const m of opts.models) {
    const r = await benchModel(m, tfBackend, spec);
    result.models.push(r);
    gc();
  }
  // The matmul rate again at the end, so drift in machine load shows.
  if (result.matmul.secondsPerProduct < 2) result.matmulEnd = await matmulRate({ reps: 3 });
  if (opts.leakSteps > 0) {
    log(`leak check: ${opts.leakSteps} Trainer steps...`);
    result.leak = await leakCheck(spec, opts.leakSteps);
    log('leak', JSON.stringify(result.leak));
  }
} catch (error) {
  result.available = result.available ?? false;
  result.error = String(error?.stack ?? error).split('\n').slice(0, 4).join(' | ');
  log('FAILED:', result.error);
}
result.finishedAt = new Date().toISOString();
writeFileSync(opts.out, JSON.stringify(result, null, 2));
process.exit(0);
