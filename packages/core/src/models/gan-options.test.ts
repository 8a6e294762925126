import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Trainer } from '../training/trainer.js';
import { toyImages } from '../training/toy-data.test-utils.js';
import { dcgan } from './dcgan.js';
import { mlpGan } from './mlp-gan.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const summary = (m: tfl.LayersModel) =>
  m.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => `${l.getClassName()}:${JSON.stringify(l.outputShape)}`);

describe("builders' discriminator options", () => {
  it('mlpGan: defaults stay the article\'s D; leakyRelu, dropout, spectralNorm and minibatchStd change only D', () => {
    const plain = mlpGan({ seed: 1 });
    expect(summary(plain.discriminator)).toEqual(['Flatten:[null,784]', 'Dense:[null,128]', 'Dense:[null,1]']);
    const fixed = mlpGan({ seed: 1, discriminatorActivation: 'leakyRelu', dropout: 0.3, spectralNorm: true, minibatchStd: { groupSize: 2 } });
    expect(summary(fixed.discriminator)).toEqual([
      'Flatten:[null,784]',
      'SpectralNormalization:[null,128]',
      'LeakyReLU:[null,128]',
      'Dropout:[null,128]',
      'MinibatchStdDev:[null,129]',
      'SpectralNormalization:[null,1]',
    ]);
    expect(summary(fixed.generator)).toEqual(summary(plain.generator));
    // Same seed, same G weights: the options leave G alone.
    expect(fixed.generator.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(plain.generator.getWeights().map((w) => Array.from(w.dataSync())));
    const g = mlpGan({ seed: 1, generatorBatchNorm: true, generatorActivation: 'leakyRelu' });
    expect(summary(g.generator)).toEqual([
      'Dense:[null,128]', 'BatchNormalization:[null,128]', 'LeakyReLU:[null,128]',
      'Dense:[null,784]', 'BatchNormalization:[null,784]', 'LeakyReLU:[null,784]',
      'Dense:[null,784]', 'Reshape:[null,28,28,1]',
    ]);
    g.dispose();
    expect(() => mlpGan({ generatorActivation: 'elu' as 'relu' })).toThrow(InvalidArgumentError);
    expect(() => mlpGan({ discriminatorActivation: 'tanh' as 'relu' })).toThrow(InvalidArgumentError);
    expect(() => mlpGan({ dropout: 1 })).toThrow(InvalidArgumentError);
    expect(() => mlpGan({ leakyAlpha: -0.1 })).toThrow(InvalidArgumentError);
    plain.dispose();
    fixed.dispose();
  });

  it('dcgan: spectralNorm wraps every D weight layer, minibatchStd adds a channel, dropout follows each conv', async () => {
    const gan = dcgan({ seed: 2, resolution: 8, generatorFilters: 4, discriminatorFilters: 4, kernelSize: 3, latentDim: 4, spectralNorm: true, minibatchStd: true, dropout: 0.2 });
    expect(summary(gan.discriminator)).toEqual([
      'SpectralNormalization:[null,4,4,4]',
      'LeakyReLU:[null,4,4,4]',
      'Dropout:[null,4,4,4]',
      'MinibatchStdDev:[null,4,4,5]',
      'Flatten:[null,80]',
      'SpectralNormalization:[null,1]',
    ]);
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1 });
    const h = await trainer.fit(toyImages(16, 8), { steps: 2 });
    expect(h.metrics.every((m) => Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss))).toBe(true);
    trainer.dispose();
    gan.dispose();
    // Conditional projection D: the class embedding is normalized too; names stay 'logit' / 'class_embedding'.
    const cond = dcgan({ seed: 3, resolution: 8, generatorFilters: 4, discriminatorFilters: 4, kernelSize: 3, latentDim: 4, numClasses: 3, spectralNorm: true });
    const names = cond.discriminator.layers.filter((l) => l.getClassName() === 'SpectralNormalization').map((l) => l.name);
    expect(names).toContain('logit');
    expect(names).toContain('class_embedding');
    cond.dispose();
    const plain = dcgan({ seed: 2, resolution: 8, generatorFilters: 4, discriminatorFilters: 4, kernelSize: 3, latentDim: 4 });
    expect(summary(plain.discriminator)).toEqual(['Conv2D:[null,4,4,4]', 'LeakyReLU:[null,4,4,4]', 'Flatten:[null,64]', 'Dense:[null,1]']);
    plain.dispose();
  });
});
