/**
 * Reads an image file's format and declared size from its first bytes, without decoding pixels:
 * PNG, JPEG, GIF and WebP. Used to reject non-images and decompression bombs before decoding.
 */

/** Formats the loaders decode. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

/** What {@link readImageHeader} found. */
export type ImageHeader =
  | { readonly kind: 'image'; readonly format: ImageFormat; readonly width: number; readonly height: number }
  | { readonly kind: 'not-image' }
  | { readonly kind: 'corrupt'; readonly format: ImageFormat; readonly detail: string };

const be16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const be32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const le16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const le24 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function sized(format: ImageFormat, width: number, height: number): ImageHeader {
  if (width < 1 || height < 1) return { kind: 'corrupt', format, detail: `its header declares a ${width}x${height} image` };
  return { kind: 'image', format, width, height };
}

function jpeg(b: Uint8Array): ImageHeader {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return { kind: 'corrupt', format: 'jpeg', detail: `no JPEG marker at byte ${o}` };
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o += 1;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = be16(b, o + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (o + 9 > b.length) break;
      return sized('jpeg', be16(b, o + 7), be16(b, o + 5));
    }
    if (length < 2) return { kind: 'corrupt', format: 'jpeg', detail: `a segment of length ${length} at byte ${o}` };
    o += 2 + length;
  }
  return { kind: 'corrupt', format: 'jpeg', detail: 'no frame header (SOF) before the image data or the end of the file' };
}

function webp(b: Uint8Array): ImageHeader {
  if (b.length < 30) return { kind: 'corrupt', format: 'webp', detail: 'the file ends inside the header' };
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return sized('webp', le24(b, 24) + 1, le24(b, 27) + 1);
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return { kind: 'corrupt', format: 'webp', detail: 'bad lossless signature' };
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return { kind: 'corrupt', format: 'webp', detail: 'bad lossy frame start code' };
    return sized('webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  return { kind: 'corrupt', format: 'webp', detail: `unknown first chunk "${chunk}"` };
}

/** Format and declared width x height of `bytes` (a whole file or at least its first few KiB). */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const b = bytes;
  if (b.length >= 8 && be32(b, 0) === 0x89504e47 && be32(b, 4) === 0x0d0a1a0a) {
    if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return { kind: 'corrupt', format: 'png', detail: 'no IHDR chunk after the signature' };
    return sized('png', be32(b, 16), be32(b, 20));
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    if (b.length < 10) return { kind: 'corrupt', format: 'gif', detail: 'the file ends inside the header' };
    return sized('gif', le16(b, 6), le16(b, 8));
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  return { kind: 'not-image' };
}
