/**
 * Child process of the crash tests: saves the generators of two seeded GANs (A, B, A, B, ...)
 * into one folder in a tight loop, printing `saved N` after each save, until it is killed.
 * Usage: tsx crash-child.ts DIR
 */
import { mlpGan, tf } from '../../src/index.js';
import { saveGenerator } from '../../src/node/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-child.ts DIR');
await tf.setBackend('cpu');
const versions = [mlpGan({ seed: 1 }), mlpGan({ seed: 2 })];
for (let n = 0; ; n++) {
  await saveGenerator(versions[n % 2]!, dir);
  process.stdout.write(`saved ${n}\n`);
}
