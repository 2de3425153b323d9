import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { loadAddon, nativePoolStats, registerNativeBackend } from "../src";
import { BufferPool } from "../src/pool";

/**
 * The output pool (src/pool.ts): freed kernel outputs are reused, and never an array that someone else can still see.
 */
const load = loadAddon();

describe("BufferPool", () => {
  it("hands back a released array of the same length, and only that length", () => {
    const p = new BufferPool(1 << 20);
    const a = p.take(16);
    p.attach(a);
    p.release(a);
    expect(p.take(8)).not.toBe(a);
    expect(p.take(16)).toBe(a);
    expect(p.stats().hits).toBe(1);
  });

  it("never reuses an array it did not allocate, one held under two ids, an aliased one or an exposed one", () => {
    const p = new BufferPool(1 << 20);
    const user = new Float32Array(16);
    p.attach(user);
    p.release(user);
    expect(p.take(16)).not.toBe(user);

    const twice = p.take(32);
    p.attach(twice);
    p.attach(twice); // a second data id holds it
    p.release(twice);
    expect(p.take(32)).not.toBe(twice);

    const viewed = p.take(64);
    p.attach(viewed);
    p.attach(viewed.subarray(8, 16)); // a view of it stored under another id
    p.release(viewed);
    expect(p.take(64)).not.toBe(viewed);

    const shown = p.take(128);
    p.attach(shown);
    p.expose(shown); // dataSync() handed it out
    p.release(shown);
    expect(p.take(128)).not.toBe(shown);
  });

  it("holds no more than its limit, and nothing with a limit of 0", () => {
    const p = new BufferPool(100);
    const a = p.take(16); // 64 bytes
    const b = p.take(16);
    p.attach(a);
    p.attach(b);
    p.release(a);
    p.release(b); // would be 128 bytes: dropped
    expect(p.stats().bytes).toBe(64);
    const off = new BufferPool(0);
    const c = off.take(4);
    off.attach(c);
    off.release(c);
    expect(off.take(4)).not.toBe(c);
  });
});

describe.skipIf(!load.ok)(
  `the native backend's pool${load.ok ? "" : ` (skipped: ${load.ok ? "" : load.reason})`}`,
  () => {
    beforeAll(async () => {
      const s = registerNativeBackend();
      expect(s.ok).toBe(true);
      await tf.setBackend("native");
    });

    it("reuses freed outputs, and values read out stay as they were read", () => {
      const a = tf.tensor1d([1, 2, 3, 4]);
      const b = tf.tensor1d([10, 20, 30, 40]);
      const before = nativePoolStats().hits;
      const first = tf.add(a, b);
      const read = first.dataSync(); // handed out: must never be overwritten
      first.dispose();
      const second = tf.mul(a, b);
      second.dispose(); // never read: goes back to the pool
      const third = tf.sub(b, a);
      expect(nativePoolStats().hits).toBeGreaterThan(before);
      expect(Array.from(read)).toEqual([11, 22, 33, 44]);
      expect(Array.from(third.dataSync())).toEqual([9, 18, 27, 36]);
      third.dispose();
      a.dispose();
      b.dispose();
    });

    it("never overwrites an array the user passed to tf.tensor", () => {
      const mine = new Float32Array([1, 2, 3, 4]);
      const t = tf.tensor1d(mine);
      t.dispose();
      const x = tf.tensor1d([5, 6, 7, 8]);
      for (let i = 0; i < 4; i++) tf.neg(x).dispose();
      expect(Array.from(mine)).toEqual([1, 2, 3, 4]);
      x.dispose();
    });

    it("keeps results right while buffers cycle, with no tensor left behind", () => {
      const x = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]);
      const n0 = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) {
        const y = tf.tidy(() => tf.sum(tf.mul(tf.add(tf.matMul(x, x), x), 2), 1)); // [[7,10],[15,22]] + x, doubled, summed
        expect(Array.from(y.dataSync())).toEqual([40, 88]);
        y.dispose();
      }
      expect(tf.memory().numTensors).toBe(n0);
      x.dispose();
    });
  },
);
