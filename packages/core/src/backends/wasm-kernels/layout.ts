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

/** Input channels below which {@link im2colTransposed} writes whole rows directly instead of tiling. */
const NARROW_INPUT = 8;

/**
 * {@link im2colTransposed} for few input channels: each row of the result (one filter tap and
 * channel) is written front to back by plain loops over the output positions, without the tiled
 * version's per-position index arithmetic (~10x faster for a 1-channel input).
 */
function im2colTransposedNarrow(heap: Float32Array, xOffset: number, g: ConvGeometry, colTOffset: number): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sy, strideWidth: sx } = g;
  let d = colTOffset;
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      for (let c = 0; c < C; c++) {
        for (let n = 0; n < batch; n++) {
          const img = xOffset + n * H * W * C + c;
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * sy + ky - g.padTop;
            if (iy < 0 || iy >= H) {
              heap.fill(0, d, d + OW);
              d += OW;
              continue;
            }
            const row = img + iy * W * C;
            for (let ox = 0; ox < OW; ox++) {
              const ix = ox * sx + kx - g.padLeft;
              heap[d++] = ix < 0 || ix >= W ? 0 : (heap[row + ix * C] as number);
            }
          }
        }
      }
    }
  }
}

/**
 * Transposed im2col inside one heap: writes at `colTOffset` the `[kh*kw*inChannels,
 * batch*outH*outW]` matrix (the transpose of {@link im2col}'s), reading the NHWC input at
 * `xOffset`. Works in 32 x 32 tiles so both reads and writes stay in cache.
 */
export function im2colTransposed(heap: Float32Array, xOffset: number, g: ConvGeometry, colTOffset: number): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  if (C < NARROW_INPUT) {
    im2colTransposedNarrow(heap, xOffset, g, colTOffset);
    return;
  }
  const M = batch * OH * OW;
  const src = new Int32Array(BLOCK);
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      const rowBase = colTOffset + (ky * g.filterWidth + kx) * C * M;
      for (let m0 = 0; m0 < M; m0 += BLOCK) {
        const m1 = Math.min(m0 + BLOCK, M);
        // Input offset of each output position in the tile for this (ky, kx), or -1 outside the image.
        for (let m = m0; m < m1; m++) {
          const ox = m % OW;
          const rest = (m - ox) / OW;
          const oy = rest % OH;
          const n = (rest - oy) / OH;
          const iy = oy * g.strideHeight + ky - g.padTop;
          const ix = ox * g.strideWidth + kx - g.padLeft;
          src[m - m0] = iy < 0 || iy >= H || ix < 0 || ix >= W ? -1 : xOffset + ((n * H + iy) * W + ix) * C;
        }
        for (let c0 = 0; c0 < C; c0 += BLOCK) {
          const c1 = Math.min(c0 + BLOCK, C);
          for (let c = c0; c < c1; c++) {
            let d = rowBase + c * M + m0;
            for (let m = m0; m < m1; m++) {
              const s = src[m - m0] as number;
              heap[d++] = s < 0 ? 0 : (heap[s + c] as number);
            }
          }
        }
      }
    }
  }
}

/**
 * {@link col2imAdd}'s additions for few input channels, tap by tap (filter row, column, channel)
 * over all output positions, so the inner loop walks an image row instead of re-deriving
 * offsets per position (~3x faster for 1 channel). `dx` must be zeroed; each input pixel gets its
 * contributions in tap order rather than position order (a different float32 rounding order).
 */
function col2imAddNarrow(col: Float32Array, colOffset: number, g: ConvGeometry, dx: Float32Array, dxOffset: number): void {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sy, strideWidth: sx } = g;
  const R = g.filterHeight * g.filterWidth * C;
  for (let ky = 0; ky < g.filterHeight; ky++) {
    for (let kx = 0; kx < g.filterWidth; kx++) {
      for (let c = 0; c < C; c++) {
        const tap = colOffset + (ky * g.filterWidth + kx) * C + c;
        for (let n = 0; n < batch; n++) {
          const img = dxOffset + n * H * W * C + c;
          for (let oy = 0; oy < OH; oy++) {
            const iy = oy * sy + ky - g.padTop;
            if (iy < 0 || iy >= H) continue;
            const row = img + iy * W * C;
            let s = tap + ((n * OH + oy) * OW) * R;
            for (let ox = 0; ox < OW; ox++, s += R) {
              const ix = ox * sx + kx - g.padLeft;
              if (ix >= 0 && ix < W) (dx[row + ix * C] as number) += col[s] as number;
            }
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
  const C = g.inChannels;
  dx.fill(0, dxOffset, dxOffset + g.batch * g.inHeight * g.inWidth * C);
  if (C < NARROW_INPUT) {
    col2imAddNarrow(col, colOffset, g, dx, dxOffset);
    return;
  }
  const table = new Int32Array(2 * g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth);
  const pairs = col2imRunTable(g, table, 0);
  for (let p = 0; p < 2 * pairs; p += 2) {
    let d = dxOffset + (table[p] as number) / 4;
    let s = colOffset + (table[p + 1] as number) / 4;
    const end = d + C;
    while (d < end) (dx[d++] as number) += col[s++] as number;
  }
}

/**
 * The (dx, col) byte-offset pairs of {@link col2imAdd}'s run additions, in its order, written as
 * int32 pairs into `table` at `tableOffset` (room for `batch*outH*outW*kh*kw` pairs); returns the
 * number of pairs. Each run is `inChannels` floats.
 */
export function col2imRunTable(g: ConvGeometry, table: Int32Array, tableOffset: number): number {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const KH = g.filterHeight;
  const KW = g.filterWidth;
  const R = KH * KW * C;
  let t = tableOffset;
  let m = 0;
  for (let n = 0; n < batch; n++) {
    const img = n * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++, m++) {
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * g.strideHeight + ky - g.padTop;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * g.strideWidth + kx - g.padLeft;
            if (ix < 0 || ix >= W) continue;
            table[t++] = (img + (iy * W + ix) * C) * 4;
            table[t++] = (m * R + (ky * KW + kx) * C) * 4;
          }
        }
      }
    }
  }
  return (t - tableOffset) / 2;
}
