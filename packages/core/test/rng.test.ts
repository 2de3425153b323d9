import { describe, expect, it } from "vitest";
import { rng } from "../src";

describe("rng", () => {
  it("is deterministic under a seed and differs across seeds", () => {
    expect(Array.from(rng.uniformArray(rng.key(7), 5))).toEqual(Array.from(rng.uniformArray(rng.key(7), 5)));
    expect(Array.from(rng.uniformArray(rng.key(7), 5))).not.toEqual(Array.from(rng.uniformArray(rng.key(8), 5)));
  });

  it("splits into independent children, and named children do not depend on their siblings", () => {
    const [a, b] = rng.split(rng.key(1));
    expect(a).not.toEqual(b);
    const one = rng.splitNamed(rng.key(1), ["x"]);
    const two = rng.splitNamed(rng.key(1), ["x", "y"]);
    expect(one.x).toEqual(two.x);
  });

  it("draws uniform and normal values with the right moments", () => {
    const u = rng.uniformArray(rng.key(3), 100_000);
    const z = rng.normalArray(rng.key(4), 100_000);
    const mean = (a: Float32Array) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(mean(z.map((x) => x * x))).toBeCloseTo(1, 1);
  });

  it("permutes every index exactly once", () => {
    const p = Array.from(rng.permutation(rng.key(5), 1000));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe("Threefry-2x32 known answers", () => {
  it("matches the Random123 / JAX test vectors for 20 rounds", () => {
    // key, counter -> output, from Random123's kat_vectors (threefry2x32_20), also used by JAX's random tests
    expect(rng.threefry2x32([0, 0], [0, 0])).toEqual([0x6b200159, 0x99ba4efe]);
    expect(rng.threefry2x32([0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0x1cb996fc, 0xbb002be7]);
    expect(rng.threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3])).toEqual([0xc4923a9c, 0x483df7a0]);
  });
});
