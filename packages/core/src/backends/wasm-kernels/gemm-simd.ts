/**
 * A hand-assembled WebAssembly SIMD matrix product over tfjs-backend-wasm's heap (it imports the
 * backend's memory, as simd.ts does): `pack` copies an operand, in any layout, into panels of 4
 * rows (left) or 8 columns (right), zero-padded; `gemm` runs a register-blocked 4x8 microkernel
 * (eight f32x4 accumulators) over the packed panels, with an optional bias row and ReLU, and
 * stores the tile. Each output is one float32 sum that
 * starts at the bias (or 0) and adds the products over k in increasing order (mul, then add; no
 * fused multiply-add in WebAssembly SIMD): the order of XNNPACK's f32 GEMM microkernels, so the
 * results equal tfjs-backend-wasm's bit for bit. This file is the source: the module's bytes are
 * generated here, so the build is this code.
 */
import { F32, func, get, I32, isShared, leb, loadAt, memoryImport, section, set, shuffle, signature, simd, sleb, storeAt, str, tee, V128, zeroV128 } from './wasm-asm.js';

/** `pack(src, dst, outer, inner, width, so, si)`: see {@link GemmKernels.pack}. */
export type SimdPack = (src: number, dst: number, outer: number, inner: number, width: number, so: number, si: number) => void;

/** `gemm(ap, bp, c, m, k, n, bias, flags, scratch)`: see {@link GemmKernels.gemm}. */
export type SimdGemm = (ap: number, bp: number, c: number, m: number, k: number, n: number, bias: number, flags: number, scratch: number) => void;

/** The module's functions (pointers in bytes, sizes and strides in elements). */
export interface GemmKernels {
  /**
   * Writes `ceil(outer / width)` panels of `inner x width` floats to `dst`: panel p, row t, lane w
   * holds `src[(p * width + w) * so + t * si]`, or 0 past `outer`. `width` is 4 or 8.
   */
  readonly pack: SimdPack;
  /**
   * `c[m, n] = ap · bp (+ bias) (ReLU)`, row-major `c`, from `ap` packed with width 4 (m rows,
   * k inner) and `bp` with width 8 (n columns, k inner). `flags`: 1 starts the sums at the padded bias row at
   * `bias` (`ceil(n / 8) * 8` floats), 2 applies ReLU. `scratch`: 32 free floats for edge tiles.
   */
  readonly gemm: SimdGemm;
}

/** Rows and columns of the microkernel's tile. */
export const TILE_ROWS = 4;
export const TILE_COLS = 8;

const i32c = (n: number) => [0x41, ...sleb(n)];
const ADD = 0x6a;
const SUB = 0x6b;
const MUL = 0x6c;
const SHL = 0x74;
const AND = 0x71;
const EQ = 0x46;
const LT_U = 0x49;
const GT_U = 0x4b;
const LE_U = 0x4d;
const GE_U = 0x4f;
const SELECT = 0x1b;
const DIV_U = 0x6e;
const SHR_U = 0x76;

/** Bytes of packed A rows the GEMM keeps in cache per block (1 MiB: half of a 2 MiB L2). */
export const A_BLOCK_BYTES = 1 << 20;
const f32Load = (offset: number) => [0x2a, 2, ...leb(offset)];
const f32Store = (offset: number) => [0x38, 2, ...leb(offset)];
const f32Zero = [0x43, 0, 0, 0, 0];
const vAdd = simd(0xe4);
const vMul = simd(0xe6);
const vPmax = simd(0xeb); // f32x4.pmax(a, b) = a < b ? b : a

/** `block { loop { if (exit) break; body; continue } }`; `exit` pushes an i32. */
const loop = (exit: number[], body: number[]) => [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
/** `if (cond) { then } else { otherwise }`. */
const when = (cond: number[], then: number[], otherwise: number[] = []) => [...cond, 0x04, 0x40, ...then, ...(otherwise.length ? [0x05, ...otherwise] : []), 0x0b];
/** `local += value` (value code pushes an i32). */
const addTo = (local: number, value: number[]) => [...get(local), ...value, ADD, ...set(local)];

function gemmBody(): number[] {
  // Parameters (i32): 0 ap, 1 bp, 2 c, 3 m, 4 k, 5 n, 6 bias, 7 flags, 8 scratch.
  const [AP, BP, C, M, K, N, BIAS, FLAGS, SCR] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // Locals (i32): 9 j, 10 i, 11 pa, 12 pb, 13 end, 14 pc, 15 rows, 16 cols, 17 r, 18 q, 19 a panel,
  // 20 b panel, 21 row bytes of c, 22 a panel bytes, 23 b panel bytes; (v128) 24-31 accumulators, 32-33 b, 34 a.
  const [J, I, PA, PB, END, PC, ROWS, COLS, R, Q, PAP, PBP, LDC, ASTRIDE, BSTRIDE] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const ACC = (t: number) => 24 + t;
  const [B0, B1, AV] = [32, 33, 34];
  const accs = Array.from({ length: 2 * TILE_ROWS }, (_, t) => ACC(t));
  // One k step: the 4 rows' values at k (one v128 of the packed panel), each broadcast by a lane
  // shuffle, times the 8 columns' values (two v128). One step per loop iteration keeps every value
  // in a register (V8's TurboFan unrolls the loop itself; a hand-unrolled body or per-row
  // load32_splat made it spill accumulators, at half the speed).
  const kStep = [...get(PB), ...loadAt(0), ...set(B0), ...get(PB), ...loadAt(16), ...set(B1), ...get(PA), ...loadAt(0), ...set(AV)];
  for (let r = 0; r < TILE_ROWS; r++) {
    const a = [...get(AV), ...get(AV), ...shuffle(r, r, r, r)];
    kStep.push(...a, ...get(B0), ...vMul, ...get(ACC(2 * r)), ...vAdd, ...set(ACC(2 * r)));
    kStep.push(...a, ...get(B1), ...vMul, ...get(ACC(2 * r + 1)), ...vAdd, ...set(ACC(2 * r + 1)));
  }
  // Accumulators start at the bias row (or 0) and ReLU is pmax(0, x): XNNPACK's order, so products equal its bit for bit.
  const fromBias = [...get(BIAS), ...get(J), ...i32c(2), SHL, ADD, ...tee(PC), ...loadAt(0), ...set(B0), ...get(PC), ...loadAt(16), ...set(B1)];
  for (let r = 0; r < TILE_ROWS; r++) fromBias.push(...get(B0), ...set(ACC(2 * r)), ...get(B1), ...set(ACC(2 * r + 1)));
  const fromZero = accs.flatMap((acc) => [...zeroV128, ...set(acc)]);
  const relu = accs.flatMap((acc) => [...zeroV128, ...get(acc), ...vPmax, ...set(acc)]);
  const storeFull: number[] = [];
  const storeScratch: number[] = [];
  for (let r = 0; r < TILE_ROWS; r++) {
    storeFull.push(...get(PC), ...get(ACC(2 * r)), ...storeAt(0), ...get(PC), ...get(ACC(2 * r + 1)), ...storeAt(16), ...addTo(PC, get(LDC)));
    storeScratch.push(...get(SCR), ...get(ACC(2 * r)), ...storeAt(32 * r), ...get(SCR), ...get(ACC(2 * r + 1)), ...storeAt(32 * r + 16));
  }
  const left = (total: number, at: number, tile: number) => [...get(total), ...get(at), SUB, ...i32c(tile), ...get(total), ...get(at), SUB, ...i32c(tile), LT_U, SELECT];
  const copyEdge = [
    ...storeScratch,
    ...left(M, I, TILE_ROWS),
    ...set(ROWS),
    ...left(N, J, TILE_COLS),
    ...set(COLS),
    ...i32c(0),
    ...set(R),
    ...loop(
      [...get(R), ...get(ROWS), GE_U],
      [
        ...i32c(0),
        ...set(Q),
        ...loop(
          [...get(Q), ...get(COLS), GE_U],
          [...get(PC), ...get(Q), ...i32c(2), SHL, ADD, ...get(SCR), ...get(R), ...i32c(5), SHL, ADD, ...get(Q), ...i32c(2), SHL, ADD, ...f32Load(0), ...f32Store(0), ...addTo(Q, i32c(1))],
        ),
        ...addTo(PC, get(LDC)),
        ...addTo(R, i32c(1)),
      ],
    ),
  ];
  const full = [...get(M), ...get(I), SUB, ...i32c(TILE_ROWS), GE_U, ...get(N), ...get(J), SUB, ...i32c(TILE_COLS), GE_U, AND];
  const tile = [
    ...when([...get(FLAGS), ...i32c(1), AND], fromBias, fromZero),
    ...get(PAP),
    ...set(PA),
    ...get(PBP),
    ...set(PB),
    ...get(PAP),
    ...get(ASTRIDE),
    ADD,
    ...set(END),
    ...loop([...get(PA), ...get(END), GE_U], [...kStep, ...addTo(PA, i32c(16)), ...addTo(PB, i32c(32))]),
    ...when([...get(FLAGS), ...i32c(2), AND], relu),
    // pc = c + (i * n + j) * 4
    ...get(C),
    ...get(I),
    ...get(N),
    MUL,
    ...get(J),
    ADD,
    ...i32c(2),
    SHL,
    ADD,
    ...set(PC),
    ...when(full, storeFull, copyEdge),
  ];
  // Locals (i32, after the v128 ones): 35 first row of the block, 36 its end, 37 its a panel, 38 rows per block.
  const [I0, IEND, PAP0, MB] = [35, 36, 37, 38];
  // Rows are taken in blocks whose packed panels fit A_BLOCK_BYTES (at least one panel): every
  // b panel is run against one block before the next, so the block stays in cache instead of all
  // of A streaming past each b panel (at 1024x1024 packed A is 4 MiB, more than many L2s).
  const code = [
    ...get(N), ...i32c(2), SHL, ...set(LDC),
    ...get(K), ...i32c(4), SHL, ...set(ASTRIDE),
    ...get(K), ...i32c(5), SHL, ...set(BSTRIDE),
    ...i32c(A_BLOCK_BYTES), ...get(ASTRIDE), DIV_U, ...tee(MB),
    ...i32c(1), ...get(MB), ...i32c(1), GE_U, SELECT, ...i32c(2), SHL, ...set(MB),
    ...get(AP), ...set(PAP0),
    ...loop(
      [...get(I0), ...get(M), GE_U],
      [
        // iend = min(i0 + mb, m)
        ...get(I0), ...get(MB), ADD, ...get(M), ...get(I0), ...get(MB), ADD, ...get(M), LT_U, SELECT, ...set(IEND),
        ...i32c(0), ...set(J), ...get(BP), ...set(PBP),
        ...loop(
          [...get(J), ...get(N), GE_U],
          [
            ...get(I0), ...set(I), ...get(PAP0), ...set(PAP),
            ...loop([...get(I), ...get(IEND), GE_U], [...tile, ...addTo(I, i32c(TILE_ROWS)), ...addTo(PAP, get(ASTRIDE))]),
            ...addTo(J, i32c(TILE_COLS)),
            ...addTo(PBP, get(BSTRIDE)),
          ],
        ),
        ...get(PAP0), ...get(MB), ...i32c(2), SHR_U, ...get(ASTRIDE), MUL, ADD, ...set(PAP0),
        ...addTo(I0, get(MB)),
      ],
    ),
    0x0b,
  ];
  return func([3, 15, I32, 11, V128, 4, I32], code);
}

function packBody(): number[] {
  // Parameters (i32): 0 src, 1 dst, 2 outer, 3 inner, 4 width, 5 so, 6 si.
  const [SRC, DST, OUTER, INNER, WIDTH, SO, SI] = [0, 1, 2, 3, 4, 5, 6];
  // Locals (i32): 7 p, 8 t, 9 w, 10 o, 11 d, 12 panel base, 13 so bytes, 14 si bytes, 15 x, 16 full, 17 width bytes; (v128) 18-21.
  const [P, T, W, O, D, BASE, SOB, SIB, X, FULL, WB] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const V = [18, 19, 20, 21] as const;
  const [V0, V1, V2, V3] = V;
  // Whole panel, lanes contiguous (so = 1): one v128 copy per 4 lanes.
  const copy = [
    ...get(BASE), ...set(X), ...i32c(0), ...set(T),
    ...loop(
      [...get(T), ...get(INNER), GE_U],
      [
        ...i32c(0), ...set(W),
        ...loop([...get(W), ...get(WIDTH), GE_U], [...get(D), ...get(X), ...get(W), ...i32c(2), SHL, ADD, ...loadAt(0), ...storeAt(0), ...addTo(D, i32c(16)), ...addTo(W, i32c(4))]),
        ...addTo(X, get(SIB)),
        ...addTo(T, i32c(1)),
      ],
    ),
  ];
  // Whole panel, rows contiguous (si = 1): 4x4 blocks transposed by shuffles; the last inner % 4 rows go to the scalar loop.
  const t = (x: number, y: number, ...f: number[]) => [...get(x), ...get(y), ...shuffle(...f)];
  const rows4: number[][] = [
    [...t(V0, V1, 0, 4, 1, 5), ...t(V2, V3, 0, 4, 1, 5), ...shuffle(0, 1, 4, 5)],
    [...t(V0, V1, 0, 4, 1, 5), ...t(V2, V3, 0, 4, 1, 5), ...shuffle(2, 3, 6, 7)],
    [...t(V0, V1, 2, 6, 3, 7), ...t(V2, V3, 2, 6, 3, 7), ...shuffle(0, 1, 4, 5)],
    [...t(V0, V1, 2, 6, 3, 7), ...t(V2, V3, 2, 6, 3, 7), ...shuffle(2, 3, 6, 7)],
  ];
  const block4: number[] = [
    // x = base + w * so * 4 + t * 4
    ...get(BASE), ...get(W), ...get(SOB), MUL, ADD, ...get(T), ...i32c(2), SHL, ADD, ...set(X),
  ];
  for (const [q, v] of V.entries()) block4.push(...get(X), ...(q === 0 ? [] : [...get(SOB), ...i32c(q), MUL, ADD]), ...loadAt(0), ...set(v));
  for (const [q, value] of rows4.entries()) {
    // d + (q * width + w) * 4
    block4.push(...get(D), ...get(WB), ...i32c(q), MUL, ADD, ...get(W), ...i32c(2), SHL, ADD, ...value, ...storeAt(0));
  }
  block4.push(...addTo(W, i32c(4)));
  const transpose = [
    ...i32c(0), ...set(T),
    ...loop(
      [...get(T), ...i32c(4), ADD, ...get(INNER), GT_U],
      [...i32c(0), ...set(W), ...loop([...get(W), ...get(WIDTH), GE_U], block4), ...addTo(D, [...get(WB), ...i32c(2), SHL]), ...addTo(T, i32c(4))],
    ),
  ];
  // Anything else (and the rows the transpose left): one element at a time, 0 past `outer`.
  const scalar = loop(
    [...get(T), ...get(INNER), GE_U],
    [
      ...i32c(0), ...set(W),
      ...loop(
        [...get(W), ...get(WIDTH), GE_U],
        [
          ...get(D),
          ...get(P), ...get(W), ADD, ...tee(O), ...get(OUTER), LT_U,
          0x04, F32, ...get(SRC), ...get(O), ...get(SOB), MUL, ADD, ...get(T), ...get(SIB), MUL, ADD, ...f32Load(0), 0x05, ...f32Zero, 0x0b,
          ...f32Store(0),
          ...addTo(D, i32c(4)),
          ...addTo(W, i32c(1)),
        ],
      ),
      ...addTo(T, i32c(1)),
    ],
  );
  const code = [
    ...get(SO), ...i32c(2), SHL, ...set(SOB),
    ...get(SI), ...i32c(2), SHL, ...set(SIB),
    ...get(WIDTH), ...i32c(2), SHL, ...set(WB),
    ...get(DST), ...set(D),
    ...loop(
      [...get(P), ...get(OUTER), GE_U],
      [
        ...get(SRC), ...get(P), ...get(SOB), MUL, ADD, ...set(BASE),
        ...get(P), ...get(WIDTH), ADD, ...get(OUTER), LE_U, ...set(FULL),
        ...i32c(0), ...set(T),
        ...when([...get(FULL), ...get(SO), ...i32c(1), EQ, AND], copy, when([...get(FULL), ...get(SI), ...i32c(1), EQ, AND], transpose)),
        ...scalar,
        ...addTo(P, get(WIDTH)),
      ],
    ),
    0x0b,
  ];
  return func([2, 11, I32, 4, V128], code);
}

/** The module's bytes; `shared` declares the imported memory shared (threaded wasm builds). */
export function gemmModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const types = [2, ...signature(Array<number>(9).fill(I32)), ...signature(Array<number>(7).fill(I32))];
  const names = ['gemm', 'pack'];
  const exports = [names.length, ...names.flatMap((name, i) => [...str(name), 0x00, i])];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, memoryImport(shared)),
    ...section(3, [2, 0, 1]),
    ...section(7, exports),
    ...section(10, [2, ...gemmBody(), ...packBody()]),
  ]);
}

const cache = new WeakMap<WebAssembly.Memory, GemmKernels | null>();

/** The GEMM functions over `memory`, or null where WebAssembly SIMD is unavailable. Compiled once per memory. */
export function gemmKernelsFor(memory: WebAssembly.Memory): GemmKernels | null {
  const known = cache.get(memory);
  if (known !== undefined) return known;
  let kernels: GemmKernels | null = null;
  try {
    const module = new WebAssembly.Module(gemmModuleBytes(isShared(memory)));
    const e = new WebAssembly.Instance(module, { env: { memory } }).exports;
    kernels = { gemm: e['gemm'] as SimdGemm, pack: e['pack'] as SimdPack };
  } catch {
    kernels = null;
  }
  cache.set(memory, kernels);
  return kernels;
}
