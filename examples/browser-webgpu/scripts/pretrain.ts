/**
 * Trains the small generator the page ships for instant sampling, on the embedded Fashion-MNIST
 * t10k set, and saves it with `saveGenerator` into `public/pretrained/`.
 *
 *   npm run build -w @aigc/core && npm run pretrain -w @aigc/example-browser-webgpu -- --steps 8000
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Trainer, imageGrid, tf } from '@aigc/core';
import { loadIdxDirectory, saveGenerator, writePng } from '@aigc/core/node';
import { PRETRAINED } from '../src/pretrained-config.js';
import { pretrainedGan } from '../src/models.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '8000' },
    out: { type: 'string', default: here('../public/pretrained') },
    preview: { type: 'string', default: here('../out/pretrained-preview.png') },
  },
});
const steps = Number(values.steps);

const data = await loadIdxDirectory(here('../../data/fashion-mnist'), { split: 't10k' });
const gan = pretrainedGan();
// The averaged (EMA) generator is what ships: it is much less noisy than the live weights.
const trainer = new Trainer(gan, { backend: 'wasm', batchSize: PRETRAINED.batchSize, seed: PRETRAINED.seed, ema: { decay: 0.999 } });
// Fail now, not after the whole run, if @aigc/core's build is older than this script (rebuild it).
await trainer.withAveragedGenerator(() => undefined);
const started = Date.now();
await trainer.fit(data, {
  steps,
  callbacks: [
    {
      onStepEnd: (m) => {
        if (m.step % 500 === 0 || m.step === steps) {
          const rate = (m.step / ((Date.now() - started) / 1000)).toFixed(1);
          console.log(
            `step ${m.step}/${steps}  dLoss ${m.dLoss.toFixed(3)}  gLoss ${m.gLoss.toFixed(3)}  ` +
              `D acc ${m.dAccuracy.toFixed(2)}  ${rate} steps/s`,
          );
        }
      },
    },
  ],
});
await trainer.withAveragedGenerator(() => saveGenerator(gan, values.out));
const samples = trainer.sample(64, { seed: 7 });
await writePng(values.preview, imageGrid(samples, { columns: 8 }));
tf.dispose(samples);
console.log(`saved the generator to ${values.out} and a preview to ${values.preview}`);
