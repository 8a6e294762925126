/**
 * Child process of the long-run suite: trains an MLP GAN (28x28, z 32, one hidden layer of 64 in G and D) for STEPS steps on wasm and
 * prints one JSON line per sample point with the step, tfjs tensor count and bytes, and RSS after a GC.
 * THREADS is wasmBackend's `threads` setting: `false` (one thread, the default here), `auto` or a count.
 * Usage: node --expose-gc --import tsx long-run-child.ts STEPS BATCH [EVERY] [THREADS]
 */
import { ImageDataset, Trainer, mlpGan, tf, useBackend, wasmBackend, wasmThreadsInfo, type WasmThreadsSetting } from '../../src/index.js';

const steps = Number(process.argv[2] ?? 10_000);
const batchSize = Number(process.argv[3] ?? 8);
const every = Number(process.argv[4] ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const threadsArg = process.argv[5] ?? 'false';
const threads: WasmThreadsSetting = threadsArg === 'auto' ? 'auto' : threadsArg === 'false' ? false : Number(threadsArg);
const backend = wasmBackend({ threads });
await useBackend(backend);
const count = 256;
const images = new Float32Array(count * 784);
for (let i = 0; i < images.length; i++) images[i] = Math.sin(i * 0.37) * 0.9;
const data = ImageDataset.fromArrays({ images, imageShape: [28, 28, 1] });
const gan = mlpGan({ seed: 1, latentDim: 32, generatorUnits: [64], discriminatorUnits: [64] });
const trainer = new Trainer(gan, { backend, batchSize, seed: 1 });
const start = Date.now();
const sample = (step: number) => {
  gc();
  const m = tf.memory();
  process.stdout.write(
    JSON.stringify({ step, numTensors: m.numTensors, numBytes: m.numBytes, rss: process.memoryUsage().rss, seconds: (Date.now() - start) / 1000 }) + '\n',
  );
};
sample(0);
let last = { dLoss: 0, gLoss: 0 };
await trainer.fit(data, {
  steps,
  callbacks: [
    {
      onStepEnd(m) {
        last = { dLoss: m.dLoss, gLoss: m.gLoss };
        if (m.step % every === 0) sample(m.step);
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ done: true, ...last, threads: wasmThreadsInfo()?.threads }) + '\n');
trainer.dispose();
gan.dispose();
