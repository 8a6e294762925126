/** Child process of the augmentation resume test: resumes from argv[2], trains 4 steps, prints a fingerprint as JSON. */
import '@tensorflow/tfjs-backend-cpu';
import { Trainer } from '../training/trainer.js';
import { augmentFingerprint, augmentRunData } from './resume-run.test-utils.js';
import '../node/index.js';
import './builtins.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: resume-child <checkpoint dir>');
const trainer = await Trainer.resume(dir, { backend: 'cpu' });
const history = await trainer.fit(augmentRunData(), { steps: 4 });
process.stdout.write(JSON.stringify({ globalStep: trainer.globalStep, ...augmentFingerprint(trainer, history) }));
