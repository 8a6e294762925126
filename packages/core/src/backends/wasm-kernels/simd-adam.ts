/**
 * A tiny hand-assembled WebAssembly SIMD module that runs the Adam update directly on
 * tfjs-backend-wasm's heap (it imports the backend's memory). Four lanes of IEEE float32 per
 * instruction, one rounding per operation, so its results equal tfjs' op-by-op sequence bit for bit.
 */

/** `adam(x, m, v, g, outX, outM, outV, count4, b1, c1, b2, c2, o1, o2, eps, negLr)`; pointers in bytes. */
export type SimdAdam = (
  x: number,
  m: number,
  v: number,
  g: number,
  outX: number,
  outM: number,
  outV: number,
  count4: number,
  b1: number,
  c1: number,
  b2: number,
  c2: number,
  o1: number,
  o2: number,
  eps: number,
  negLr: number,
) => void;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const str = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const get = (i: number) => [0x20, ...leb(i)];
const set = (i: number) => [0x21, ...leb(i)];
const tee = (i: number) => [0x22, ...leb(i)];
const simd = (op: number) => [0xfd, ...leb(op)];
const load = [...simd(0x00), 0, 0];
const store = [...simd(0x0b), 0, 0];
const splat = simd(0x13);
const sqrt = simd(0xe3);
const add = simd(0xe4);
const mul = simd(0xe6);
const div = simd(0xe7);

// Parameters: 0-7 i32 (x, m, v, g, outX, outM, outV, count4), 8-15 f32 scalars.
const [X, M, V, G, OX, OM, OV, N] = [0, 1, 2, 3, 4, 5, 6, 7];
// Locals: 16 byte offset, 17 end, 18-25 splatted scalars, 26 g, 27 m', 28 v'.
const I = 16;
const END = 17;
const S = (k: number) => 18 + k;
const [B1, C1, B2, C2, O1, O2, EPS, NLR] = [S(0), S(1), S(2), S(3), S(4), S(5), S(6), S(7)];
const GV = 26;
const MV = 27;
const VV = 28;

const at = (base: number) => [...get(base), ...get(I), 0x6a]; // base + i

function body(): number[] {
  const code: number[] = [];
  // end = count4 * 16; splat the scalars.
  code.push(...get(N), 0x41, 4, 0x74, ...set(END));
  for (let k = 0; k < 8; k++) code.push(...get(8 + k), ...splat, ...set(S(k)));
  code.push(0x41, 0, ...set(I));
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  code.push(...get(I), ...get(END), 0x4f, 0x0d, 1); // br_if 1 (i >= end)
  code.push(...at(G), ...load, ...set(GV));
  // m' = m*b1 + g*c1
  code.push(...at(OM), ...at(M), ...load, ...get(B1), ...mul, ...get(GV), ...get(C1), ...mul, ...add, ...tee(MV), ...store);
  // v' = v*b2 + (g*g)*c2
  code.push(...at(OV), ...at(V), ...load, ...get(B2), ...mul, ...get(GV), ...get(GV), ...mul, ...get(C2), ...mul, ...add, ...tee(VV), ...store);
  // x' = ((m'/o1) / (sqrt(v'/o2) + eps)) * negLr + x
  code.push(...at(OX), ...get(MV), ...get(O1), ...div, ...get(VV), ...get(O2), ...div, ...sqrt, ...get(EPS), ...add, ...div);
  code.push(...get(NLR), ...mul, ...at(X), ...load, ...add, ...store);
  code.push(...get(I), 0x41, 16, 0x6a, ...set(I), 0x0c, 0, 0x0b, 0x0b, 0x0b); // i += 16; br 0; end loop, block, func
  const locals = [2, 2, I32, 11, V128]; // two i32, eleven v128
  const fn = [...locals, ...code];
  return [...leb(fn.length), ...fn];
}

/** The module's bytes; `shared` declares the imported memory shared (threaded wasm builds). */
export function simdAdamModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [...Array<number>(8).fill(I32), ...Array<number>(8).fill(F32)];
  const type = [1, 0x60, ...leb(params.length), ...params, 0];
  const limits = shared ? [0x03, 0, ...leb(65536)] : [0x00, 0];
  const imports = [1, ...str('env'), ...str('memory'), 0x02, ...limits];
  const exports = [1, ...str('adam'), 0x00, 0];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, type),
    ...section(2, imports),
    ...section(3, [1, 0]),
    ...section(7, exports),
    ...section(10, [1, ...body()]),
  ]);
}

const cache = new WeakMap<WebAssembly.Memory, SimdAdam | null>();

/**
 * The SIMD Adam function over `memory`, or null where WebAssembly SIMD is unavailable (the
 * caller then runs the scalar JS loop). Compiled once per memory.
 */
export function simdAdamFor(memory: WebAssembly.Memory): SimdAdam | null {
  const known = cache.get(memory);
  if (known !== undefined) return known;
  let fn: SimdAdam | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(simdAdamModuleBytes(shared));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    fn = instance.exports['adam'] as SimdAdam;
  } catch {
    fn = null;
  }
  cache.set(memory, fn);
  return fn;
}
