import type { DropoutMaskKernel, ThreefryBitsKernel } from "../rng";
import { compileWasmKernels, type WasmKernelExports } from "./wasmModule";

/**
 * The Threefry bits and dropout masks of rng.ts from core's WebAssembly SIMD kernel (wasm/threefry.c): the same
 * numbers, eight counters at a time. It runs in a small memory of its own (not tfjs's heap) and copies each chunk
 * out. `initBackend` installs it for the wasm and cpu backends (the native backend brings its own, in C): dropout
 * masks in JS took about 0.5 s of a config S batch-32 training step on wasm.
 */

/** Words hashed per call into the kernel's memory (4 MB); longer outputs go in chunks (an even count, so counters line up). */
const CHUNK = 1 << 20;
/** Byte offset of the output in the kernel's memory (anything but 0 would do; 0 reads as a null pointer in C). */
const AT = 16;

interface Instance {
  exports: WasmKernelExports;
  memory: WebAssembly.Memory;
}

let instance: Instance | null | undefined;

function get(): Instance | null {
  if (instance !== undefined) return instance;
  const module = compileWasmKernels();
  instance = null;
  if (!module) return instance;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((AT + 4 * CHUNK) / 65536) });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernelExports;
  instance = { exports, memory };
  return instance;
}

/** dropoutMask's threshold: u = (bits >> 8) 2^-24 >= rate  <=>  (bits >> 8) >= ceil(rate 2^24) (exact in double). */
function threshold(rate: number): number {
  const th = Math.ceil(rate * 16777216);
  return Number.isNaN(th) ? 16777216 : th <= 0 ? 0 : th >= 16777216 ? 16777216 : th; // NaN keeps nothing, as u >= NaN
}

/** The kernels, or null where this runtime has no WebAssembly SIMD. */
export function wasmThreefryKernels(): { bits: ThreefryBitsKernel; mask: DropoutMaskKernel } | null {
  const inst = get();
  if (!inst) return null;
  const { exports, memory } = inst;
  const bits: ThreefryBitsKernel = (k0, k1, c1, out) => {
    for (let from = 0; from < out.length; from += CHUNK) {
      const n = Math.min(CHUNK, out.length - from);
      exports.threefryFill(k0, k1, c1, from / 2, AT, n);
      out.set(new Uint32Array(memory.buffer, AT, n), from);
    }
  };
  const mask: DropoutMaskKernel = (k0, k1, c1, rate, scale, out) => {
    const t = threshold(rate);
    for (let from = 0; from < out.length; from += CHUNK) {
      const n = Math.min(CHUNK, out.length - from);
      exports.dropoutFill(k0, k1, c1, from / 2, t, scale, AT, n);
      out.set(new Float32Array(memory.buffer, AT, n), from);
    }
  };
  return { bits, mask };
}
