import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/args.js';
import { buildRecipe } from '../src/recipes.js';

const lr = (o: unknown) => (o as { learningRate: number }).learningRate;
const layerClasses = (m: { layers: { getClassName(): string }[] }) => m.layers.map((l) => l.getClassName());

describe('DCGAN recipes', () => {
  it('classic keeps DCGAN Adam(2e-4) and EMA 0.99 from step 50; fast adds spectral norm, Adam 8e-4 for G and samples from G itself (no EMA)', () => {
    const classic = buildRecipe({ recipe: 'classic', loss: 'hinge', seed: 1, filters: 4, emaDecay: 0.99 });
    const fast = buildRecipe({ recipe: 'fast', loss: 'hinge', seed: 1, filters: 4, emaDecay: 0.99 });
    try {
      expect([lr(classic.trainer.optimizers?.generator), lr(classic.trainer.optimizers?.discriminator)]).toEqual([2e-4, 2e-4]);
      expect([lr(fast.trainer.optimizers?.generator), lr(fast.trainer.optimizers?.discriminator)]).toEqual([8e-4, 2e-4]);
      expect(classic.trainer.ema).toEqual({ decay: 0.99, startStep: 50 });
      expect(fast.trainer.ema).toBe(false);
      expect(layerClasses(classic.model.discriminator).join()).not.toMatch(/Spectral/);
      expect(layerClasses(fast.model.discriminator).filter((c) => /Spectral/.test(c)).length).toBe(3);
      const gp = buildRecipe({ recipe: 'fast', loss: 'wgan-gp', seed: 1, filters: 4, emaDecay: 0.99 });
      expect([lr(gp.trainer.optimizers?.generator), lr(gp.trainer.optimizers?.discriminator)]).toEqual([1e-4, 1e-4]);
      expect(gp.trainer.discriminatorSteps).toBe(2);
      gp.model.dispose();
    } finally {
      classic.model.dispose();
      fast.model.dispose();
    }
  });

  it('the CLI defaults to the fast recipe', () => {
    expect(parseCliArgs([]).recipe).toBe('fast');
    expect(parseCliArgs(['--recipe', 'fast']).recipe).toBe('fast');
    expect(parseCliArgs(['--recipe', 'classic']).recipe).toBe('classic');
    expect(() => parseCliArgs(['--recipe', 'quick'])).toThrow(/classic|fast/);
  });
});
