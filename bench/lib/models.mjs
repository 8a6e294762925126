// Model builders for the benchmark and FLOP counting from layer shapes.
import { tfl, mlpGan, mlpVae, ganFromLayers } from '../../packages/core/dist/index.js';
import * as core from '../../packages/core/dist/index.js';

/** The DCGAN of the models issue, from @aigc/core when exported, else built here with tfjs-layers. */
export function dcganModel(seed = 1) {
  if (typeof core.dcgan === 'function') return { model: core.dcgan({ seed }), source: '@aigc/core dcgan()' };
  let s = seed * 1000;
  const init = () => tfl.initializers.glorotUniform({ seed: s++ });
  const g = tfl.sequential({ name: 'generator' });
  g.add(tfl.layers.dense({ units: 7 * 7 * 128, useBias: false, inputShape: [100], kernelInitializer: init() }));
  g.add(tfl.layers.batchNormalization());
  g.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tfl.layers.reshape({ targetShape: [7, 7, 128] }));
  g.add(tfl.layers.conv2dTranspose({ filters: 64, kernelSize: 5, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }));
  g.add(tfl.layers.batchNormalization());
  g.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  g.add(tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 5, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: init() }));
  const d = tfl.sequential({ name: 'discriminator' });
  d.add(tfl.layers.conv2d({ filters: 64, kernelSize: 5, strides: 2, padding: 'same', inputShape: [28, 28, 1], kernelInitializer: init() }));
  d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tfl.layers.conv2d({ filters: 128, kernelSize: 5, strides: 2, padding: 'same', kernelInitializer: init() }));
  d.add(tfl.layers.leakyReLU({ alpha: 0.2 }));
  d.add(tfl.layers.flatten());
  d.add(tfl.layers.dense({ units: 1, kernelInitializer: init() }));
  return { model: ganFromLayers(g, d), source: 'built in bench/lib/models.mjs with tfjs-layers (architecture of issue 3)' };
}

/** The benchmark models by name (bench/run.mjs runs mlp, dcgan and vae unless --models says otherwise). */
export const MODELS = {
  mlp: { batch: 128, build: (seed) => ({ model: mlpGan({ seed }), source: '@aigc/core mlpGan()' }) },
  dcgan: { batch: 64, build: (seed) => dcganModel(seed) },
  // The colour sizes of the image-folder issue (bench/augment.mjs times them with and without DiffAugment; here for bench/profile.mjs).
  dcgan32c: { batch: 64, build: (seed) => ({ model: core.dcgan({ resolution: 32, channels: 3, seed }), source: '@aigc/core dcgan({ resolution: 32, channels: 3 })' }) },
  dcgan64c: { batch: 64, build: (seed) => ({ model: core.dcgan({ resolution: 64, channels: 3, seed }), source: '@aigc/core dcgan({ resolution: 64, channels: 3 })' }) },
  // The article-sized MLP VAE; its hand-written loop is in lib/loops.mjs (no Keras-style loop).
  vae: { batch: 128, loops: ['trainer', 'hand'], build: (seed) => ({ model: mlpVae({ seed }), source: '@aigc/core mlpVae()' }) },
};

/**
 * Multiply-accumulate counts of one layer for a batch of n: forward, input-gradient and
 * weight-gradient (each the same count for Dense/Conv/ConvTranspose). Other layers count 0.
 */
function layerMacs(layer, n) {
  const cls = layer.getClassName();
  const inShape = layer.input.shape;
  const outShape = layer.output.shape;
  if (cls === 'Dense') {
    const inUnits = inShape[inShape.length - 1];
    return n * inUnits * layer.units;
  }
  if (cls === 'Conv2D') {
    const [, oh, ow, co] = outShape;
    const ci = inShape[3];
    const [kh, kw] = layer.kernelSize;
    return n * oh * ow * co * kh * kw * ci;
  }
  if (cls === 'Conv2DTranspose') {
    // Every input pixel scatters a kh x kw x co patch: in-pixels * ci * kh * kw * co.
    const [, ih, iw, ci] = inShape;
    const co = outShape[3];
    const [kh, kw] = layer.kernelSize;
    return n * ih * iw * ci * kh * kw * co;
  }
  return 0;
}

/** Forward MACs and "first weight layer" MACs of a model for batch n. */
function netMacs(model, n) {
  const weighted = model.layers.map((l) => layerMacs(l, n)).filter((m) => m > 0);
  const total = weighted.reduce((a, b) => a + b, 0);
  return { total, first: weighted[0] ?? 0 };
}

/**
 * FLOPs (2 per multiply-add) of one GAN training step as our Trainer runs it, from the layer
 * shapes of G and D, counting only matmul/conv work:
 *  D update: G forward, D forward on real and fake, D backward on both (weight grads of every
 *  layer, input grads of every layer but the first); G update: G forward, D forward, D input
 *  grads of every layer, G weight grads of every layer and input grads of all but the first.
 */
export function trainStepFlops(gan, n) {
  if (gan.encoder) return vaeStepFlops(gan, n);
  const g = netMacs(gan.generator, n);
  const d = netMacs(gan.discriminator, n);
  const dStep = g.total + 2 * d.total + 2 * (d.total + (d.total - d.first));
  const gStep = g.total + d.total + d.total + g.total + (g.total - g.first);
  return 2 * (dStep + gStep);
}

/** FLOPs of generating n images (G forward). */
export function sampleFlops(gan, n) {
  return 2 * netMacs(gan.generator, n).total;
}

/**
 * FLOPs of one VAE step: encoder and decoder forward, weight grads of every layer of both, input
 * grads of every decoder layer and of every encoder layer but the first.
 */
export function vaeStepFlops(vae, n) {
  const e = netMacs(vae.encoder, n);
  const d = netMacs(vae.generator, n);
  return 2 * (e.total + d.total + e.total + d.total + (e.total - e.first) + d.total);
}
