// Per-kernel time profile of a few training steps:
//   node bench/profile.mjs [backend] [model] [loop] [--calls] [--steps N]
// model: a name of bench/lib/models.mjs (mlp, dcgan, vae, dcgan32c, dcgan64c).
// loop: hand (tf.train.adam, as a user writes it), trainer (Trainer.fit with its default fused
// Adam) or keras. --calls also lists every kernel call over 1 ms with its input shapes.
import { tf, useBackend } from '../packages/core/dist/index.js';
import { MODELS } from './lib/models.mjs';
import { LOOPS } from './lib/loops.mjs';
import { syntheticData } from './lib/data.mjs';

const args = process.argv.slice(2);
const calls = args.includes('--calls');
const [backend = 'wasm', modelName = 'dcgan', loopName = 'hand'] = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--steps');
await useBackend(backend);
const spec = MODELS[modelName];
const { model } = spec.build(1);
const loop = LOOPS[loopName]({ gan: model, data: syntheticData(model.imageShape, 1024, 3), batchSize: spec.batch, backend, seed: 1 });
await loop.run(2);
const stepsArg = args.indexOf('--steps');
const steps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : modelName === 'mlp' ? 20 : 3;
const t0 = performance.now();
await loop.run(steps);
console.log(`step ms ${((performance.now() - t0) / steps).toFixed(1)} (mean of ${steps})`);
const prof = await tf.profile(() => loop.run(1));
// Custom-gradient ops (e.g. fusedMatMul__op) are recorded around the kernels they run: skip them
// so kernel times are not counted twice.
const kernels = prof.kernels.filter((k) => !k.name.endsWith('__op'));
const byKernel = new Map();
for (const k of kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  e.n++;
  byKernel.set(k.name, e);
}
const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`kernel total ms ${total.toFixed(1)} over ${kernels.length} kernel calls`);
for (const [name, e] of rows.slice(0, 25)) console.log(name.padEnd(28), e.ms.toFixed(1).padStart(8), String(e.n).padStart(5));
if (calls) {
  console.log('\ncalls over 1 ms:');
  for (const k of kernels) {
    if (typeof k.kernelTimeMs === 'number' && k.kernelTimeMs > 1) {
      console.log(k.name.padEnd(24), k.kernelTimeMs.toFixed(1).padStart(7), JSON.stringify(k.inputShapes));
    }
  }
}
loop.dispose();
