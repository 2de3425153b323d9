import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { activeBackend, BACKEND_ORDER, initBackend, isTavtError, tf } from "../src";

const resolvable = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

/** Whether @tavt/backend-native is installed here and its addon loads. */
const nativeAddonLoads = (): boolean => {
  try {
    const mod = createRequire(import.meta.url)("@tavt/backend-native") as { loadAddon(): { ok: boolean } };
    return mod.loadAddon().ok;
  } catch {
    return false;
  }
};

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("initBackend", () => {
  it("picks the first backend in order that loads and says why each earlier one was skipped", async () => {
    const report = await initBackend({ env: {} });
    const at = BACKEND_ORDER.indexOf(report.backend);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(report.skipped.map((s) => s.backend)).toEqual(BACKEND_ORDER.slice(0, at));
    for (const s of report.skipped) {
      expect(s.package).toMatch(/^@tensorflow\/|^@tavt\/backend-native$/);
      expect(s.reason.length).toBeGreaterThan(0);
    }
    expect(report.reason).toBe(at === 0 ? "first in order" : "first that loaded");
    expect(report.tfBackend).toBe(tf.getBackend());
    expect(activeBackend()).toBe(report.tfBackend);
    if (!resolvable("@tensorflow/tfjs-node") && !resolvable("@tensorflow/tfjs-node-gpu")) {
      // this machine: no tfjs-node, so our native backend is chosen where its addon is built, else wasm
      const native = nativeAddonLoads();
      expect(report.backend).toBe(native ? "native" : "wasm");
      expect(report.package).toBe(native ? "@tavt/backend-native" : "@tensorflow/tfjs-backend-wasm");
      if (!native) expect(report.skipped.find((s) => s.backend === "native")?.reason).toMatch(/addon|Cannot find/);
    }
    // computing works on it
    expect(Array.from(tf.tensor1d([1, 2]).add(1).dataSync())).toEqual([2, 3]);
    // a second plain call returns the same report
    expect(await initBackend({ env: {} })).toEqual(report);
  });

  it("honours TAVT_BACKEND from options.env, then reports that backend on plain calls", async () => {
    const cpu = await initBackend({ env: { TAVT_BACKEND: "CPU" } });
    expect(cpu).toMatchObject({ backend: "cpu", tfBackend: "cpu", reason: "chosen by TAVT_BACKEND", skipped: [] });
    expect(tf.getBackend()).toBe("cpu");
    expect((await initBackend({ env: {} })).backend).toBe("cpu");
    const wasm = await initBackend({ backend: "wasm" });
    expect(wasm).toMatchObject({ backend: "wasm", reason: "chosen by options.backend" });
    expect(tf.getBackend()).toBe("wasm");
    expect(Array.from(tf.tensor1d([1, 2]).mul(3).dataSync())).toEqual([3, 6]);
  });

  it("rejects an unknown TAVT_BACKEND with a BAD_CONFIG error naming it and the choices", async () => {
    const e = await rejection(initBackend({ env: { TAVT_BACKEND: "tpu" } }));
    expect(isTavtError(e)).toBe(true);
    expect(e).toMatchObject({ code: "BAD_CONFIG", details: { field: "TAVT_BACKEND" } });
    expect((e as Error).message).toContain('"tpu"');
    expect((e as Error).message).toContain("wasm");
    expect(tf.getBackend()).toBe("wasm"); // unchanged
  });

  it("rejects a TAVT_NATIVE_THREADS that is not a positive integer with a BAD_CONFIG error naming it", async () => {
    for (const bad of ["two", "1.5", "-1", "0"]) {
      const e = await rejection(initBackend({ backend: "cpu", env: { TAVT_NATIVE_THREADS: bad } }));
      expect(e, bad).toMatchObject({ code: "BAD_CONFIG", details: { field: "TAVT_NATIVE_THREADS" } });
    }
  });

  it("rejects a TAVT_WASM_THREADS that is not a positive integer with a BAD_CONFIG error naming it", async () => {
    for (const bad of ["two", "0", "1.5", "-2"]) {
      const e = await rejection(initBackend({ backend: "wasm", env: { TAVT_WASM_THREADS: bad } }));
      expect(e).toMatchObject({ code: "BAD_CONFIG", details: { field: "TAVT_WASM_THREADS" } });
      expect((e as Error).message).toContain(`"${bad}"`);
    }
    const report = await initBackend({ backend: "wasm", env: { TAVT_WASM_THREADS: "1" } });
    expect(report.detail).toBe("matrix products in core's WebAssembly SIMD kernel on 1 thread (TAVT_WASM_THREADS)");
  });

  it.skipIf(resolvable("@tensorflow/tfjs-node"))(
    "fails with BACKEND_UNAVAILABLE when the backend asked for cannot load (here: tfjs-node is not installed)",
    async () => {
      const e = await rejection(initBackend({ env: { TAVT_BACKEND: "node" } }));
      expect(e).toMatchObject({ code: "BACKEND_UNAVAILABLE", details: { backend: "tensorflow" } });
      expect((e as Error).message).toContain("@tensorflow/tfjs-node");
    },
  );
});
