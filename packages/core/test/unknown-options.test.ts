/** Every public factory with an options object rejects a misspelt key and names the nearest valid one. */
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import {
  UnknownOptionError,
  conditionalGanFromLayers,
  dcgan,
  evaluate,
  ganFromFunctions,
  gradientPenalty,
  imageGrid,
  instanceNoise,
  minimaxLoss,
  mlpGan,
  nonSaturatingLoss,
  normalSampler,
  r1Penalty,
  sampleClassGrid,
  sampleGridCallback,
  Trainer,
  tf,
  tfl,
  truncatedNormalSampler,
  uniformSampler,
  wasmBackend,
  wassersteinLoss,
} from '@aigc/core';
import { downloadMnist, jsonlMetricsCallback, sampleGridFileCallback, loadGenerator, loadGeneratorFromUrl, loadIdxDirectory, loadLayersModelFromDir } from '@aigc/core/node';

const cases: Array<[string, () => unknown, string, string]> = [
  ['mlpGan', () => mlpGan({ latentDims: 8 } as never), 'latentDims', 'latentDim'],
  ['dcgan', () => dcgan({ resolutoin: 16 } as never), 'resolutoin', 'resolution'],
  ['gradientPenalty', () => gradientPenalty({ wieght: 1 } as never), 'wieght', 'weight'],
  ['r1Penalty', () => r1Penalty({ gama: 1 } as never), 'gama', 'gamma'],
  ['wassersteinLoss', () => wassersteinLoss({ clip: 0.01 } as never), 'clip', 'weightClip'],
  ['nonSaturatingLoss', () => nonSaturatingLoss({ smoothing: 0.1 } as never), 'smoothing', 'labelSmoothing'],
  ['minimaxLoss', () => minimaxLoss({ labelsmoothing: 0.1 } as never), 'labelsmoothing', 'labelSmoothing'],
  ['instanceNoise', () => instanceNoise({ std: 0.1 } as never), 'std', 'stddev'],
  ['normalSampler', () => normalSampler(4, { sd: 1 } as never), 'sd', 'seed'],
  ['uniformSampler', () => uniformSampler(4, { lo: -1 } as never), 'lo', 'low'],
  ['truncatedNormalSampler', () => truncatedNormalSampler(4, { treshold: 1 } as never), 'treshold', 'threshold'],
  ['imageGrid', () => imageGrid(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, { cols: 2 } as never), 'cols', 'columns'],
  ['wasmBackend', () => wasmBackend({ thread: true } as never), 'thread', 'threads'],
  ['jsonlMetricsCallback', () => jsonlMetricsCallback('/tmp/x.jsonl', { evry: 2 } as never), 'evry', 'every'],
  ['Trainer', () => new Trainer(mlpGan({ seed: 1 }), { batchsize: 8 } as never), 'batchsize', 'batchSize'],
  ['sampleGridCallback', () => sampleGridCallback({ onGrid: () => undefined, seeds: 1 } as never), 'seeds', 'seed'],
  ['sampleGridFileCallback', () => sampleGridFileCallback('/tmp/grids', { latst: false } as never), 'latst', 'latest'],
];

describe('unknown option keys', () => {
  it.each(cases)('%s', (where, call, key, suggestion) => {
    let caught: unknown;
    try {
      call();
    } catch (e) {
      caught = e;
    }
    expect(UnknownOptionError.isInstance(caught), `${where} accepted "${key}"`).toBe(true);
    expect(caught).toMatchObject({ where, argument: key, suggestion });
  });

  it('checks models built from layers or functions, class grids, evaluation and model loading', async () => {
    const g = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [2] }), tfl.layers.reshape({ targetShape: [2, 2, 1] })] });
    const d = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [2, 2, 1] }), tfl.layers.dense({ units: 1 })] });
    expect(() => conditionalGanFromLayers(g, d, { numClasses: 2, auxiliary: true } as never)).toThrow('Did you mean "auxiliaryClassifier"?');
    expect(() =>
      ganFromFunctions({ latentDim: 2, imageShape: [2, 2, 1], generator: () => tf.zeros([1, 2, 2, 1]), discriminator: () => tf.zeros([1, 1]), seeds: 1 } as never),
    ).toThrow('Did you mean "seed"?');
    const gan = dcgan({ resolution: 8, numClasses: 2, generatorFilters: 2, discriminatorFilters: 2, seed: 1 });
    expect(() => sampleClassGrid(gan, 1, { share: true } as never)).toThrow('Did you mean "shareLatents"?');
    const real = tf.zeros([4, 8, 8, 1]) as tf.Tensor4D;
    await expect(evaluate(gan, { real, metric: ['fid'] } as never)).rejects.toThrow('Did you mean "metrics"?');
    await expect(loadGenerator('/nonexistent', { maxWeightByte: 1 } as never)).rejects.toThrow('Did you mean "maxWeightBytes"?');
    await expect(loadIdxDirectory('/nonexistent', { splt: 'train' } as never)).rejects.toThrow('Did you mean "split"?');
    await expect(downloadMnist({ cache: '/tmp/x' } as never)).rejects.toThrow('Did you mean "cacheDir"?');
    await expect(loadLayersModelFromDir('/nonexistent', { maxJson: 1 } as never)).rejects.toThrow('Did you mean "maxJsonBytes"?');
    await expect(loadGeneratorFromUrl('https://example.invalid/model.json', { signl: undefined } as never)).rejects.toThrow('Did you mean "signal"?');
    tf.dispose([real, g, d] as never);
    gan.dispose();
  });
});
