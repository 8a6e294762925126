/**
 * A tiny hand-assembled WebAssembly SIMD module whose functions work directly on
 * tfjs-backend-wasm's heap (it imports the backend's memory): the Adam update, LeakyRelu,
 * Greater-than-a-scalar, Select, transposes, float64 row sums, the run-wise additions of col2im
 * and Tanh. Each lane operation is one IEEE float32 (or float64) operation with one rounding, so
 * results equal the scalar op sequences they replace bit for bit (for Tanh: the scalar
 * {@link tanhRational}, an approximation of `tanh` within 7 ulp). Encoded by hand (the opcodes
 * are those of the WebAssembly SIMD proposal, https://github.com/WebAssembly/simd); the tests
 * compare every function against its scalar definition.
 */

import {
  add,
  bitselect,
  blockLoop,
  div,
  endLoop,
  exitIfGe,
  F32,
  func,
  get,
  I32,
  i32Load,
  isShared,
  f32x4Const,
  leb,
  load,
  loadAt,
  lt,
  max,
  memoryImport,
  min,
  mul,
  plus,
  section,
  set,
  shuffle,
  signature,
  simd,
  sleb,
  splat,
  sqrt,
  store,
  storeAt,
  str,
  tee,
  V128,
  zeroV128,
} from './wasm-asm.js';
import { TANH_CLAMP, TANH_DENOMINATOR, TANH_NUMERATOR } from './tanh-rational.js';

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

/** `leakyRelu(x, out, count4, alpha)`: `out = x < 0 ? alpha * x : x`, 4 lanes at a time; pointers in bytes. */
export type SimdLeakyRelu = (x: number, out: number, count4: number, alpha: number) => void;

/**
 * `addRuns(dst, src, table, pairs, runBytes)`: for each of `pairs` (dstByte, srcByte) int32 pairs at
 * `table`, adds the `runBytes / 4` floats at `src + srcByte` onto those at `dst + dstByte`, in order.
 * `runBytes` must be a multiple of 16.
 */
export type SimdAddRuns = (dst: number, src: number, table: number, pairs: number, runBytes: number) => void;

/** `transpose(src, dst, rows, cols)`: writes the `cols x rows` transpose of a row-major float32 matrix; `rows` and `cols` multiples of 4, pointers in bytes. */
export type SimdTranspose = (src: number, dst: number, rows: number, cols: number) => void;

/**
 * `sumRows(src, acc, rows, cols)`: adds every row of a row-major `rows x cols` float32 matrix onto
 * the float64 accumulators at `acc` (`cols` of them), row by row; `cols` a multiple of 4, pointers in bytes.
 */
export type SimdSumRows = (src: number, acc: number, rows: number, cols: number) => void;

/** `greaterScalar(x, out, count16, s)`: bool bytes `out = x > s`, 16 values at a time; pointers in bytes. */
export type SimdGreaterScalar = (x: number, out: number, count16: number, s: number) => void;

/** `select(cond, t, e, out, count16)`: `out = cond ? t : e` for bool bytes `cond` and float32 `t`, `e`, 16 at a time. */
export type SimdSelect = (cond: number, t: number, e: number, out: number, count16: number) => void;

/** `tanh(x, out, count4)`: {@link tanhRational} of 4 lanes at a time; pointers in bytes. */
export type SimdTanh = (x: number, out: number, count4: number) => void;

/** The module's functions. */
export interface SimdKernels {
  readonly tanh: SimdTanh;
  readonly greaterScalar: SimdGreaterScalar;
  readonly select: SimdSelect;
  readonly sumRows: SimdSumRows;
  readonly adam: SimdAdam;
  readonly leakyRelu: SimdLeakyRelu;
  readonly addRuns: SimdAddRuns;
  readonly transpose: SimdTranspose;
}

function adamBody(): number[] {
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
  const at = (base: number) => plus(base, I);
  const code: number[] = [];
  code.push(...get(N), 0x41, 4, 0x74, ...set(END)); // end = count4 * 16
  for (let k = 0; k < 8; k++) code.push(...get(8 + k), ...splat, ...set(S(k)));
  code.push(...blockLoop, ...exitIfGe(I, END));
  code.push(...at(G), ...load, ...set(GV));
  // m' = m*b1 + g*c1
  code.push(...at(OM), ...at(M), ...load, ...get(B1), ...mul, ...get(GV), ...get(C1), ...mul, ...add, ...tee(MV), ...store);
  // v' = v*b2 + (g*g)*c2
  code.push(...at(OV), ...at(V), ...load, ...get(B2), ...mul, ...get(GV), ...get(GV), ...mul, ...get(C2), ...mul, ...add, ...tee(VV), ...store);
  // x' = ((m'/o1) / (sqrt(v'/o2) + eps)) * negLr + x
  code.push(...at(OX), ...get(MV), ...get(O1), ...div, ...get(VV), ...get(O2), ...div, ...sqrt, ...get(EPS), ...add, ...div);
  code.push(...get(NLR), ...mul, ...at(X), ...load, ...add, ...store);
  code.push(...endLoop(I, 16), 0x0b);
  return func([2, 2, I32, 11, V128], code); // two i32, eleven v128
}

function leakyReluBody(): number[] {
  // Parameters: 0 x, 1 out, 2 count4 (i32), 3 alpha (f32). Locals: 4 i, 5 end (i32), 6 alpha4, 7 v (v128).
  const [X, OUT, N, ALPHA, I, END, A4, VAL] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code: number[] = [...get(N), 0x41, 4, 0x74, ...set(END), ...get(ALPHA), ...splat, ...set(A4)];
  code.push(...blockLoop, ...exitIfGe(I, END));
  code.push(...plus(OUT, I), ...plus(X, I), ...load, ...tee(VAL), ...get(A4), ...mul, ...get(VAL), ...get(VAL), ...zeroV128, ...lt, ...bitselect, ...store);
  code.push(...endLoop(I, 16), 0x0b);
  return func([2, 2, I32, 2, V128], code);
}

function tanhBody(): number[] {
  // Parameters: 0 x, 1 out, 2 count4. Locals (i32): 3 i, 4 end; (v128): 5 x (clamped), 6 x².
  const [X, OUT, N, I, END, V, X2] = [0, 1, 2, 3, 4, 5, 6];
  const c = f32x4Const;
  // Horner's rule in x² over coefficients in Horner order, leaving the value on the stack.
  const horner = (k: readonly number[]) => [...c(k[0] as number), ...k.slice(1).flatMap((v) => [...get(X2), ...mul, ...c(v), ...add])];
  const code: number[] = [...get(N), 0x41, 4, 0x74, ...set(END)];
  code.push(...blockLoop, ...exitIfGe(I, END));
  code.push(...plus(OUT, I), ...plus(X, I), ...load, ...c(TANH_CLAMP), ...min, ...c(-TANH_CLAMP), ...max, ...tee(V), ...get(V), ...mul, ...set(X2));
  code.push(...horner(TANH_NUMERATOR), ...get(V), ...mul, ...horner(TANH_DENOMINATOR)); // p = x · P(x²), q = Q(x²)
  code.push(...div, ...c(1), ...min, ...c(-1), ...max, ...store); // p / q can round just past ±1 near the clamp
  code.push(...endLoop(I, 16), 0x0b);
  return func([2, 2, I32, 2, V128], code);
}

function addRunsBody(): number[] {
  // Parameters: 0 dst, 1 src, 2 table, 3 pairs, 4 runBytes. Locals: 5 p (pair byte offset), 6 end, 7 d, 8 s, 9 c.
  const [DST, SRC, TABLE, PAIRS, RUN, P, END, D, S, C] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code: number[] = [...get(PAIRS), 0x41, 3, 0x74, ...set(END)]; // end = pairs * 8
  code.push(...blockLoop, ...exitIfGe(P, END));
  code.push(...get(TABLE), ...get(P), 0x6a, ...tee(S), ...i32Load(0), ...get(DST), 0x6a, ...set(D));
  code.push(...get(S), ...i32Load(4), ...get(SRC), 0x6a, ...set(S), 0x41, 0, ...set(C));
  code.push(...blockLoop, ...exitIfGe(C, RUN));
  code.push(...plus(D, C), ...plus(D, C), ...load, ...plus(S, C), ...load, ...add, ...store);
  code.push(...endLoop(C, 16));
  code.push(...endLoop(P, 8), 0x0b);
  return func([1, 5, I32], code);
}

/** Columns per tile of the transpose: its writes stay within 64 destination rows while it walks down the source. */
const TRANSPOSE_TILE = 64;

function transposeBody(): number[] {
  // Parameters: 0 src, 1 dst, 2 rows, 3 cols. Locals (i32): 4 c0, 5 c1, 6 r, 7 c, 8 srcRow (bytes), 9 dstRow (bytes), 10 a, 11 d;
  // (v128): 12-15 the four source rows.
  const [SRC, DST, ROWS, COLS, C0, C1, R, C, SROW, DROW, A, D] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [V0, V1, V2, V3] = [12, 13, 14, 15];
  const mulI = [0x6c];
  const code: number[] = [...get(COLS), 0x41, 2, 0x74, ...set(SROW), ...get(ROWS), 0x41, 2, 0x74, ...set(DROW)];
  code.push(...blockLoop, ...exitIfGe(C0, COLS));
  // c1 = min(c0 + tile, cols)
  code.push(...get(C0), 0x41, ...sleb(TRANSPOSE_TILE), 0x6a, ...tee(C1), ...get(COLS), ...get(C1), ...get(COLS), 0x49, 0x1b, ...set(C1));
  code.push(0x41, 0, ...set(R), ...blockLoop, ...exitIfGe(R, ROWS));
  code.push(...get(C0), ...set(C), ...blockLoop, ...exitIfGe(C, C1));
  // a = src + (r * cols + c) * 4; d = dst + (c * rows + r) * 4
  code.push(...get(SRC), ...get(R), ...get(COLS), ...mulI, ...get(C), 0x6a, 0x41, 2, 0x74, 0x6a, ...set(A));
  code.push(...get(DST), ...get(C), ...get(ROWS), ...mulI, ...get(R), 0x6a, 0x41, 2, 0x74, 0x6a, ...set(D));
  for (const [k, v] of [V0, V1, V2, V3].entries()) code.push(...get(A), ...get(SROW), 0x41, k, ...mulI, 0x6a, ...load, ...set(v));
  const t = (x: number, y: number, ...f: number[]) => [...get(x), ...get(y), ...shuffle(...f)];
  const rows4: Array<[number, number[]]> = [
    [0, [...t(V0, V1, 0, 4, 1, 5), ...t(V2, V3, 0, 4, 1, 5), ...shuffle(0, 1, 4, 5)]],
    [1, [...t(V0, V1, 0, 4, 1, 5), ...t(V2, V3, 0, 4, 1, 5), ...shuffle(2, 3, 6, 7)]],
    [2, [...t(V0, V1, 2, 6, 3, 7), ...t(V2, V3, 2, 6, 3, 7), ...shuffle(0, 1, 4, 5)]],
    [3, [...t(V0, V1, 2, 6, 3, 7), ...t(V2, V3, 2, 6, 3, 7), ...shuffle(2, 3, 6, 7)]],
  ];
  for (const [k, value] of rows4) code.push(...get(D), ...get(DROW), 0x41, k, ...mulI, 0x6a, ...value, ...store);
  code.push(...endLoop(C, 4), ...endLoop(R, 4), ...endLoop(C0, TRANSPOSE_TILE), 0x0b);
  return func([2, 8, I32, 4, V128], code);
}

function sumRowsBody(): number[] {
  // Parameters: 0 src, 1 acc, 2 rows, 3 cols. Locals (i32): 4 r, 5 c, 6 rowPtr, 7 a (acc pointer), 8 end (cols * 4); (v128): 9 v.
  const [SRC, ACC, ROWS, , R, C, ROW, A, END, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const promote = simd(0x5f); // f64x2.promote_low_f32x4
  const addF64 = simd(0xf0); // f64x2.add
  const code: number[] = [...get(3), 0x41, 2, 0x74, ...set(END), ...get(SRC), ...set(ROW)];
  code.push(...blockLoop, ...exitIfGe(R, ROWS));
  code.push(0x41, 0, ...set(C), ...get(ACC), ...set(A), ...blockLoop, ...exitIfGe(C, END));
  code.push(...plus(ROW, C), ...load, ...set(V));
  code.push(...get(A), ...get(A), ...load, ...get(V), ...promote, ...addF64, ...store);
  code.push(...get(A), ...get(A), ...loadAt(16), ...get(V), ...get(V), ...shuffle(2, 3, 0, 1), ...promote, ...addF64, ...storeAt(16));
  code.push(...get(A), 0x41, 32, 0x6a, ...set(A));
  code.push(...endLoop(C, 16));
  code.push(...get(ROW), ...get(END), 0x6a, ...set(ROW));
  code.push(...endLoop(R, 1), 0x0b);
  return func([2, 5, I32, 1, V128], code);
}

function greaterScalarBody(): number[] {
  // Parameters: 0 x, 1 out, 2 count16, 3 s (f32). Locals (i32): 4 i (out bytes), 5 end, 6 p (x pointer); (v128): 7 s4, 8 ones.
  const [X, OUT, N, SCALAR, I, END, P, S4, ONES] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const gt = simd(0x44);
  const narrow16 = simd(0x85); // i16x8.narrow_i32x4_s
  const narrow8 = simd(0x65); // i8x16.narrow_i16x8_s
  const code: number[] = [...get(N), 0x41, 4, 0x74, ...set(END), ...get(X), ...set(P)];
  code.push(...get(SCALAR), ...splat, ...set(S4), 0x41, 1, ...simd(0x0f), ...set(ONES)); // s4 = splat(s), ones = i8x16.splat(1)
  code.push(...blockLoop, ...exitIfGe(I, END));
  const mask = (offset: number) => [...get(P), ...loadAt(offset), ...get(S4), ...gt];
  code.push(...plus(OUT, I), ...mask(0), ...mask(16), ...narrow16, ...mask(32), ...mask(48), ...narrow16, ...narrow8, ...get(ONES), ...simd(0x4e), ...store);
  code.push(...get(P), 0x41, ...sleb(64), 0x6a, ...set(P));
  code.push(...endLoop(I, 16), 0x0b);
  return func([2, 3, I32, 2, V128], code);
}

function selectBody(): number[] {
  // Parameters: 0 cond, 1 t, 2 e, 3 out, 4 count16. Locals (i32): 5 i (cond bytes), 6 end, 7 f (float bytes); (v128): 8 c, 9 c16.
  const [COND, T, E, OUT, N, I, END, F, CV, C16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ne8 = simd(0x24); // i8x16.ne
  const ext16 = (high: boolean) => simd(high ? 0x88 : 0x87); // i16x8.extend_{low,high}_i8x16_s
  const ext32 = (high: boolean) => simd(high ? 0xa8 : 0xa7); // i32x4.extend_{low,high}_i16x8_s
  const code: number[] = [...get(N), 0x41, 4, 0x74, ...set(END)];
  code.push(...blockLoop, ...exitIfGe(I, END));
  code.push(...plus(COND, I), ...load, ...zeroV128, ...ne8, ...set(CV));
  for (const [k, [h16, h32]] of ([[false, false], [false, true], [true, false], [true, true]] as const).entries()) {
    if (!h32) code.push(...get(CV), ...ext16(h16), ...set(C16));
    const at = (base: number) => [...plus(base, F), ...loadAt(16 * k)];
    code.push(...plus(OUT, F), ...at(T), ...at(E), ...get(C16), ...ext32(h32), ...bitselect, ...storeAt(16 * k));
  }
  code.push(...get(F), 0x41, ...sleb(64), 0x6a, ...set(F));
  code.push(...endLoop(I, 16), 0x0b);
  return func([2, 3, I32, 2, V128], code);
}

/** The module's bytes; `shared` declares the imported memory shared (threaded wasm builds). */
export function simdModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const types = [
    5,
    ...signature([...Array<number>(8).fill(I32), ...Array<number>(8).fill(F32)]),
    ...signature([I32, I32, I32, F32]),
    ...signature([I32, I32, I32, I32, I32]),
    ...signature([I32, I32, I32, I32]),
    ...signature([I32, I32, I32]),
  ];
  // Types: 0 adam, 1 leakyRelu and greaterScalar, 2 addRuns and select, 3 transpose and sumRows, 4 tanh.
  const imports = memoryImport(shared);
  const names = ['adam', 'leakyRelu', 'addRuns', 'transpose', 'sumRows', 'greaterScalar', 'select', 'tanh'];
  const exports = [names.length, ...names.flatMap((name, i) => [...str(name), 0x00, i])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, [8, 0, 1, 2, 3, 3, 1, 2, 4]),
    ...section(7, exports),
    ...section(10, [8, ...adamBody(), ...leakyReluBody(), ...addRunsBody(), ...transposeBody(), ...sumRowsBody(), ...greaterScalarBody(), ...selectBody(), ...tanhBody()]),
  ]);
}

const cache = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/**
 * The SIMD functions over `memory`, or null where WebAssembly SIMD is unavailable (callers then
 * run their scalar JS loops). Compiled once per memory.
 */
export function simdKernelsFor(memory: WebAssembly.Memory): SimdKernels | null {
  const known = cache.get(memory);
  if (known !== undefined) return known;
  let kernels: SimdKernels | null = null;
  try {
    const module = new WebAssembly.Module(simdModuleBytes(isShared(memory)));
    const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
    kernels = {
      adam: e['adam'] as SimdAdam,
      leakyRelu: e['leakyRelu'] as SimdLeakyRelu,
      addRuns: e['addRuns'] as SimdAddRuns,
      transpose: e['transpose'] as SimdTranspose,
      sumRows: e['sumRows'] as SimdSumRows,
      greaterScalar: e['greaterScalar'] as SimdGreaterScalar,
      select: e['select'] as SimdSelect,
      tanh: e['tanh'] as SimdTanh,
    };
  } catch {
    kernels = null;
  }
  cache.set(memory, kernels);
  return kernels;
}

/**
 * tfjs-backend-wasm keeps its Emscripten module at `backend.wasm`. The heap is the exported
 * `asm.memory` in the single-threaded builds; the threaded build imports a shared memory, which
 * the module keeps as `wasmMemory`, and exports none.
 */
interface WithModule {
  readonly wasm?: { readonly asm?: Record<string, unknown>; readonly wasmMemory?: unknown };
}

/** A wasm backend's heap memory (single- or multi-threaded build), or null where none is found. */
export function heapMemoryOf(backend: object): WebAssembly.Memory | null {
  const mod = (backend as WithModule).wasm;
  const memory = mod?.asm?.['memory'] ?? mod?.wasmMemory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/** The SIMD functions over a wasm backend's heap (single- or multi-threaded build), or null (no heap memory found, or no SIMD). */
export function simdKernelsOf(backend: object): SimdKernels | null {
  const memory = heapMemoryOf(backend);
  return memory === null ? null : simdKernelsFor(memory);
}
