// Browser consumer, bundled by Vite from the installed tarballs: trains two steps on the best backend.
import { ImageDataset, Trainer, mlpGan, useBackend, wasmBackend } from '@aigc/core';
import { webgl, webgpu } from '@aigc/backend-webgpu';

async function main() {
  const adapter = await useBackend([webgpu(), webgl(), wasmBackend(), 'cpu']);
  const images = new Float32Array(16 * 28 * 28).map((_, i) => ((i * 7919) % 255) / 127.5 - 1);
  const data = ImageDataset.fromArrays({ images, imageShape: [28, 28, 1] });
  const gan = mlpGan({ latentDim: 8, generatorUnits: [16], discriminatorUnits: [8], seed: 1 });
  const trainer = new Trainer(gan, { backend: adapter, batchSize: 8, seed: 1 });
  const history = await trainer.fit(data, { steps: 2 });
  return { backend: adapter.name, steps: history.steps, dLoss: history.metrics[1].dLoss };
}

main().then(
  (result) => (document.body.dataset.result = JSON.stringify(result)),
  (error) => (document.body.dataset.result = JSON.stringify({ error: String(error && error.stack ? error.stack : error) })),
);
