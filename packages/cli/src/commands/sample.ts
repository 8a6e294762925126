/** `aigc sample`: images from a run's generator, as one grid or one PNG per image. */
import { existsSync, statSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { imageGridAsync, tf, truncatedNormalSampler, type GenerateOptions } from '@aigc/core';
import { writePng } from '@aigc/core/node';
import { defineCommand, helpText, intOption, numberOption, parseCommand, stringOption, UsageError } from '../args.js';
import { say, type CliCommand, type CliIo } from '../io.js';
import { classIndex, openRunGenerator } from '../run/generator.js';

const spec = defineCommand({
  name: 'aigc sample',
  summary: 'Draws images from the averaged generator of a run: one grid PNG, or one PNG per image when --out ends with a slash or is a folder.',
  usage: 'aigc sample --from RUN --out FILE.png|DIR/ [options]',
  options: {
    from: stringOption('Run folder written by aigc train.', undefined, 'RUN'),
    out: stringOption('Grid PNG to write, or a folder (ending in /) for one PNG per image.', undefined, 'PATH'),
    n: intOption('Images to draw', 64, { min: 1, max: 4096 }),
    seed: intOption('Latent seed (1 or more); the same seed gives the same images', 1, { min: 1 }),
    truncation: numberOption('Truncation threshold: latent coordinates beyond it are redrawn (0.7 trades variety for fidelity; default none)', undefined, { min: 0.01 }),
    class: stringOption('Class name to draw (conditional runs).', undefined, 'NAME'),
    columns: intOption('Images per grid row (default: square)', undefined, { min: 1 }),
    backend: stringOption('Compute backend', 'wasm', 'NAME'),
  },
  epilog: 'Example:\n  aigc sample --from runs/photos --n 64 --truncation 0.7 --out grid.png',
});

/** Whether `out` names a folder: it ends with a separator or is an existing folder. */
export function isFolderTarget(out: string): boolean {
  return /[\\/]$/.test(out) || (existsSync(out) && statSync(out).isDirectory());
}

/** Latent-sampling options of `--seed`, `--truncation` and `--class`. */
export function generateOptions(latentDim: number, seed: number, truncation: number | undefined, label: number | undefined, n: number): GenerateOptions {
  return {
    seed,
    ...(truncation === undefined ? {} : { sampler: truncatedNormalSampler(latentDim, { threshold: truncation, seed }) }),
    ...(label === undefined ? {} : { labels: new Int32Array(n).fill(label) }),
  };
}

async function sample(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, help } = parseCommand(spec, argv);
  if (help) {
    io.stdout.write(helpText(spec));
    return 0;
  }
  if (v.from === undefined) throw new UsageError('give --from RUN (a run folder written by aigc train).');
  if (v.out === undefined) throw new UsageError('give --out FILE.png (a grid) or --out DIR/ (one PNG per image).');
  const gen = await openRunGenerator(v.from, v.backend);
  try {
    const label = v.class === undefined ? undefined : classIndex(gen.config, v.class);
    if (gen.numClasses !== undefined && label === undefined) {
      throw new UsageError(`this run is conditional: pick a class with --class (one of ${(gen.config.data.classNames ?? []).join(', ')}).`);
    }
    const images = gen.sample(v.n, generateOptions(gen.latentDim, v.seed, v.truncation, label, v.n));
    try {
      if (isFolderTarget(v.out)) {
        await fs.mkdir(v.out, { recursive: true });
        const width = String(v.n).length;
        for (let i = 0; i < v.n; i++) {
          const one = tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]);
          try {
            await writePng(path.join(v.out, `sample-${String(i + 1).padStart(width, '0')}.png`), await imageGridAsync(one, { padding: 0 }));
          } finally {
            one.dispose();
          }
        }
        say(io.stdout, `Wrote ${v.n} PNGs into ${v.out}`);
      } else {
        await writePng(v.out, await imageGridAsync(images, v.columns === undefined ? {} : { columns: v.columns }));
        say(io.stdout, `Wrote ${v.out} (${v.n} images)`);
      }
    } finally {
      images.dispose();
    }
    return 0;
  } finally {
    gen.dispose();
  }
}

/** The `sample` command. */
export const sampleCommand: CliCommand = { name: 'sample', summary: 'Draw images from a trained run.', run: sample };
