/** Fetches the embedded Fashion-MNIST t10k set and decodes it (gzip included) in the browser. */
import { ImageDataset } from '@aigc/core';
import imagesUrl from '../../data/fashion-mnist/t10k-images-idx3-ubyte.gz?url';
import labelsUrl from '../../data/fashion-mnist/t10k-labels-idx1-ubyte.gz?url';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(new URL(url, self.location.href));
  if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}. Serve the built page (npm run preview).`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Downloads and decodes the 10,000 images and labels; resolves to a dataset of 28x28x1 images in [-1, 1]. */
export async function loadFashionMnist(): Promise<ImageDataset> {
  const [images, labels] = await Promise.all([fetchBytes(imagesUrl), fetchBytes(labelsUrl)]);
  return ImageDataset.fromIdx(images, labels, {
    imagesName: 't10k-images-idx3-ubyte.gz',
    labelsName: 't10k-labels-idx1-ubyte.gz',
  });
}
