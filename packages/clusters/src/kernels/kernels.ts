import { TavtError } from "@tavt/core";
import { jsKernels } from "./jsKernels";
import { KERNELS_WASM_BASE64 } from "./wasmBytes";

/** The three inner loops of k-means; pointers are byte offsets into the workspace memory (see assembly/kernels.ts). */
export interface Kernels {
  /** out[r, j] = x[idx[r]] . ct[:, j], r < m (a multiple of 4), j < cols (a multiple of 4, <= kp); ct is [d, kp]. */
  dots(x: number, idx: number, m: number, ct: number, kp: number, cols: number, d: number, out: number): void;
  /**
   * Nearest and second-nearest squared distances from the dot products of `dots` and the squared norms (the distances
   * overwrite the dot products).
   */
  nearest2(
    dp: number,
    idx: number,
    m: number,
    kp: number,
    k: number,
    xn: number,
    cn: number,
    best: number,
    d1: number,
    d2: number,
  ): void;
  /** out[r] = ||x[idx[r]] - c[labels[idx[r]]]||^2, c row-major [K, d]. */
  distAssigned(x: number, idx: number, m: number, c: number, labels: number, d: number, out: number): void;
  /** One k-means++ step over all points: candidate distances and potential gains (see assembly/kernels.ts). */
  ppStep(
    x: number,
    n: number,
    d: number,
    z: number,
    lc: number,
    lp: number,
    zn: number,
    xn: number,
    closest: number,
    owner: number,
    limit: number,
    out: number,
    gain: number,
  ): number;
}

/** Which implementation of the kernels to use: WebAssembly SIMD (the default where it is supported) or plain JS. */
export type KernelChoice = "auto" | "wasm" | "js";

/** The part of the WebAssembly JS API used here (the project compiles without the DOM library, which declares it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled SIMD module, or null where this runtime cannot compile it (no WebAssembly SIMD). */
function wasmModule(): object | null {
  if (compiled === undefined) {
    try {
      const bytes = Buffer.from(KERNELS_WASM_BASE64, "base64");
      compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * True where the WebAssembly SIMD kernels can run here.
 *
 * @returns Whether the WebAssembly module compiled here.
 */
export function wasmKernelsAvailable(): boolean {
  return wasmModule() !== null;
}

const PAGE = 65536;
/** Largest WebAssembly memory (4 GiB). */
const MAX_PAGES = 65536;

/** A workspace: one linear memory holding the data and buffers, and the kernels that compute over it. */
export interface Heap {
  buffer: ArrayBuffer;
  kernels: Kernels;
  kind: "wasm" | "js";
}

/** Allocate `bytes` of workspace memory and bind the kernels to it. */
export function createHeap(bytes: number, choice: KernelChoice = "auto"): Heap {
  const module = choice === "js" ? null : wasmModule();
  if (choice === "wasm" && module === null) {
    throw new TavtError(
      "BAD_CONFIG",
      "kernel 'wasm': this runtime cannot compile WebAssembly SIMD; use 'js' or 'auto'",
      {
        field: "kernel",
      },
    );
  }
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (module !== null && wasm && pages <= MAX_PAGES) {
    const memory = new wasm.Memory({ initial: pages, maximum: pages });
    const instance = new wasm.Instance(module, { env: { memory, abort: () => {} } });
    return { buffer: memory.buffer, kernels: instance.exports as unknown as Kernels, kind: "wasm" };
  }
  if (choice === "wasm") {
    throw new TavtError("BAD_INPUT", `data too large for the WebAssembly kernels (${bytes} bytes; at most 4 GiB)`);
  }
  const buffer = new ArrayBuffer(pages * PAGE);
  return { buffer, kernels: jsKernels(buffer), kind: "js" };
}
