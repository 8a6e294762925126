/** Content hashes for duplicate detection: SHA-256 through Web Crypto where present, else a 128-bit JS hash. */

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Four independent 32-bit multiply-xor lanes (a cyrb-style hash): the fallback where `crypto.subtle` is missing (insecure browser pages). */
function jsHash128(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef ^ bytes.length;
  let h2 = 0x41c6ce57 ^ bytes.length;
  let h3 = 0x9e3779b9 ^ bytes.length;
  let h4 = 0x85ebca6b ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 2246822507);
    h4 = Math.imul(h4 ^ c, 3266489909);
  }
  const mix = (a: number, b: number) => (Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909)) >>> 0;
  return [mix(h1, h2), mix(h2, h3), mix(h3, h4), mix(h4, h1)].map((v) => v.toString(16).padStart(8, '0')).join('') + ':js';
}

/** Hex digest identifying `bytes`: SHA-256 with Web Crypto (Node 20, secure browser pages), else a 128-bit non-cryptographic hash. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle === undefined) return jsHash128(bytes);
  const view = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return hex(new Uint8Array(await subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>)));
}
