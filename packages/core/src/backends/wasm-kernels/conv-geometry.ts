import { tf } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import type { ConvGeometry } from './layout.js';

/** The attributes shared by tfjs' Conv2DBackpropFilter and Conv2DBackpropInput kernels. */
export interface ConvBackpropAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Computes the {@link ConvGeometry} of an NHWC convolution of `inShape` by `filterShape`. */
export function convGeometry(
  kernel: string,
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvBackpropAttrs,
): ConvGeometry {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new InvalidArgumentError(
      'dataFormat',
      `aigc wasm ${kernel} supports only NHWC (channels-last) data, got ${attrs.dataFormat}. Transpose to NHWC first.`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
