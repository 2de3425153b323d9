import { afterAll, describe, expect, it } from "vitest";
import { initBackend, rng } from "../src";
import { wasmThreefryKernels } from "../src/kernels/wasmThreefry";

/**
 * core's WebAssembly SIMD Threefry (wasm/threefry.c) must give exactly rng.ts's JS bits and dropout masks: every
 * length (odd, below one 8-counter block, across the 1 M-word chunks), several keys, every kind of rate.
 */
const kernels = wasmThreefryKernels();
const BITS_STREAM = 0xb175_0000; // rng.ts's high counter word of bits and masks

describe.skipIf(kernels === null)("the wasm Threefry kernels", () => {
  afterAll(async () => {
    rng.setThreefryKernel(null);
    await initBackend({ backend: "cpu" });
  });

  it("give rng.bits' words for every length and key", () => {
    rng.setThreefryKernel(null);
    const keys = [rng.key(0), rng.key(1), rng.key(2 ** 40 + 3), rng.foldIn(rng.key(9), "dropout")];
    for (const k of keys) {
      for (const count of [2, 14, 16, 18, 1000, 4098, (1 << 21) + 6]) {
        const js = rng.bits(k, count);
        const fast = new Uint32Array(count);
        kernels!.bits(k[0] >>> 0, k[1] >>> 0, BITS_STREAM, fast);
        let same = true;
        for (let i = 0; i < count && same; i++) same = fast[i] === js[i];
        expect(same, `key ${k} count ${count}`).toBe(true);
      }
    }
  });

  it("give rng.dropoutMask's masks for every rate and length (NaN keeps nothing, 0 keeps everything)", () => {
    rng.setThreefryKernel(null);
    for (const rate of [0, 0.1, 0.5, 0.999, 1, Number.NaN]) {
      for (const count of [1, 15, 64, 65, 1001, (1 << 20) + 3]) {
        const k = rng.foldIn(rng.key(4), count);
        const js = rng.dropoutMask(k, count, rate);
        const fast = new Float32Array(count);
        kernels!.mask(k[0] >>> 0, k[1] >>> 0, BITS_STREAM, rate, 1 / (1 - rate), fast);
        let same = true;
        for (let i = 0; i < count && same; i++) same = Object.is(fast[i], js[i]);
        expect(same, `rate ${rate} count ${count}`).toBe(true);
      }
    }
  });

  it("initBackend installs them for wasm: rng.bits then equals the JS words", async () => {
    await initBackend({ backend: "wasm" });
    const k = rng.key(77);
    const fast = rng.bits(k, 999);
    rng.setThreefryKernel(null);
    expect(Array.from(fast)).toEqual(Array.from(rng.bits(k, 999)));
  });
});
