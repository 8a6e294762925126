/**
 * The few WebAssembly encodings aigc's hand-assembled modules (simd.ts, gemm-simd.ts) are written
 * with: LEB128 immediates, sections, local access, SIMD opcodes (those of the WebAssembly SIMD
 * proposal, https://github.com/WebAssembly/simd) and structured loops.
 */

/** Value type bytes. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const str = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
export const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
export const get = (i: number) => [0x20, ...leb(i)];
export const set = (i: number) => [0x21, ...leb(i)];
export const tee = (i: number) => [0x22, ...leb(i)];
export const simd = (op: number) => [0xfd, ...leb(op)];
export const loadAt = (offset: number) => [...simd(0x00), 0, ...leb(offset)];
export const storeAt = (offset: number) => [...simd(0x0b), 0, ...leb(offset)];
export const load = loadAt(0);
export const store = storeAt(0);
export const splat = simd(0x13);
export const sqrt = simd(0xe3);
export const add = simd(0xe4);
export const mul = simd(0xe6);
export const div = simd(0xe7);
export const min = simd(0xe8);
export const max = simd(0xe9);
export const lt = simd(0x43);
export const bitselect = simd(0x52);
/** `v128.const` with `v` (rounded to float32) in all four lanes. */
export function f32x4Const(v: number): number[] {
  const bytes = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...bytes];
}
export const zeroV128 = [...simd(0x0c), ...Array<number>(16).fill(0)];
export const i32Load = (offset: number) => [0x28, 2, ...leb(offset)];
export const blockLoop = [0x02, 0x40, 0x03, 0x40];
export const endLoop = (i: number, step: number) => [...get(i), 0x41, ...sleb(step), 0x6a, ...set(i), 0x0c, 0, 0x0b, 0x0b];
export const exitIfGe = (a: number, b: number) => [...get(a), ...get(b), 0x4f, 0x0d, 1]; // br_if 1 (a >= b, unsigned)
export const plus = (a: number, b: number) => [...get(a), ...get(b), 0x6a];

/** Lane bytes of `i8x16.shuffle` picking float lanes `f` (0-3 from the first operand, 4-7 from the second). */
export const shuffle = (...f: number[]) => [...simd(0x0d), ...f.flatMap((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3])];

/** A function body: locals declaration then code, prefixed with its size. */
export function func(locals: number[], code: number[]): number[] {
  const fn = [...locals, ...code];
  return [...leb(fn.length), ...fn];
}

/** A function type `(params) -> ()`. */
export const signature = (params: number[]) => [0x60, ...leb(params.length), ...params, 0];

/** The import of the backend's memory as `env.memory`; `shared` declares it shared (threaded wasm builds). */
export function memoryImport(shared: boolean): number[] {
  const limits = shared ? [0x03, 0, ...leb(65536)] : [0x00, 0];
  return [1, ...str('env'), ...str('memory'), 0x02, ...limits];
}

/** Whether `memory` is a shared (threaded-build) memory. */
export function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}
