// Per-kernel time profile of a few training steps: node bench/profile.mjs [backend] [model] [loop]
import { tf, useBackend, ImageDataset } from '../packages/core/dist/index.js';
import { MODELS } from './lib/models.mjs';
import { LOOPS } from './lib/loops.mjs';
import { syntheticData } from './lib/data.mjs';

const [backend = 'wasm', modelName = 'dcgan', loopName = 'hand'] = process.argv.slice(2);
await useBackend(backend);
const spec = MODELS[modelName];
const { model } = spec.build(1);
const loop = LOOPS[loopName]({ gan: model, data: syntheticData(model.imageShape, 1024, 3), batchSize: spec.batch, backend, seed: 1 });
await loop.run(2);
let t0 = performance.now();
await loop.run(3);
console.log('step ms', ((performance.now() - t0) / 3).toFixed(1));
const prof = await tf.profile(() => loop.run(1));
const byKernel = new Map();
for (const k of prof.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  e.n++;
  byKernel.set(k.name, e);
}
const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log('kernel total ms', total.toFixed(1));
for (const [name, e] of rows.slice(0, 25)) console.log(name.padEnd(28), e.ms.toFixed(1).padStart(8), String(e.n).padStart(5));
