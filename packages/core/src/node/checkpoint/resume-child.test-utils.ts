/** Child process of the checkpoint test: resumes from argv[2], trains 10 steps, prints a fingerprint as JSON. */
import '@tensorflow/tfjs-backend-cpu';
import { Trainer } from '../../training/trainer.js';
import { fingerprint, runData } from './resume-run.test-utils.js';
import './index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: resume-child <checkpoint dir>');
const trainer = await Trainer.resume(dir, { backend: 'cpu' });
const history = await trainer.fit(runData(), { steps: 10 });
process.stdout.write(JSON.stringify({ globalStep: trainer.globalStep, ...fingerprint(trainer, history) }));
