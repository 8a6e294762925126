import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { Batch, TrainingData } from './types.js';

/** Where the Trainer is in its data: the epoch, the seeded order of this epoch and the position in it. */
export class DataCursor {
  /** Current epoch (0-based). */
  epoch = 0;
  /** This epoch's order, drawn when the first batch is taken. */
  order: Int32Array | undefined;
  /** Position in {@link DataCursor.order}. */
  position = 0;
  /** The data-order stream. */
  readonly rng: Rng;

  constructor(
    seed: number,
    private readonly batchSize: number,
  ) {
    this.rng = new Rng((seed ^ 0x5bd1e995) >>> 0);
  }

  /** The next full batch, starting a new epoch (and a new order) when the current one has no full batch left. */
  next(data: TrainingData): { batch: Batch; newEpoch: boolean } {
    let newEpoch = false;
    if (this.order === undefined || this.position + this.batchSize > this.order.length) {
      if (this.order !== undefined) this.epoch++;
      this.order = data.epochOrder(this.rng);
      this.position = 0;
      newEpoch = true;
    }
    const batch = data.batch(this.order, this.position, this.batchSize);
    this.position += this.batchSize;
    return { batch, newEpoch };
  }

  /** True when the current epoch has no full batch left. */
  get epochDone(): boolean {
    return this.order !== undefined && this.position + this.batchSize > this.order.length;
  }

  /** Checks that `data` fits a model of `imageShape` / `numClasses` and this run's order. */
  check(data: TrainingData, imageShape: readonly number[], numClasses: number | undefined): void {
    if (!data || typeof data.batch !== 'function' || typeof data.epochOrder !== 'function') {
      throw new InvalidArgumentError('data', 'fit needs a dataset such as ImageDataset.fromIdx(...) or ImageDataset.fromArrays(...).');
    }
    const shape = data.imageShape;
    if (shape.length !== 3 || shape.some((d, i) => d !== imageShape[i])) {
      throw new ShapeMismatchError(`The data's images are [${shape.join(', ')}] but the model makes [${imageShape.join(', ')}].`, [...imageShape], [...shape]);
    }
    const dataClasses = (data as { numClasses?: number }).numClasses;
    if (numClasses !== undefined && 'numClasses' in data && (dataClasses === undefined || dataClasses > numClasses)) {
      throw new InvalidArgumentError(
        'data',
        dataClasses === undefined
          ? `The model is conditional on ${numClasses} classes but the data has no labels; load the labels file too.`
          : `The data has ${dataClasses} classes but the model was built for ${numClasses}.`,
      );
    }
    if (this.order !== undefined && this.order.length !== data.size) {
      throw new InvalidArgumentError('data', `This run's data order is for ${this.order.length} images but the data has ${data.size}; resume with the same dataset.`);
    }
  }
}
