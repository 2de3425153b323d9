import { initBackend, tf } from "@tavt/core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import "@tensorflow/tfjs-backend-webgl";
import "@tensorflow/tfjs-backend-webgpu";

/** The backends a page can have, best first. */
export const PAGE_BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

export interface PageBackendReport {
  backend: PageBackend;
  /** One line for the page: what computes, and why the better ones were skipped. */
  detail: string;
  skipped: { backend: PageBackend; reason: string }[];
}

// tfjs-backend-wasm fetches its binaries by name beside the script; in a bundle they have hashed names.
setWasmPaths({
  "tfjs-backend-wasm.wasm": wasmPlain,
  "tfjs-backend-wasm-simd.wasm": wasmSimd,
  "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded,
});

async function trySet(name: PageBackend): Promise<string> {
  if (name === "wasm" || name === "cpu") {
    // Through @tavt/core, so that its wasm kernels (the SIMD matrix product) and random bits are the CLI's.
    const report = await initBackend({ backend: name, env: {} });
    return report.detail ?? `${report.package}`;
  }
  if (name === "webgpu" && !("gpu" in navigator)) throw new Error("this browser has no WebGPU (navigator.gpu)");
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend("${name}") failed`);
  await tf.ready();
  // A backend can register and still fail on its first kernel (a blocklisted GPU): run one.
  const probe = tf.tidy(() => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).sum());
  const v = (await probe.data())[0];
  probe.dispose();
  if (v !== 8) throw new Error(`a test product gave ${v}, not 8`);
  return name === "webgl" ? `WebGL ${tf.env().getNumber("WEBGL_VERSION")}` : "WebGPU";
}

/** Use `wanted`, or (for "auto") the best backend that works here: webgpu, webgl, wasm, cpu. */
export async function chooseBackend(wanted: PageBackend | "auto"): Promise<PageBackendReport> {
  const order = wanted === "auto" ? PAGE_BACKENDS : [wanted];
  const skipped: PageBackendReport["skipped"] = [];
  for (const name of order) {
    try {
      const detail = await trySet(name);
      return { backend: name, detail, skipped };
    } catch (e) {
      skipped.push({ backend: name, reason: (e instanceof Error ? e.message : String(e)).split("\n")[0]! });
    }
  }
  throw new Error(
    `no tfjs backend works in this browser: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join("; ")}`,
  );
}
