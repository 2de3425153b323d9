import { defaultEnv, loadBackendModule } from "./backendLoad";
import { TavtError } from "./errors";
import { registerWasmKernels } from "./kernels/wasm";
import { startWasmThreads } from "./kernels/wasmSgemm";
import { configureWasmThreads, THREADS_SETTING, wasmThreadCount } from "./kernels/wasmSgemmWorkers";
import { wasmThreefryKernels } from "./kernels/wasmThreefry";
import { setMaskAllocator } from "./nn/dropout";
import { type DropoutMaskKernel, setThreefryKernel, type ThreefryBitsKernel } from "./rng";
import { registerSecondOrderGradients } from "./secondOrderGrads";
import { tf } from "./tf";

/** Backends in the order they are tried. */
export const BACKEND_ORDER = ["tensorflow-gpu", "tensorflow", "native", "wasm", "cpu"] as const;
/** A backend `initBackend` can select: `tensorflow-gpu`, `tensorflow`, `native`, `wasm` or `cpu`. */
export type BackendName = (typeof BACKEND_ORDER)[number];

const PACKAGE: Record<BackendName, string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
  native: "@tavt/backend-native",
  wasm: "@tensorflow/tfjs-backend-wasm",
  cpu: "@tensorflow/tfjs-backend-cpu",
};

const ALIASES: Record<string, BackendName> = {
  "tensorflow-gpu": "tensorflow-gpu",
  "node-gpu": "tensorflow-gpu",
  gpu: "tensorflow-gpu",
  tensorflow: "tensorflow",
  node: "tensorflow",
  native: "native",
  blas: "native",
  wasm: "wasm",
  cpu: "cpu",
};

/** A backend `initBackend` did not use, and why. */
export interface BackendSkip {
  backend: BackendName;
  package: string;
  reason: string;
}

/** Which backend is active, from which package, why it was chosen, and why the earlier ones were skipped. */
export interface BackendReport {
  backend: BackendName;
  /** The name tfjs knows it by ("tensorflow", "native", "wasm", "cpu"). */
  tfBackend: string;
  package: string;
  /** Where it computes: "gpu" only for tfjs-node-gpu with a GPU TensorFlow can use. */
  device: "gpu" | "cpu";
  reason: string;
  skipped: BackendSkip[];
  /** How it computes, where there is a choice (wasm: "matrix products in core's WebAssembly SIMD kernel on 2 threads"). */
  detail?: string;
}

/**
 * The report of a backend that loaded. A GPU package computing on the CPU is reported as the CPU backend it is
 * ("tensorflow"), with the package it came from and why.
 */
function reportOf(name: BackendName, loaded: Loaded, reason: string, skipped: BackendSkip[]): BackendReport {
  const honest: BackendName = loaded.note && name === "tensorflow-gpu" ? "tensorflow" : name;
  return {
    backend: honest,
    tfBackend: loaded.tfBackend,
    package: PACKAGE[name],
    device: loaded.device,
    reason: loaded.note ? `${reason}; ${loaded.note}` : reason,
    skipped,
    ...(loaded.detail ? { detail: loaded.detail } : {}),
  };
}

/** Options of `initBackend`: a backend to insist on, and the environment to read. */
export interface InitBackendOptions {
  /** Use exactly this backend (as `TAVT_BACKEND` does); fails with BACKEND_UNAVAILABLE if it cannot load. */
  backend?: string;
  /** Defaults to `process.env` (in a browser build, none); `TAVT_BACKEND` there overrides the order, `TAVT_WASM_THREADS` sets wasm's threads. */
  env?: Record<string, string | undefined>;
  /** Load a backend's package from this path instead of resolving its name (vendored builds, test stand-ins). */
  modules?: Partial<Record<BackendName, string>>;
}

/** What a backend that loaded computes on, and (for a GPU package without a GPU) the honest word on it. */
interface Loaded {
  tfBackend: string;
  device: "gpu" | "cpu";
  /** Set where the backend is not what its name promises. */
  note?: string;
  /** How it computes, where there is a choice (wasm: the matrix product's kernel and threads). */
  detail?: string;
}

/** Whether the native backend's C Threefry is installed (it stays: the same numbers, and the fastest). */
let nativeThreefry = false;

/** Random bits and dropout masks from core's WebAssembly SIMD Threefry (the same numbers as rng.ts's JS). */
function useWasmThreefry(): void {
  if (nativeThreefry) return;
  const kernels = wasmThreefryKernels();
  if (kernels) setThreefryKernel(kernels.bits, kernels.mask);
}

async function tryBackend(
  name: BackendName,
  modules: InitBackendOptions["modules"] = {},
  wasmThreads = 1,
): Promise<Loaded> {
  const load = (n: BackendName) => loadBackendModule(modules[n] ?? PACKAGE[n]);
  switch (name) {
    case "tensorflow-gpu":
    case "tensorflow": {
      // Registers the "tensorflow" kernel backend on the tfjs-core it resolves; fails where libtensorflow is absent.
      try {
        load(name);
      } finally {
        // tfjs-node loads the umbrella @tensorflow/tfjs first, which registers tfjs-core's gradients again over
        // core's own, also where tfjs-node then fails (no libtensorflow) and a later backend is chosen.
        registerSecondOrderGradients();
      }
      if (!tf.findBackendFactory("tensorflow")) {
        throw new Error("it loaded but registered on a different copy of @tensorflow/tfjs-core (version mismatch?)");
      }
      if (!(await tf.setBackend("tensorflow"))) throw new Error("tf.setBackend('tensorflow') returned false");
      if (name === "tensorflow") return { tfBackend: "tensorflow", device: "cpu" };
      // tfjs-node-gpu loads without a usable GPU (no CUDA or cuDNN) and then computes on the CPU: say so.
      const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice;
      if (usingGpu === false) {
        return {
          tfBackend: "tensorflow",
          device: "cpu",
          note: "tfjs-node-gpu loaded, but TensorFlow found no usable GPU (CUDA or cuDNN missing?): it computes on the CPU",
        };
      }
      return { tfBackend: "tensorflow", device: "gpu" };
    }
    case "native": {
      // Registers the "native" backend (the cpu backend's storage, C kernels on OpenBLAS); reports why it cannot.
      const mod = load("native") as { registerNativeBackend(tf: unknown): NativeStatusLike };
      const status = mod.registerNativeBackend(tf);
      if (!status.ok) throw new Error(status.reason);
      if (!(await tf.setBackend("native"))) throw new Error("tf.setBackend('native') returned false");
      setThreefryKernel(status.threefryBits, status.dropoutMask); // the same random bits and masks, computed in C
      nativeThreefry = true;
      setMaskAllocator(status.allocFloat32 ?? null); // dropout masks in the backend's pooled arrays
      return { tfBackend: "native", device: "cpu" };
    }
    case "wasm": {
      load("wasm");
      registerWasmKernels();
      useWasmThreefry();
      configureWasmThreads(wasmThreads);
      if (!(await tf.setBackend("wasm"))) throw new Error("tf.setBackend('wasm') returned false");
      const started = startWasmThreads(tf.backend());
      const detail = !started
        ? "matrix products in tfjs's kernel (this runtime has no WebAssembly SIMD)"
        : `matrix products in core's WebAssembly SIMD kernel on ${started.threads} thread${started.threads === 1 ? "" : "s"} (${THREADS_SETTING})${started.error ? `; worker threads could not start: ${started.error}` : ""}`;
      return { tfBackend: "wasm", device: "cpu", detail };
    }
    case "cpu": {
      useWasmThreefry();
      if (!(await tf.setBackend("cpu"))) throw new Error("tf.setBackend('cpu') returned false");
      return { tfBackend: "cpu", device: "cpu" };
    }
  }
}

/** What `registerNativeBackend` of `@tavt/backend-native` returns (typed here so core does not depend on it). */
type NativeStatusLike =
  | {
      ok: true;
      threefryBits: ThreefryBitsKernel;
      dropoutMask: DropoutMaskKernel;
      allocFloat32?: (n: number) => Float32Array;
    }
  | { ok: false; reason: string };

const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split("\n")[0]!;

let current: Promise<BackendReport> | null = null;

/**
 * Select the tensor backend once per process: `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`, then
 * `@tavt/backend-native` (C kernels on OpenBLAS, where it is installed and its addon built), then
 * `@tensorflow/tfjs-backend-wasm`, then the pure-JS cpu backend. `TAVT_BACKEND` (or `options.backend`) picks one
 * explicitly. Later calls without a choice return the report of the backend that is active (the last one chosen).
 *
 * @param options - `backend` to insist on one (as `TAVT_BACKEND` does), `env` to read instead of `process.env`.
 * @returns Which backend runs, with `skipped`: each earlier backend and why it was not used.
 * @throws {@link TavtError} `BACKEND_UNAVAILABLE` when the backend asked for cannot load here (the message says why).
 * @example
 * ```ts
 * const report = await initBackend();
 * console.log(report.backend, report.skipped.map((s) => `${s.backend}: ${s.reason}`));
 * ```
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const env = options.env ?? defaultEnv();
  const asked = options.backend ?? env.TAVT_BACKEND;
  if (current && !asked) return current;
  const run = async (): Promise<BackendReport> => {
    let wasmThreads: number;
    try {
      wasmThreads = wasmThreadCount(env);
    } catch (e) {
      throw new TavtError("BAD_CONFIG", firstLine(e), { field: "TAVT_WASM_THREADS" });
    }
    // @tavt/backend-native reads TAVT_NATIVE_THREADS itself; a bad value is a configuration error here too, not a
    // reason to fall back silently to the next backend.
    const nativeThreads = env.TAVT_NATIVE_THREADS;
    if (nativeThreads !== undefined && nativeThreads.trim() !== "") {
      const n = Number(nativeThreads);
      if (!Number.isInteger(n) || n < 1) {
        throw new TavtError(
          "BAD_CONFIG",
          `TAVT_NATIVE_THREADS: expected a positive integer (the BLAS threads), got "${nativeThreads}"`,
          { field: "TAVT_NATIVE_THREADS" },
        );
      }
    }
    if (asked) {
      const name = ALIASES[asked.toLowerCase()];
      if (!name) {
        throw new TavtError(
          "BAD_CONFIG",
          `TAVT_BACKEND: unknown backend "${asked}"; expected one of ${Object.keys(ALIASES).join(", ")}`,
          { field: "TAVT_BACKEND" },
        );
      }
      try {
        const loaded = await tryBackend(name, options.modules, wasmThreads);
        await tf.ready();
        const by = options.backend ? "options.backend" : "TAVT_BACKEND";
        return reportOf(name, loaded, `chosen by ${by}`, []);
      } catch (e) {
        throw new TavtError(
          "BACKEND_UNAVAILABLE",
          `backend "${name}" (${PACKAGE[name]}) cannot load: ${firstLine(e)}`,
          {
            backend: name,
          },
        );
      }
    }
    const skipped: BackendSkip[] = [];
    for (const name of BACKEND_ORDER) {
      try {
        const loaded = await tryBackend(name, options.modules, wasmThreads);
        await tf.ready();
        return reportOf(name, loaded, skipped.length === 0 ? "first in order" : "first that loaded", skipped);
      } catch (e) {
        skipped.push({ backend: name, package: PACKAGE[name], reason: firstLine(e) });
      }
    }
    throw new TavtError("BACKEND_UNAVAILABLE", `no tensor backend could load: ${JSON.stringify(skipped)}`);
  };
  const p = run();
  if (!asked) current = p;
  else {
    // After an explicit choice succeeds, later plain calls report that (active) backend.
    p.then(
      (report) => {
        current = Promise.resolve(report);
      },
      () => undefined,
    );
  }
  return p;
}

/**
 * The active tfjs backend's name ("tensorflow", "native", "wasm" or "cpu").
 *
 * @returns The name `tf.getBackend()` reports.
 */
export function activeBackend(): string {
  return tf.getBackend();
}
