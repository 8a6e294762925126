/**
 * Pure data-layout loops used by the wasm kernels: transposes, im2col and col2im over
 * Float32Array views (usually of the wasm heap). Images are NHWC, filters [kh, kw, in, out].
 */

/** Geometry of a 2-D convolution with dilation 1, as the kernels need it. */
export interface ConvGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  /** Padding rows above the input. */
  readonly padTop: number;
  /** Padding columns left of the input. */
  readonly padLeft: number;
}

const BLOCK = 32;

/**
 * Writes the transpose of each `rows x cols` matrix of `src` (there are `batch` of them, back
 * to back) into `dst` as `cols x rows`, in cache blocks of 32.
 */
export function transposeBatched(
  src: Float32Array,
  srcOffset: number,
  dst: Float32Array,
  dstOffset: number,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let b = 0; b < batch; b++) {
    const s0 = srcOffset + b * size;
    const d0 = dstOffset + b * size;
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      const r1 = Math.min(r0 + BLOCK, rows);
      for (let c0 = 0; c0 < cols; c0 += BLOCK) {
        const c1 = Math.min(c0 + BLOCK, cols);
        for (let r = r0; r < r1; r++) {
          const sRow = s0 + r * cols;
          for (let c = c0; c < c1; c++) dst[d0 + c * rows + r] = src[sRow + c] as number;
        }
      }
    }
  }
}

/**
 * Transposed im2col: fills `dst` (at `dstOffset`) with the `[kh*kw*inChannels, batch*outH*outW]`
 * matrix whose row `(ky, kx, ci)` holds input pixel `(oy*sh + ky - padTop, ox*sw + kx - padLeft, ci)`
 * for every output position (0 outside the image).
 */
export function im2colTransposed(x: Float32Array, xOffset: number, g: ConvGeometry, dst: Float32Array, dstOffset: number): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const M = batch * OH * OW;
  const imageSize = H * W * C;
  const rowStride = W * C;
  const colStep = g.strideWidth * C;
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      // Output columns whose input column is inside the image: ox in [oxLo, oxHi).
      const ix0 = kx - g.padLeft;
      const oxLo = Math.min(OW, Math.max(0, Math.ceil(-ix0 / g.strideWidth)));
      const oxHi = Math.max(oxLo, Math.min(OW, Math.ceil((W - ix0) / g.strideWidth)));
      for (let ci = 0; ci < C; ci++) {
        let d = dstOffset + ((ky * g.filterWidth + kx) * C + ci) * M;
        for (let n = 0; n < batch; n++) {
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * g.strideHeight + ky - g.padTop;
            if (iy < 0 || iy >= H) {
              dst.fill(0, d, d + OW);
              d += OW;
              continue;
            }
            for (let ox = 0; ox < oxLo; ox++) dst[d++] = 0;
            let s = xOffset + n * imageSize + iy * rowStride + (oxLo * g.strideWidth + ix0) * C + ci;
            for (let ox = oxLo; ox < oxHi; ox++) {
              dst[d++] = x[s] as number;
              s += colStep;
            }
            for (let ox = oxHi; ox < OW; ox++) dst[d++] = 0;
          }
        }
      }
    }
  }
}

/**
 * col2im: zeroes `dx` (NHWC, `g`'s input shape) and adds into it every row of `col`
 * (`[batch*outH*outW, kh*kw*inChannels]`), each patch entry onto the input pixel it came from.
 */
export function col2imAdd(col: Float32Array, colOffset: number, g: ConvGeometry, dx: Float32Array, dxOffset: number): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight;
  const KW = g.filterWidth;
  const R = KH * KW * C;
  dx.fill(0, dxOffset, dxOffset + batch * H * W * C);
  let m = 0;
  for (let n = 0; n < batch; n++) {
    const img = dxOffset + n * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, m++) {
        const rowBase = colOffset + m * R;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * g.strideHeight + ky - g.padTop;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * g.strideWidth + kx - g.padLeft;
            if (ix < 0 || ix >= W) continue;
            let d = img + (iy * W + ix) * C;
            let s = rowBase + (ky * KW + kx) * C;
            const end = d + C;
            while (d < end) (dx[d++] as number) += col[s++] as number;
          }
        }
      }
    }
  }
}
