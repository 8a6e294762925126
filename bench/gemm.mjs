// Every matrix product of one MLP GAN training step (mlpGan(), batch 128, Trainer, as the wasm
// kernels see them: op, shapes, transpose flags, bias and activation, calls per step) timed through
// aigc's kernels with AIGC_WASM_GEMM=0 (XNNPACK, with aigc's explicit transposes) and =1 (aigc's
// SIMD GEMM), interleaved, one wasm thread; medians of --rounds windows of --window ms each.
//   AIGC_WASM_THREADS=1 taskset -c 1 node bench/gemm.mjs [--rounds 7] [--window 60] [--json out.json]
// --step instead times the whole MLP GAN Trainer step both ways (default routing, i.e. aigc's GEMM
// but for n = 1, and AIGC_WASM_GEMM=0), interleaved with the 1024x1024 matmul both ways (windows of --window ms, default 2000), and prints each one's % of matmul:
//   AIGC_WASM_THREADS=1 taskset -c 1 node bench/gemm.mjs --step [--model mlp|dcgan] [--rounds 7] [--window 2000]
import { writeFileSync } from 'node:fs';
import { tf } from '../packages/core/dist/index.js';
import { activate } from './lib/backends.mjs';
import { interleavedWindows, matmulLoop, median } from './lib/measure.mjs';
import { MODELS, trainStepFlops } from './lib/models.mjs';
import { LOOPS } from './lib/loops.mjs';
import { syntheticData } from './lib/data.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const rounds = Number(opt('rounds', '7'));
const stepMode = argv.includes('--step');
const windowMs = Number(opt('window', stepMode ? '2000' : '60'));

// From the kernels' call log of one Trainer step (bench/gemm.mjs --log prints it again).
// [kernel, a shape, b shape, transposeA, transposeB, activation (fused only; null: BatchMatMul), bias, calls per step, what]
const SHAPES = [
  ['fused', [1, 128, 100], [1, 100, 128], false, false, 'relu', true, 1, 'G dense 1 forward'],
  ['fused', [1, 128, 128], [1, 128, 784], false, false, 'relu', true, 1, 'G dense 2 forward'],
  ['fused', [1, 128, 784], [1, 784, 784], false, false, 'linear', false, 2, 'G dense 3 forward'],
  ['fused', [1, 128, 128], [1, 128, 1], false, false, 'linear', true, 3, 'D dense 2 forward'],
  ['batch', [128, 100], [100, 128], false, false, null, false, 1, 'G dense 1 forward (sampling)'],
  ['batch', [128, 128], [128, 784], false, false, null, false, 1, 'G dense 2 forward (sampling)'],
  ['batch', [128, 784], [784, 128], false, false, null, false, 3, 'D dense 1 forward'],
  ['batch', [1, 128, 1], [1, 128, 1], false, true, null, false, 3, 'D dense 2 input grad'],
  ['batch', [1, 128, 128], [1, 128, 1], true, false, null, false, 3, 'D dense 2 weight grad'],
  ['batch', [128, 784], [128, 128], true, false, null, false, 2, 'D dense 1 weight grad'],
  ['batch', [128, 128], [784, 128], false, true, null, false, 1, 'D dense 1 input grad'],
  ['batch', [1, 128, 784], [1, 784, 784], false, true, null, false, 1, 'G dense 3 input grad'],
  ['batch', [1, 128, 784], [1, 128, 784], true, false, null, false, 1, 'G dense 3 weight grad'],
  ['batch', [128, 784], [128, 784], false, true, null, false, 1, 'G dense 2 input grad'],
  ['batch', [128, 128], [128, 784], true, false, null, false, 1, 'G dense 2 weight grad'],
  ['batch', [128, 100], [128, 128], true, false, null, false, 1, 'G dense 1 weight grad'],
  ['batch', [1024, 1024], [1024, 1024], false, false, null, false, 0, 'reference 1024x1024'],
];

const { spec } = await activate('wasm-1');

/** `loop` run with AIGC_WASM_GEMM set to `mode` ('0': XNNPACK only; '1': aigc's GEMM; null: unset, the default routing). */
function withGemm(loop, mode, name) {
  return {
    ...loop,
    name,
    run: async (k) => {
      if (mode === null) delete process.env.AIGC_WASM_GEMM;
      else process.env.AIGC_WASM_GEMM = mode;
      try {
        return await loop.run(k);
      } finally {
        delete process.env.AIGC_WASM_GEMM;
      }
    },
  };
}

if (stepMode) {
  const modelName = opt('model', 'mlp');
  const def = MODELS[modelName];
  const data = syntheticData(def.build(1).model.imageShape, 2048, 7);
  const models = [def.build(1).model, def.build(1).model];
  const flops = trainStepFlops(models[0], def.batch);
  const mm = matmulLoop();
  const loops = [
    withGemm(LOOPS.trainer({ gan: models[0], data, batchSize: def.batch, backend: spec, seed: 3 }), null, 'trainer, aigc GEMM'),
    withGemm(LOOPS.trainer({ gan: models[1], data, batchSize: def.batch, backend: spec, seed: 3 }), '0', 'trainer, XNNPACK'),
    withGemm(mm, null, 'matmul 1024, aigc GEMM'),
    withGemm(mm, '0', 'matmul 1024, XNNPACK'),
  ];
  const perWindow = {};
  for (const l of loops) {
    await l.run(2);
    const t0 = performance.now();
    await l.run(2);
    perWindow[l.name] = Math.max(1, Math.round(windowMs / ((performance.now() - t0) / 2)));
  }
  const rates = await interleavedWindows(loops, perWindow, rounds);
  const sps = Object.fromEntries(loops.map((l) => [l.name, median(rates[l.name])]));
  const mmOurs = (sps['matmul 1024, aigc GEMM'] * mm.flopsPerStep) / 1e9;
  const mmXnn = (sps['matmul 1024, XNNPACK'] * mm.flopsPerStep) / 1e9;
  console.log(`${modelName} Trainer step (batch ${def.batch}), one wasm thread, ${rounds} interleaved rounds of ~${windowMs} ms; medians; ${(flops / 1e9).toFixed(3)} GFLOP/step`);
  console.log(`matmul 1024x1024: aigc GEMM ${mmOurs.toFixed(1)} GFLOP/s, XNNPACK ${mmXnn.toFixed(1)} GFLOP/s`);
  console.log('| step | steps/s | ms/step | GFLOP/s | % of the XNNPACK matmul rate | % of the aigc GEMM matmul rate |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const out = {};
  for (const name of ['trainer, XNNPACK', 'trainer, aigc GEMM']) {
    const g = (flops * sps[name]) / 1e9;
    out[name] = { stepsPerSec: sps[name], gflops: g, ofXnnpackMatmul: g / mmXnn, ofOursMatmul: g / mmOurs, windows: rates[name] };
    console.log(`| ${name} | ${sps[name].toFixed(2)} | ${(1000 / sps[name]).toFixed(1)} | ${g.toFixed(1)} | ${((100 * g) / mmXnn).toFixed(0)}% | ${((100 * g) / mmOurs).toFixed(0)}% |`);
  }
  console.log(`speed-up of the step: ${(sps['trainer, aigc GEMM'] / sps['trainer, XNNPACK']).toFixed(3)}x`);
  const json = opt('json', '');
  if (json) writeFileSync(json, JSON.stringify({ model: modelName, rounds, windowMs, matmul: { ours: mmOurs, xnnpack: mmXnn }, steps: out }, null, 2) + '\n');
  process.exit(0);
}
const rnd = (shape, seed) => tf.randomUniform(shape, -1, 1, 'float32', seed);
const cases = SHAPES.map(([kernel, as, bs, ta, tb, activation, hasBias, calls, what], i) => {
  const a = rnd(as, 2 * i + 1);
  const b = rnd(bs, 2 * i + 2);
  const m = ta ? as.at(-1) : as.at(-2);
  const k = ta ? as.at(-2) : as.at(-1);
  const n = tb ? bs.at(-2) : bs.at(-1);
  const bias = hasBias ? rnd([n], 99 + i) : undefined;
  const run = kernel === 'fused'
    ? () => tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias, activation })
    : () => tf.matMul(a, b, ta, tb);
  const flops = 2 * m * k * n;
  return { what, kernel, m, k, n, ta, tb, activation, calls, run, flops, ms: { off: [], on: [] } };
});

/** Milliseconds per call of `run` over a window (at least 3 calls). */
function timeWindow(run, ms) {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (calls < 3 || t - t0 < ms) {
    run().dispose();
    calls++;
    t = performance.now();
  }
  return (t - t0) / calls;
}

// Same values both ways (within float32 rounding of a different summation order).
for (const c of cases) {
  process.env.AIGC_WASM_GEMM = '0';
  const x = c.run();
  process.env.AIGC_WASM_GEMM = '1';
  const y = c.run();
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0] / Math.max(1e-30, tf.max(tf.abs(x)).dataSync()[0]));
  c.relDiff = d;
  x.dispose();
  y.dispose();
}

for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    for (const mode of r % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      process.env.AIGC_WASM_GEMM = mode === 'off' ? '0' : '1';
      c.ms[mode].push(timeWindow(c.run, c.flops > 1e9 ? 4 * windowMs : windowMs));
    }
  }
}
delete process.env.AIGC_WASM_GEMM;

const rows = cases.map((c) => {
  const off = median(c.ms.off);
  const on = median(c.ms.on);
  return { ...c, run: undefined, msOff: off, msOn: on, gflopsOff: c.flops / off / 1e6, gflopsOn: c.flops / on / 1e6, ratio: off / on };
});
const ref = rows.find((r) => r.calls === 0);
const fmt = (x, d = 2) => x.toFixed(d);
console.log(`one wasm thread, ${rounds} interleaved rounds of ${windowMs} ms per shape and path; medians`);
console.log(`| product (m x k x n) | op | calls/step | XNNPACK path ms | aigc GEMM ms | XNNPACK GFLOP/s | aigc GFLOP/s | speed-up | max rel. diff |`);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const op = `${r.kernel === 'fused' ? `_FusedMatMul ${r.activation}` : 'BatchMatMul'}${r.ta ? ' Aᵀ' : ''}${r.tb ? ' Bᵀ' : ''}`;
  console.log(`| ${r.what}: ${r.m}x${r.k}x${r.n} | ${op} | ${r.calls} | ${fmt(r.msOff, 3)} | ${fmt(r.msOn, 3)} | ${fmt(r.gflopsOff, 1)} | ${fmt(r.gflopsOn, 1)} | ${fmt(r.ratio)}x | ${r.relDiff.toExponential(1)} |`);
}
const step = rows.filter((r) => r.calls > 0);
const perStep = (key) => step.reduce((s, r) => s + r.calls * r[key], 0);
const flopsStep = step.reduce((s, r) => s + r.calls * r.flops, 0);
console.log(`\nper step: ${step.reduce((s, r) => s + r.calls, 0)} products, ${fmt(flopsStep / 1e9, 3)} GFLOP; XNNPACK path ${fmt(perStep('msOff'))} ms (${fmt(flopsStep / perStep('msOff') / 1e6, 1)} GFLOP/s), aigc GEMM ${fmt(perStep('msOn'))} ms (${fmt(flopsStep / perStep('msOn') / 1e6, 1)} GFLOP/s); best of both per shape ${fmt(step.reduce((s, r) => s + r.calls * Math.min(r.msOff, r.msOn), 0))} ms`);
console.log(`1024x1024 reference: XNNPACK ${fmt(ref.gflopsOff, 1)} GFLOP/s, aigc GEMM ${fmt(ref.gflopsOn, 1)} GFLOP/s`);
const json = opt('json', '');
if (json) writeFileSync(json, JSON.stringify({ rounds, windowMs, rows }, null, 2) + '\n');
