/** Bad-input catalogue, data: arrays, NaN/inf pixels, labels, empty sets, IDX and gzip files. */
import { beforeAll, describe } from 'vitest';
import { ImageDataset, InvalidArgumentError, InvalidDataError, Rng, parseIdx, gunzipBytes, pixelHistogram, tf } from '@aigc/core';
import { encodeIdx, fakeImagesIdx, fakeLabelsIdx, gzip, idxHeader } from '../../src/data/idx.test-utils.js';
import { catalogue } from './catalogue.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const px = (n: number, v = 0) => new Float32Array(n).fill(v);
const shape = [2, 2, 1] as const;
const ok = () => ImageDataset.fromArrays({ images: px(4 * 4), imageShape: shape });

describe('datasets from arrays', () => {
  catalogue([
    {
      name: 'images given as a plain array',
      run: () => ImageDataset.fromArrays({ images: [0, 0, 0, 0] as unknown as Float32Array, imageShape: shape }),
      error: InvalidArgumentError,
      what: /images must be a Float32Array/,
      fix: /normalized to \[-1, 1\]/,
    },
    {
      name: 'image shape with a zero dimension',
      run: () => ImageDataset.fromArrays({ images: px(4), imageShape: [2, 0, 1] }),
      error: InvalidArgumentError,
      what: /imageShape .*got \[2,0,1\]/,
      fix: /positive integers/,
    },
    {
      name: 'image shape of rank 2',
      run: () => ImageDataset.fromArrays({ images: px(4), imageShape: [2, 2] as unknown as [number, number, number] }),
      error: InvalidArgumentError,
      what: /imageShape/,
      fix: /\[height, width, channels\]/,
    },
    {
      name: 'empty dataset',
      run: () => ImageDataset.fromArrays({ images: px(0), imageShape: shape }),
      error: InvalidDataError,
      what: /empty/,
      fix: /at least one image/,
    },
    {
      name: 'pixel count not a multiple of the image size',
      run: () => ImageDataset.fromArrays({ images: px(7), imageShape: shape }),
      error: InvalidDataError,
      what: /7 values, not a multiple of 4/,
      fix: /check imageShape/,
    },
    {
      name: 'NaN pixel',
      run: () => ImageDataset.fromArrays({ images: Float32Array.of(0, 0, NaN, 0), imageShape: shape }),
      error: InvalidDataError,
      what: /images\[2\].*NaN/,
      fix: /Remove or repair/,
    },
    {
      name: 'infinite pixel',
      run: () => ImageDataset.fromArrays({ images: Float32Array.of(0, -Infinity, 0, 0), imageShape: shape }),
      error: InvalidDataError,
      what: /images\[1\].*-Infinity/,
      fix: /finite/,
    },
    {
      name: 'pixels in 0..255 instead of [-1, 1]',
      run: () => ImageDataset.fromArrays({ images: Float32Array.of(0, 255, 0, 0), imageShape: shape }),
      error: InvalidDataError,
      what: /255, outside \[-1, 1\]/,
      fix: /x \/ 127\.5 - 1/,
    },
    {
      name: 'fewer labels than images',
      run: () => ImageDataset.fromArrays({ images: px(8), imageShape: shape, labels: [1] }),
      error: InvalidDataError,
      what: /1 entries but there are 2 images/,
      fix: /one label per image/,
    },
    {
      name: 'negative label',
      run: () => ImageDataset.fromArrays({ images: px(8), imageShape: shape, labels: [0, -3] }),
      error: InvalidDataError,
      what: /labels\[1\] is -3/,
      fix: /class indices/,
    },
    {
      name: 'label not below numClasses',
      run: () => ImageDataset.fromArrays({ images: px(8), imageShape: shape, labels: [0, 5], numClasses: 5 }),
      error: InvalidDataError,
      what: /labels\[1\] is 5, not an integer in \[0, 5\)/,
      fix: /raise numClasses/,
    },
    {
      name: 'numClasses without labels',
      run: () => ImageDataset.fromArrays({ images: px(8), imageShape: shape, numClasses: 3 }),
      error: InvalidArgumentError,
      what: /numClasses was given without labels/,
      fix: /pass labels or omit numClasses/,
    },
    {
      name: 'batch larger than the dataset',
      run: () => ok().batchCount(64),
      error: InvalidArgumentError,
      what: /batchSize 64 is larger than the dataset \(4 images\)/,
      fix: /at most 4/,
    },
    {
      name: 'zero batch size on a dataset',
      run: () => ok().batchCount(0),
      error: InvalidArgumentError,
      what: /batchSize must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'batch index outside the dataset',
      run: () => ok().batch(Int32Array.of(0, 9), 0, 2),
      error: InvalidArgumentError,
      what: /indices\[1\] is 9/,
      fix: /\[0, 4\)/,
    },
    {
      name: 'split leaving an empty part',
      run: () => ok().split(0.01),
      error: InvalidArgumentError,
      what: /empty part/,
      fix: /fraction nearer 0\.5 or more data/,
    },
    {
      name: 'histogram of NaN pixels (diverged samples)',
      run: () => pixelHistogram(Float32Array.of(0.5, NaN)),
      error: InvalidDataError,
      what: /value 1 is NaN/,
      fix: /did training diverge/,
    },
    {
      name: 'filterClasses on an unlabeled dataset',
      run: () => ok().filterClasses(1),
      error: InvalidArgumentError,
      what: /needs a labeled dataset/,
      fix: /load the labels file/,
    },
  ]);
});

describe('IDX and gzip files', () => {
  const images = fakeImagesIdx(3, 4, 4);
  catalogue([
    {
      name: 'IDX with a wrong magic number (a PNG file)',
      run: () => parseIdx(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 0)),
      error: InvalidDataError,
      what: /not an IDX file \(magic 0x89504E47/,
      fix: /expected an MNIST-format IDX file/,
    },
    {
      name: 'IDX with an unknown type code',
      run: () => parseIdx(Uint8Array.of(0, 0, 0x07, 1, 0, 0, 0, 1, 0)),
      error: InvalidDataError,
      what: /unknown IDX type code 0x07/,
      fix: /known codes are/,
    },
    {
      name: 'IDX of rank 0',
      run: () => parseIdx(Uint8Array.of(0, 0, 0x08, 0)),
      error: InvalidDataError,
      what: /rank 0 is not supported/,
      fix: /expected 1 to 4 dimensions/,
    },
    {
      name: 'IDX with a truncated header',
      run: () => parseIdx(images.subarray(0, 9)),
      error: InvalidDataError,
      what: /truncated IDX header/,
      fix: /download the file again/,
    },
    {
      name: 'IDX with a truncated payload',
      run: () => parseIdx(images.subarray(0, images.length - 5), { name: 'train-images' }),
      error: InvalidDataError,
      what: /train-images: truncated IDX payload/,
      fix: /download the file again/,
    },
    {
      name: 'IDX with trailing bytes',
      run: () => parseIdx(Uint8Array.from([...images, 1, 2])),
      error: InvalidDataError,
      what: /2 trailing bytes/,
      fix: /wrong header/,
    },
    {
      name: 'IDX with a zero dimension',
      run: () => parseIdx(idxHeader(0x08, [0, 28, 28])),
      error: InvalidDataError,
      what: /dimension 0 is 0/,
      fix: /between 1 and 2\^31-1/,
    },
    {
      name: 'IDX declaring 2^31 images (allocation bomb)',
      run: () => parseIdx(idxHeader(0x08, [0x7fffffff, 28, 28])),
      error: InvalidDataError,
      what: /more than the limit of 2147483648 bytes/,
      fix: /raise maxBytes/,
    },
    {
      name: 'IDX bytes given as a string',
      run: () => parseIdx('not bytes' as unknown as Uint8Array),
      error: InvalidArgumentError,
      what: /expects a Uint8Array, got \[object String\]/,
      fix: /Uint8Array/,
    },
    {
      name: 'truncated gzip file',
      run: () => parseIdx(gzip(images).subarray(0, 30)),
      error: InvalidDataError,
      what: /gzip data is corrupt or truncated/,
      fix: /download the file again/,
    },
    {
      name: 'gzip file with a flipped payload byte (CRC mismatch)',
      run: () => {
        const g = gzip(encodeIdx('uint8', [64], new Uint8Array(64).map((_, i) => i)));
        g[g.length - 12]! ^= 0xff;
        return gunzipBytes(g);
      },
      error: InvalidDataError,
      what: /corrupt or truncated/,
      fix: /download the file again or use an uncompressed copy/,
    },
    {
      name: 'gzip trailer declaring 4 GiB (zip bomb)',
      run: () => {
        const g = gzip(images);
        g.set([0xff, 0xff, 0xff, 0xff], g.length - 4);
        return gunzipBytes(g);
      },
      error: InvalidDataError,
      what: /declares 4294967295 uncompressed bytes/,
      fix: /download the file again/,
    },
    {
      name: 'images and labels files of different splits',
      run: () => ImageDataset.fromIdx(fakeImagesIdx(3, 4, 4), fakeLabelsIdx(5)),
      error: InvalidDataError,
      what: /holds 3 images but labels file holds 5 labels/,
      fix: /labels file of the same split/,
    },
    {
      name: 'labels file passed as images file',
      run: () => ImageDataset.fromIdx(fakeLabelsIdx(5)),
      error: InvalidDataError,
      what: /images/i,
      fix: /idx3|images file|\[count, height, width\]/i,
    },
  ]);
});

describe('random streams', () => {
  catalogue([
    {
      name: 'non-integer Rng seed',
      run: () => new Rng(0.5),
      error: InvalidArgumentError,
      what: /seed/,
      fix: /integer/,
    },
  ]);
});
