/**
 * Training recipes for the article's MLP GAN: "as written" (the article's layers and the standard
 * DCGAN-style optimizer), and standard fixes that can be switched on one by one. The layer widths
 * stay the article's (G z100 -> 128 -> 784 -> 784, D 784 -> 128 -> 1) in every recipe.
 */
import { adam, hingeLoss, instanceNoise, mlpGan, nonSaturatingLoss, r1Penalty, type LayersGan, type TrainerOptions } from '@aigc/core';

/** One standard fix to the article's GAN. */
export type Fix = 'leaky' | 'dropout' | 'mbstd' | 'sn' | 'r1' | 'hinge' | 'ttur' | 'smooth' | 'ema' | 'gbn' | 'gleaky' | 'noise';

/** Every fix, with what it does (for help texts and the ablation table). */
export const FIXES: Readonly<Record<Fix, string>> = {
  leaky: "LeakyReLU(0.2) instead of ReLU in D's hidden layer",
  dropout: "dropout 0.3 after D's hidden layer",
  mbstd: "a minibatch-std feature (group 4) before D's output layer",
  sn: "spectral normalization of D's two Dense layers",
  r1: 'R1 penalty on real images, weight 1',
  hinge: 'hinge loss instead of the non-saturating loss',
  ttur: 'TTUR: D learns at 4e-4, G at 1e-4 (instead of both at 2e-4)',
  smooth: 'one-sided label smoothing 0.1 (real target 0.9)',
  ema: 'sample from an EMA of G (decay 0.999 with warm-up)',
  gbn: "batch normalization before the activation of G's two hidden layers (as in DCGAN)",
  gleaky: "LeakyReLU(0.2) instead of ReLU in G's hidden layers",
  noise: 'instance noise: N(0, 0.1²) on every image D sees, annealed to 0 over 2,000 steps',
};

/** The fixes of the repaired recipe `npm run demo` trains by default, chosen by the ablation in the README. */
export const REPAIRED: readonly Fix[] = ['sn', 'hinge', 'ttur', 'ema'];

/** Parses `leaky+mbstd+ema` (or `as-written` / `none` for no fix) into fixes; throws on an unknown name. */
export function parseFixes(spec: string): Fix[] {
  if (spec === 'as-written' || spec === 'none' || spec === '') return [];
  if (spec === 'repaired') return [...REPAIRED];
  return spec.split('+').map((name) => {
    if (!(name in FIXES)) throw new Error(`Unknown fix "${name}"; use some of ${Object.keys(FIXES).join(', ')} joined by "+", or as-written / repaired.`);
    return name as Fix;
  });
}

/** A display name: `as written` or the fixes joined by ` + `. */
export function recipeName(fixes: readonly Fix[]): string {
  return fixes.length === 0 ? 'as written' : fixes.join(' + ');
}

/** The model and the Trainer options of a recipe (the caller adds backend, batch size and seed). */
export function buildRecipe(fixes: readonly Fix[], seed: number): { model: LayersGan; trainer: TrainerOptions } {
  const has = (f: Fix) => fixes.includes(f);
  const model = mlpGan({
    seed,
    ...(has('leaky') ? { discriminatorActivation: 'leakyRelu' as const } : {}),
    ...(has('dropout') ? { dropout: 0.3 } : {}),
    ...(has('mbstd') ? { minibatchStd: true } : {}),
    ...(has('sn') ? { spectralNorm: true } : {}),
    ...(has('gbn') ? { generatorBatchNorm: true } : {}),
    ...(has('gleaky') ? { generatorActivation: 'leakyRelu' as const } : {}),
  });
  const trainer: TrainerOptions = {
    ...(has('hinge') ? { loss: hingeLoss() } : has('smooth') ? { loss: nonSaturatingLoss({ labelSmoothing: 0.1 }) } : {}),
    ...(has('r1') ? { regularizers: [r1Penalty({ weight: 1 })] } : {}),
    ...(has('ttur') ? { optimizers: { generator: adam(1e-4, 0.5), discriminator: adam(4e-4, 0.5) } } : {}),
    ...(has('ema') ? { ema: { decay: 0.999, warmup: true, ...(has('gbn') ? { batchNorm: { model } } : {}) } } : {}),
    ...(has('noise') ? { instanceNoise: instanceNoise({ stddev: 0.1, annealSteps: 2000 }) } : {}),
  };
  return { model, trainer };
}
