/** Decoding with sharp (libvips): auto-orientation, antialiased resize in three fits, alpha flattening, gray/RGB. */
import { BackendUnavailableError } from '../../errors.js';
import type { ResolvedImageOptions } from '../../data/images/options.js';

type SharpModule = typeof import('sharp').default;
let loaded: Promise<SharpModule> | undefined;

/** Imports sharp once (an optional dependency of @aigc/core); a typed error says how to install it when missing. */
export function loadSharp(): Promise<SharpModule> {
  loaded ??= import('sharp').then(
    (m) => ((m as unknown as { default?: SharpModule }).default ?? (m as unknown as SharpModule)),
    (cause: unknown) => {
      loaded = undefined;
      throw new BackendUnavailableError(
        'sharp',
        `loadImageFolder decodes images with sharp, an optional dependency of @aigc/core that could not be loaded here ` +
          `(${(cause as Error).message}); run \`npm install sharp\` (prebuilt for Linux, macOS and Windows).`,
        { cause },
      );
    },
  );
  return loaded;
}

/**
 * Decodes `bytes` (first frame of animations) to `size * size * channels` bytes: EXIF orientation
 * applied, resized with a Lanczos-3 filter (`cover` crops the centre, `contain` pads with the
 * background, `fill` stretches), alpha composited onto the background, converted to gray or sRGB.
 */
export async function decodeWithSharp(sharp: SharpModule, bytes: Uint8Array, o: ResolvedImageOptions): Promise<Uint8Array> {
  const [r, g, b] = o.background;
  let image = sharp(bytes, { limitInputPixels: o.maxPixels, pages: 1 })
    .rotate()
    .resize(o.size, o.size, { fit: o.fit, position: 'centre', kernel: 'lanczos3', background: { r, g, b, alpha: 1 } })
    .flatten({ background: { r, g, b } });
  image = o.channels === 1 ? image.toColourspace('b-w') : image.toColourspace('srgb');
  const { data, info } = await image.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  if (info.width !== o.size || info.height !== o.size || info.channels !== o.channels) {
    throw new Error(`sharp produced ${info.width}x${info.height}x${info.channels}, not ${o.size}x${o.size}x${o.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
