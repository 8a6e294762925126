/**
 * Child process of the checkpoint crash tests: trains a small seeded GAN on cpu one step at a
 * time and saves a checkpoint into DIR after every step (five times over, so that most of the
 * time is spent writing checkpoints and random kills land mid-write), printing `saved STEP`, until killed.
 * Usage: node --import tsx crash-trainer-child.ts DIR
 */
import { tf } from '../../src/index.js';
import '../../src/node/index.js';
import { crashRun } from './crash-run.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-trainer-child.ts DIR');
await tf.setBackend('cpu');
const { trainer, data } = crashRun();
for (;;) {
  await trainer.fit(data, { steps: 1 });
  for (let i = 0; i < 5; i++) await trainer.save(dir);
  process.stdout.write(`saved ${trainer.globalStep}\n`);
}
