import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../src";

/**
 * A stand-in for @tensorflow/tfjs-node-gpu: it registers a "tensorflow" backend on our tfjs-core (the cpu backend's
 * storage and kernels), whose instance says whether TensorFlow found a GPU, as tfjs-node's NodeJSKernelBackend does
 * (`isGPUPackage`, `isUsingGpuDevice`).
 */
function fakeTfjsNodeGpu(usingGpu: boolean): string {
  const req = createRequire(import.meta.url);
  const core = req.resolve("@tensorflow/tfjs-core");
  const cpu = req.resolve("@tensorflow/tfjs-backend-cpu");
  const dir = mkdtempSync(join(tmpdir(), "tavt-fake-tfjs-node-gpu-"));
  const file = join(dir, "index.cjs");
  writeFileSync(
    file,
    `const tf = require(${JSON.stringify(core)});
const { MathBackendCPU } = require(${JSON.stringify(cpu)});
if (tf.findBackendFactory("tensorflow")) tf.removeBackend("tensorflow");
tf.registerBackend("tensorflow", () => {
  const b = new MathBackendCPU();
  b.firstUse = false;
  b.isGPUPackage = true;
  b.isUsingGpuDevice = ${usingGpu};
  return b;
});
for (const k of tf.getKernelsForBackend("cpu")) {
  if (!tf.getKernel(k.kernelName, "tensorflow")) tf.registerKernel({ ...k, backendName: "tensorflow" });
}
`,
  );
  return file;
}

describe("the backend report of tfjs-node-gpu", () => {
  afterAll(async () => {
    await initBackend({ backend: "cpu" });
  });

  it("says it computes on the CPU when TensorFlow finds no usable GPU (not 'tensorflow-gpu')", async () => {
    const report = await initBackend({ env: {}, modules: { "tensorflow-gpu": fakeTfjsNodeGpu(false) } });
    expect(report.backend).toBe("tensorflow");
    expect(report.package).toBe("@tensorflow/tfjs-node-gpu");
    expect(report.device).toBe("cpu");
    expect(report.reason).toMatch(/no usable GPU \(CUDA or cuDNN missing\?\): it computes on the CPU/);
    expect(tf.getBackend()).toBe("tensorflow");
    expect(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync())).toEqual([2, 3]);
  });

  it("reports tensorflow-gpu on the GPU when TensorFlow has one", async () => {
    const report = await initBackend({ backend: "gpu", modules: { "tensorflow-gpu": fakeTfjsNodeGpu(true) } });
    expect(report).toMatchObject({ backend: "tensorflow-gpu", device: "gpu", reason: "chosen by options.backend" });
  });
});
