import { describe, expect, it } from "vitest";
import { adjustedRandIndex, inertiaOf, initCenters, type KMeansProgress, kmeans, predict } from "../src";
import { blobs } from "./blobs";

describe("kmeans", () => {
  it("recovers well-separated planted clusters (adjusted Rand index > 0.99)", () => {
    const { data, truth } = blobs(1, 3000, 16, 12, 10, 1);
    const r = kmeans(data, 3000, 16, { k: 12, seed: 3, nInit: 2 });
    expect(adjustedRandIndex(r.labels, truth)).toBeGreaterThan(0.99);
    expect(r.converged).toBe(true);
    expect(r.centers.length).toBe(12 * 16);
    expect(r.inertia).toBeCloseTo(inertiaOf(data, 3000, 16, r.centers, r.labels), 6);
  });

  it("is deterministic under a seed, and the seed matters", () => {
    const { data } = blobs(2, 1500, 8, 20, 2, 1);
    const a = kmeans(data, 1500, 8, { k: 20, seed: 7 });
    const b = kmeans(data, 1500, 8, { k: 20, seed: 7 });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.centers)).toEqual(Array.from(a.centers));
    expect(b.inertia).toBe(a.inertia);
    const c = kmeans(data, 1500, 8, { k: 20, seed: 8 });
    expect(Array.from(c.centers)).not.toEqual(Array.from(a.centers));
  });

  it("k-means++ gives lower inertia than random initialisation on average", () => {
    const { data } = blobs(3, 1200, 4, 25, 4, 0.5);
    let pp = 0;
    let random = 0;
    for (let seed = 0; seed < 8; seed++) {
      pp += kmeans(data, 1200, 4, { k: 25, seed }).inertia;
      random += kmeans(data, 1200, 4, { k: 25, seed, init: "random" }).inertia;
    }
    expect(pp).toBeLessThan(random * 0.95);
  });

  it("gives the same iterates with and without the triangle-inequality acceleration, and on both kernels", () => {
    for (const [n, dim, k] of [
      [2000, 2, 30],
      [800, 64, 16],
    ] as const) {
      const { data } = blobs(4, n, dim, k, 1.5, 1);
      const fast = kmeans(data, n, dim, { k, seed: 5 });
      const plain = kmeans(data, n, dim, { k, seed: 5, accelerate: false });
      const js = kmeans(data, n, dim, { k, seed: 5, kernel: "js" });
      for (const other of [plain, js]) {
        expect(other.iterations).toBe(fast.iterations);
        expect(adjustedRandIndex(other.labels, fast.labels)).toBe(1);
        expect(Math.abs(other.inertia / fast.inertia - 1)).toBeLessThan(1e-6);
      }
    }
  });

  it("initCenters gives the start of a run: Lloyd from it repeats that run", () => {
    const { data } = blobs(9, 1000, 6, 12, 2, 1);
    const start = initCenters(data, 1000, 6, { k: 12, seed: 4, run: 1 });
    const viaRestarts = kmeans(data, 1000, 6, { k: 12, seed: 4, nInit: 2, onProgress: () => {} });
    const fromStart = kmeans(data, 1000, 6, { k: 12, init: start });
    const second: number[] = [];
    kmeans(data, 1000, 6, {
      k: 12,
      seed: 4,
      nInit: 2,
      onProgress: (p) => {
        if (p.phase === "run-done" && p.run === 1) second.push(p.inertia);
      },
    });
    expect(second).toEqual([fromStart.inertia]);
    expect(viaRestarts.inertia).toBeLessThanOrEqual(fromStart.inertia);
    // Each start is k distinct data points.
    const rows = new Set<string>();
    for (let j = 0; j < 12; j++) rows.add(Array.from(start.subarray(j * 6, j * 6 + 6)).join(","));
    expect(rows.size).toBe(12);
  });

  it("keeps the lowest inertia over nInit restarts", () => {
    const { data } = blobs(5, 1000, 3, 15, 3, 1);
    const one = kmeans(data, 1000, 3, { k: 15, seed: 11 });
    const runs: number[] = [];
    const best = kmeans(data, 1000, 3, {
      k: 15,
      seed: 11,
      nInit: 4,
      onProgress: (p) => {
        if (p.phase === "run-done") runs.push(p.inertia);
      },
    });
    expect(runs.length).toBe(4);
    expect(runs[0]).toBe(one.inertia); // run 0 uses the same key as a single run
    expect(best.inertia).toBe(Math.min(...runs));
    expect(best.nInitUsed).toBe(4);
    expect(runs[best.bestRun]).toBe(best.inertia);
  });

  it("reports progress: k-means++ steps, then iterations with label changes and centre shifts", () => {
    const { data } = blobs(6, 500, 4, 5, 5, 1);
    const events: KMeansProgress[] = [];
    const r = kmeans(data, 500, 4, { k: 5, seed: 1, onProgress: (p) => events.push(p) });
    const init = events.filter((e) => e.phase === "init");
    expect(init.map((e) => (e.phase === "init" ? e.step : 0))).toEqual([1, 2, 3, 4, 5]);
    const iters = events.filter((e) => e.phase === "iteration");
    expect(iters.length).toBe(r.iterations);
    expect(iters[0]!.phase === "iteration" && iters[0]!.changed).toBe(500);
    expect(events.at(-1)!.phase).toBe("run-done");
  });

  it("stops at maxIter without claiming convergence", () => {
    const { data } = blobs(7, 800, 2, 20, 1, 1);
    const r = kmeans(data, 800, 2, { k: 20, seed: 0, maxIter: 2 });
    expect(r.iterations).toBe(2);
    expect(r.converged).toBe(false);
    // Labels are those of the final centres (scikit-learn's closing assignment).
    expect(Array.from(predict(data, 800, 2, r.centers))).toEqual(Array.from(r.labels));
  });

  it("re-seeds empty clusters: duplicate points and k equal to the number of distinct points", () => {
    const base = [0, 0, 10, 10, -10, 5];
    const data = new Float32Array(Array.from({ length: 30 }, (_, i) => base[i % 6]!)); // 15 points, 3 distinct
    const r = kmeans(data, 15, 2, { k: 3, seed: 2, init: "random" });
    expect(r.inertia).toBe(0);
    expect(new Set(r.labels).size).toBe(3);
  });

  it("mini-batch k-means finds the planted clusters and comes close to Lloyd's inertia", () => {
    const { data, truth } = blobs(8, 20000, 8, 10, 8, 1);
    const events: KMeansProgress[] = [];
    const mb = kmeans(data, 20000, 8, { k: 10, seed: 1, miniBatch: 512, onProgress: (p) => events.push(p) });
    const full = kmeans(data, 20000, 8, { k: 10, seed: 1 });
    expect(adjustedRandIndex(mb.labels, truth)).toBeGreaterThan(0.99);
    expect(mb.inertia / full.inertia).toBeLessThan(1.01);
    expect(events.some((e) => e.phase === "mini-batch")).toBe(true);
    expect(mb.iterations).toBeLessThan(Math.ceil((300 * 20000) / 512)); // stopped early by the smoothed inertia
    const again = kmeans(data, 20000, 8, { k: 10, seed: 1, miniBatch: 512 });
    expect(Array.from(again.centers)).toEqual(Array.from(mb.centers));
  });
});
