import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend, tf } from "../src";

/**
 * Core depends on @tensorflow/tfjs-core (+ the cpu and wasm backends), not the umbrella @tensorflow/tfjs, whose Node
 * entry also registered the chained tensor methods and every kernel's gradient; src/tfjsRegistrations.ts does that
 * now. These tests fail if it does not (methods undefined, "gradient function not found for kernel ...").
 */
const req = createRequire(import.meta.url);
const coreDist = join(dirname(req.resolve("@tensorflow/tfjs-core/package.json")), "dist");
const read = (...p: string[]) => readFileSync(join(coreDist, ...p), "utf8");

beforeAll(async () => {
  await initBackend();
});

const close = (got: ArrayLike<number>, want: number[], tol = 1e-5) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    expect(Math.abs(got[i]! - w), `index ${i}: ${got[i]} vs ${w}`).toBeLessThan(tol * Math.max(1, Math.abs(w)));
  });
};

describe("tf from @tavt/core on @tensorflow/tfjs-core alone", () => {
  it("does not come from the umbrella @tensorflow/tfjs (core cannot even resolve it)", () => {
    const pj = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pj.dependencies).filter((d) => d.startsWith("@tensorflow/"))).toEqual([
      "@tensorflow/tfjs-backend-cpu",
      "@tensorflow/tfjs-backend-wasm",
      "@tensorflow/tfjs-core",
    ]);
    expect(() => req.resolve("@tensorflow/tfjs")).toThrow();
    expect(tf.version_core).toBe("4.22.0");
    expect(tf.findBackendFactory("cpu")).toBeTruthy(); // @tensorflow/tfjs-backend-cpu registered
  });

  it("has every chained tensor method tfjs-core defines, on the class its tensors are made of", () => {
    const names = readdirSync(join(coreDist, "public", "chained_ops"))
      .filter((f) => f.endsWith(".js") && !f.startsWith("register_all"))
      .flatMap((f) => [...read("public", "chained_ops", f).matchAll(/getGlobalTensorClass\(\)\.prototype\.(\w+) =/g)])
      .map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(100);
    const x = tf.tensor([1, 2]);
    const missing = names.filter((n) => typeof (x as unknown as Record<string, unknown>)[n] !== "function");
    expect(missing).toEqual([]);
    expect(tf.Tensor.prototype.add).toBe((x as unknown as { add: unknown }).add);
    expect(x.square().sum().dataSync()[0]).toBe(5);
    close(
      x
        .reshape([2, 1])
        .matMul(tf.tensor2d([[3, 4]]))
        .add(1)
        .dataSync(),
      [4, 5, 7, 9],
    );
  });

  it("has a gradient for every kernel tfjs-core has one for, and core's second-order ones replace tfjs-core's", () => {
    const exported = tf as unknown as Record<string, unknown>;
    const kernels = [...read("register_all_gradients.js").matchAll(/from '\.\/gradients\/(\w+)'/g)].map((m) => {
      const id = /kernelName: (\w+)/.exec(read("gradients", `${m[1]}.js`))?.[1];
      return typeof exported[id ?? ""] === "string" ? (exported[id!] as string) : `${m[1]} (kernelName ${id}?)`;
    });
    expect(kernels.length).toBeGreaterThan(100);
    expect(kernels.filter((k) => !tf.getGradient(k))).toEqual([]);
    // src/secondOrderGrads.ts registers after tfjs-core's gradients: it saves the input, tfjs-core's the output.
    for (const k of ["Tanh", "Sigmoid", "Exp", "Elu"]) expect(tf.getGradient(k)?.inputsToSave).toEqual(["x"]);
    expect(tf.getGradient("Softmax")?.inputsToSave).toEqual(["logits"]);
  });

  it("keeps core's second-order gradients after tfjs-node loads the umbrella @tensorflow/tfjs, even if it then fails", async () => {
    // What the real one does where libtensorflow is missing: require("@tensorflow/tfjs") (which registers every
    // gradient of tfjs-core again, Tanh's saving its output), then fail to load its native binding.
    const file = join(mkdtempSync(join(tmpdir(), "tavt-fake-tfjs-node-")), "index.cjs");
    writeFileSync(
      file,
      `const tf = require(${JSON.stringify(req.resolve("@tensorflow/tfjs-core"))});
tf.registerGradient({ kernelName: "Tanh", outputsToSave: [true], gradFunc: (dy, [y]) => ({ x: () => tf.mul(dy, tf.sub(1, tf.square(y))) }) });
throw new Error("libtensorflow.so.2: cannot open shared object file");
`,
    );
    const active = tf.getBackend();
    await expect(initBackend({ backend: "tensorflow", modules: { tensorflow: file } })).rejects.toThrow(
      /libtensorflow/,
    );
    expect(tf.getBackend()).toBe(active);
    expect(tf.getGradient("Tanh")?.inputsToSave).toEqual(["x"]);
  });

  it("differentiates matMul, softmax, gather and a layer norm to their analytic gradients", () => {
    // f(W) = softmax(z)_2, gathered, with z = a W, a = [1, 2], W 2x3.
    const a = tf.tensor2d([[1, 2]]);
    const W = tf.tensor2d([
      [0.1, -0.2, 0.3],
      [0.4, 0.0, -0.5],
    ]);
    const z = [0.1 + 0.8, -0.2, 0.3 - 1.0];
    const e = z.map(Math.exp);
    const p = e.map((v) => v / e.reduce((s, u) => s + u, 0));
    // f = p[2] (gathered); df/dz_j = p2 (delta_2j - p_j); df/dW_ij = a_i df/dz_j.
    const dz = p.map((pj, j) => p[2]! * ((j === 2 ? 1 : 0) - pj));
    const gW = tf.grad((w: tf.Tensor) => tf.gather(tf.softmax(tf.matMul(a, w)), [2], 1).sum())(W);
    close(
      gW.dataSync(),
      [1, 2].flatMap((ai) => dz.map((d) => ai * d)),
    );

    // layer norm: f(x) = sum(w * (x - mean) / sqrt(var + eps)); df/dx = (w - mean(w) - xh * mean(w * xh)) / sigma.
    const xs = [0.5, -1.5, 2.0, 0.25];
    const ws = [1, -2, 0.5, 3];
    const eps = 1e-5;
    const n = xs.length;
    const mean = xs.reduce((s, v) => s + v, 0) / n;
    const sigma = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / n + eps);
    const xh = xs.map((v) => (v - mean) / sigma);
    const mw = ws.reduce((s, v) => s + v, 0) / n;
    const mwx = ws.reduce((s, v, i) => s + v * xh[i]!, 0) / n;
    const want = ws.map((wi, i) => (wi - mw - xh[i]! * mwx) / sigma);
    const layerNorm = (x: tf.Tensor) => {
      const { mean: m, variance } = tf.moments(x, -1, true);
      return x.sub(m).mul(variance.add(eps).rsqrt()).mul(tf.tensor1d(ws)).sum();
    };
    close(tf.grad(layerNorm)(tf.tensor1d(xs)).dataSync(), want, 1e-4);
  });

  it("nests gradients (second order) through tanh: d2/dx2 tanh = -2 tanh (1 - tanh^2)", () => {
    const xs = [0.3, -0.7, 1.2];
    const g2 = tf.grad((x: tf.Tensor) =>
      tf
        .grad((u: tf.Tensor) => tf.tanh(u).sum())(x)
        .sum(),
    )(tf.tensor1d(xs));
    close(
      g2.dataSync(),
      xs.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
      1e-4,
    );
  });

  it("keeps the rest of the API core and its dependents use", () => {
    for (const name of ["memory", "tidy", "grad", "grads", "customGrad", "variableGrads", "enableProdMode", "engine"]) {
      expect(typeof (tf as unknown as Record<string, unknown>)[name], name).toBe("function");
    }
    expect(typeof tf.train.adam).toBe("function");
    expect(typeof tf.losses.softmaxCrossEntropy).toBe("function");
    expect(tf.env().getBool("PROD")).toBe(true); // tf.ts enables prod mode (no tfjs banners)
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const sq = tf.customGrad(((x: tf.Tensor) => ({
        value: x.square(),
        gradFunc: (dy: tf.Tensor) => dy.mul(2),
      })) as Parameters<typeof tf.customGrad>[0]);
      expect(
        Array.from(
          tf
            .grad((x: tf.Tensor) => sq(x).sum())(tf.tensor1d([1, 3]))
            .dataSync(),
        ),
      ).toEqual([2, 2]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
