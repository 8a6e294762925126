/** sRGB to gray the way libvips' `b-w` does it: luminance Y of the linear-light colour, encoded back with the sRGB curve. */

let linear: Float64Array | undefined;

function toLinear(): Float64Array {
  if (linear === undefined) {
    linear = new Float64Array(256);
    for (let v = 0; v < 256; v++) {
      const c = v / 255;
      linear[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }
  }
  return linear;
}

/** Gray byte of an sRGB pixel: `sRGB(0.2126 R + 0.7152 G + 0.0722 B)` in linear light (red 255 gives 127, green 220, blue 76). */
export function srgbToGray(r: number, g: number, b: number): number {
  const l = toLinear();
  const y = 0.2126 * l[r]! + 0.7152 * l[g]! + 0.0722 * l[b]!;
  const c = y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(c * 255)));
}
