import { afterAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../src";
import { wasmKernelsAvailable } from "../src/kernels/wasmModule";
import { configureWasmThreads, JOB_SGEMM, resetSgemmPool, sgemmPool } from "../src/kernels/wasmSgemmWorkers";

/**
 * A worker thread of the wasm products that dies (its job traps, or the thread exits) is noticed at once: the waiting
 * product throws instead of blocking for two minutes, and the next product starts a fresh pool.
 */
describe.skipIf(!wasmKernelsAvailable())("wasm product worker threads", () => {
  afterAll(async () => {
    resetSgemmPool();
    await initBackend({ backend: "cpu" });
  });

  it(
    "a job that traps kills only that pool: wait throws within seconds and the next pool computes",
    { timeout: 20_000 },
    async () => {
      await initBackend({ backend: "wasm", env: { TAVT_WASM_THREADS: "2" } });
      configureWasmThreads(2);
      const pool = sgemmPool(1 << 16);
      expect(pool, "a pool of one worker").not.toBeNull();
      // an operand 2 GB past the end of the shared memory: the worker's sgemm traps (memory access out of bounds)
      pool!.post(0, JOB_SGEMM, [64, 64, 64, 0x7ff00000, 64, 1, 0, 64, 1, 0, 64, pool!.work(0)]);
      const t0 = Date.now();
      expect(() => pool!.wait(0)).toThrow(/died/);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(pool!.broken).toBe(true);
      const next = sgemmPool(1 << 16);
      expect(next).not.toBe(pool);
      expect(next!.broken).toBe(false);
      // a product large enough to use the workers, checked against the cpu backend
      const a = tf.randomNormal([256, 256], 0, 1, "float32", 1);
      const b = tf.randomNormal([256, 256], 0, 1, "float32", 2);
      const got = tf.matMul(a, b).dataSync();
      await initBackend({ backend: "cpu" });
      const want = tf.matMul(tf.tensor(a.dataSync(), [256, 256]), tf.tensor(b.dataSync(), [256, 256])).dataSync();
      for (let i = 0; i < want.length; i += 97) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-3);
    },
  );

  it("a worker that exits between products is replaced before the next one", { timeout: 20_000 }, async () => {
    configureWasmThreads(2);
    const pool = sgemmPool(1 << 16)!;
    // an unknown job kind makes the worker stop (as a thread that exits on its own would)
    pool.post(0, 99, []);
    expect(() => pool.wait(0)).toThrow(/died/);
    await new Promise((r) => setTimeout(r, 50)); // the exit event
    expect(pool.broken).toBe(true);
    expect(sgemmPool(1 << 16)).not.toBe(pool);
  });
});
