/** `aigc interpolate`: rows of images walking between two latents. */
import { imageGridAsync, interpolate, normalSampler, tf } from '@aigc/core';
import { writePng } from '@aigc/core/node';
import { defineCommand, flagOption, helpText, intOption, parseCommand, stringOption, UsageError } from '../args.js';
import { say, type CliCommand, type CliIo } from '../io.js';
import { classIndex, openRunGenerator } from '../run/generator.js';

const spec = defineCommand({
  name: 'aigc interpolate',
  summary: 'Writes a PNG of --rows rows, each walking in --steps images from one random latent to another (straight line, or the great circle with --slerp).',
  usage: 'aigc interpolate --from RUN --out strip.png [options]',
  options: {
    from: stringOption('Run folder written by aigc train.', undefined, 'RUN'),
    out: stringOption('PNG to write.', undefined, 'FILE'),
    steps: intOption('Images per row, both ends included', 8, { min: 2, max: 64 }),
    rows: intOption('Rows (pairs of latents)', 4, { min: 1, max: 64 }),
    slerp: flagOption('Spherical interpolation (keeps Gaussian latents at a typical norm).'),
    seed: intOption('Latent seed (1 or more)', 1, { min: 1 }),
    class: stringOption('Class name (conditional runs).', undefined, 'NAME'),
    backend: stringOption('Compute backend', 'wasm', 'NAME'),
  },
  epilog: 'Example:\n  aigc interpolate --from runs/photos --steps 10 --rows 4 --slerp --out walk.png',
});

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, help } = parseCommand(spec, argv);
  if (help) {
    io.stdout.write(helpText(spec));
    return 0;
  }
  if (v.from === undefined) throw new UsageError('give --from RUN (a run folder written by aigc train).');
  if (v.out === undefined) throw new UsageError('give --out FILE.png.');
  const gen = await openRunGenerator(v.from, v.backend);
  try {
    const label = v.class === undefined ? undefined : classIndex(gen.config, v.class);
    if (gen.numClasses !== undefined && label === undefined) {
      throw new UsageError(`this run is conditional: pick a class with --class (one of ${(gen.config.data.classNames ?? []).join(', ')}).`);
    }
    const ends = normalSampler(gen.latentDim, { seed: v.seed }).sample(2 * v.rows);
    let z: tf.Tensor2D | undefined;
    try {
      const rows: tf.Tensor2D[] = [];
      for (let r = 0; r < v.rows; r++) {
        const [a, b] = [tf.slice(ends, [2 * r, 0], [1, -1]), tf.slice(ends, [2 * r + 1, 0], [1, -1])];
        rows.push(interpolate(a, b, v.steps, v.slerp ? 'slerp' : 'lerp'));
        tf.dispose([a, b]);
      }
      z = tf.concat(rows) as tf.Tensor2D;
      tf.dispose(rows);
    } finally {
      ends.dispose();
    }
    const labels = label === undefined ? undefined : tf.tensor1d(new Int32Array(v.rows * v.steps).fill(label), 'int32');
    const images = gen.generate(z, labels);
    try {
      await writePng(v.out, await imageGridAsync(images, { columns: v.steps }));
    } finally {
      tf.dispose([images, z, ...(labels ? [labels] : [])]);
    }
    say(io.stdout, `Wrote ${v.out} (${v.rows} rows of ${v.steps}${v.slerp ? ', slerp' : ''})`);
    return 0;
  } finally {
    gen.dispose();
  }
}

/** The `interpolate` command. */
export const interpolateCommand: CliCommand = { name: 'interpolate', summary: 'Walk between latents of a trained run.', run };
