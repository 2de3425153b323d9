import { afterAll, describe, expect, it } from "vitest";
import { adamInit, adamStep, initBackend, type ParamTree, rng, tf } from "../src";

/**
 * What @tavt/core hands to the native backend must not change any number: its Threefry bits equal the JS generator's,
 * and its fused Adam kernel equals core's composition of tfjs ops on the cpu backend, bit for bit.
 */
let nativeReason = "";
try {
  const mod = (await import("@tavt/backend-native")) as { loadAddon(): { ok: boolean; reason?: string } };
  const load = mod.loadAddon();
  if (!load.ok) nativeReason = load.reason ?? "addon not loadable";
} catch (e) {
  nativeReason = String(e);
}

describe.skipIf(nativeReason !== "")(
  `the native backend's pieces against core's own${nativeReason ? ` (skipped: ${nativeReason})` : ""}`,
  () => {
    afterAll(async () => {
      rng.setThreefryKernel(null);
      await initBackend({ backend: "cpu" });
    });

    it("initBackend picks native first on a machine without tfjs-node, and its Threefry bits equal the JS ones", async () => {
      const report = await initBackend({ env: {} });
      expect(report.backend).toBe("native");
      expect(tf.getBackend()).toBe("native");
      const keys = [rng.key(0), rng.key(1), rng.key(2 ** 40 + 3), rng.foldIn(rng.key(9), "dropout")];
      for (const k of keys) {
        for (const count of [64, 65, 1000, 4097]) {
          const fast = rng.bits(k, count);
          rng.setThreefryKernel(null);
          const js = rng.bits(k, count);
          await initBackend({ backend: "native" }); // reinstalls the C generator
          expect(Array.from(fast)).toEqual(Array.from(js));
        }
      }
    });

    it("its dropout masks equal the JS ones for every rate and length", async () => {
      await initBackend({ backend: "native" });
      for (const rate of [0.1, 0.5, 0.999]) {
        for (const count of [64, 65, 1001]) {
          const k = rng.foldIn(rng.key(4), count);
          const fast = rng.dropoutMask(k, count, rate);
          rng.setThreefryKernel(null);
          const js = rng.dropoutMask(k, count, rate);
          await initBackend({ backend: "native" });
          expect(Array.from(fast)).toEqual(Array.from(js));
          expect(js.some((v) => v === 0)).toBe(true);
        }
      }
    });

    it("the fused Adam kernel equals the composed ops on the cpu backend bit for bit (with and without weight decay)", async () => {
      const k = rng.splitNamed(rng.key(3), ["p", "g1", "g2"]);
      for (const weightDecay of [0, 0.01]) {
        const run = async (backend: string) => {
          await initBackend({ backend });
          const params: ParamTree = { a: rng.normal(k.p, [37, 5]), b: { c: rng.normal(rng.foldIn(k.p, 1), [11]) } };
          let state = adamInit(params);
          let p = params;
          for (const gk of [k.g1, k.g2]) {
            const grads: ParamTree = { a: rng.normal(gk, [37, 5]), b: { c: rng.normal(rng.foldIn(gk, 1), [11]) } };
            const next = adamStep(p, grads, state, { lr: 3e-3, weightDecay });
            p = next.params;
            state = next.state;
          }
          const flat = (t: ParamTree): number[] => [
            ...(t.a as tf.Tensor).dataSync(),
            ...((t.b as ParamTree).c as tf.Tensor).dataSync(),
          ];
          return [flat(p), flat(state.m), flat(state.v)];
        };
        const cpu = await run("cpu");
        const native = await run("native");
        expect(native).toEqual(cpu);
      }
    });
  },
);
