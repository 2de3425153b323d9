import type { tf } from "../tf";
import { WASM_KERNELS_BASE64 } from "./wasmKernelsModule";
import "./webassemblyTypes";

/**
 * core's WebAssembly SIMD kernels (wasm/sgemm.c, wasm/reduce.c), instantiated once per tfjs-backend-wasm heap: the
 * module imports that heap's memory, so the kernels read and write tfjs's tensors in place.
 */

/** The parts of tfjs-backend-wasm's emscripten module the kernels need: its heap and allocator. */
export interface EmscriptenLike {
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

/** The parts of tfjs-backend-wasm's backend the kernels use. */
export interface WasmBackendLike {
  wasm: EmscriptenLike;
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** The module's exports (wasm/sgemm.c, reduce.c, threefry.c, unary.c). */
export interface WasmKernelExports {
  workspaceFloats(): number;
  sgemm(
    m: number,
    n: number,
    k: number,
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    work: number,
  ): void;
  sgemmBatch(
    count: number,
    m: number,
    n: number,
    k: number,
    a: number,
    aOff: number,
    ars: number,
    acs: number,
    b: number,
    bOff: number,
    brs: number,
    bcs: number,
    c: number,
    work: number,
  ): void;
  sumMiddle(x: number, outer: number, red: number, inner: number, out: number): void;
  reluF32(x: number, n: number, out: number): void;
  threefryFill(k0: number, k1: number, c1: number, first: number, out: number, n: number): void;
  dropoutFill(
    k0: number,
    k1: number,
    c1: number,
    first: number,
    t: number,
    scale: number,
    out: number,
    n: number,
  ): void;
}

/** The kernels bound to one tfjs heap. */
export interface WasmKernels {
  exports: WasmKernelExports;
  memory: WebAssembly.Memory;
  /** Byte offset of the product's packing workspace, malloc'd once on tfjs's heap. */
  work: number;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const bound = new WeakMap<EmscriptenLike, WasmKernels | null>();

/** The compiled module (main-thread build), or null where this runtime has no WebAssembly SIMD. */
export function compileWasmKernels(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const text = atob(WASM_KERNELS_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null; // no WebAssembly SIMD in this runtime: the callers keep tfjs's own kernels
  }
  return compiled;
}

/** The kernels bound to one tfjs-backend-wasm heap, or null where they cannot run (no SIMD, no memory export). */
export function bindWasmKernels(wasm: EmscriptenLike): WasmKernels | null {
  const known = bound.get(wasm);
  if (known !== undefined) return known;
  const module = compileWasmKernels();
  const memory = wasm.asm?.memory;
  let result: WasmKernels | null = null;
  if (module && memory instanceof WebAssembly.Memory) {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernelExports;
    result = {
      exports,
      memory,
      work: wasm._malloc(exports.workspaceFloats() * 4) >>> 0, // malloc returns a signed i32: above 2 GB, negative
      malloc: (bytes) => wasm._malloc(bytes) >>> 0,
      free: (ptr) => wasm._free(ptr),
    };
  }
  bound.set(wasm, result);
  return result;
}

/** Whether this runtime can run core's wasm kernels (WebAssembly SIMD compiles). */
export function wasmKernelsAvailable(): boolean {
  return compileWasmKernels() !== null;
}
