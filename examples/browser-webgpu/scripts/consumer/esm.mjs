// ESM consumer: imports every entry point of the packed packages and samples a tiny model.
import { mlpGan, resolveBackendAdapter, useBackend, tf } from '@aigc/core';
import { saveGenerator, loadGenerator } from '@aigc/core/node';
import { aigcBackends as webgpuBackends, webgpu } from '@aigc/backend-webgpu';
import { aigcBackends as nodeGpuBackends } from '@aigc/backend-node-gpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

await useBackend('wasm');
const gan = mlpGan({ latentDim: 8, generatorUnits: [16], discriminatorUnits: [8], seed: 1 });
const dir = mkdtempSync(join(tmpdir(), 'aigc-consumer-'));
await saveGenerator(gan, dir);
const loaded = await loadGenerator(dir);
const images = loaded.sample(2, { seed: 3 });
const adapter = await resolveBackendAdapter('webgpu'); // found by dynamic import of the installed package
console.log(
  JSON.stringify({
    format: 'esm',
    backend: tf.getBackend(),
    shape: images.shape,
    webgpu: Object.keys(webgpuBackends),
    nodeGpu: Object.keys(nodeGpuBackends),
    resolved: adapter.name,
    factory: webgpu().name,
  }),
);
rmSync(dir, { recursive: true, force: true });
