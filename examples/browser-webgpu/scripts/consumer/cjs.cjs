// CommonJS consumer: require() of every entry point of the packed packages.
const { mlpGan, useBackend, tf } = require('@aigc/core');
const { writeFileAtomic } = require('@aigc/core/node');
const { aigcBackends: webgpuBackends } = require('@aigc/backend-webgpu');
const { aigcBackends: nodeGpuBackends } = require('@aigc/backend-node-gpu');

(async () => {
  await useBackend('cpu');
  const gan = mlpGan({ latentDim: 8, generatorUnits: [16], discriminatorUnits: [8], seed: 1 });
  const images = gan.sample(3, { seed: 3 });
  console.log(
    JSON.stringify({
      format: 'cjs',
      backend: tf.getBackend(),
      shape: images.shape,
      webgpu: Object.keys(webgpuBackends),
      nodeGpu: Object.keys(nodeGpuBackends),
      node: typeof writeFileAtomic,
    }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
