import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, kmeans, meanVariance } from "../src";

const FIXTURES = join(__dirname, "..", "..", "..", "tools", "fixtures", "clusters");

interface LloydCase {
  name: string;
  n: number;
  dim: number;
  k: number;
  tol: number;
  maxIter: number;
  data: number[];
  init: number[];
  centers: number[];
  labels: number[];
  inertia: number;
  iterations: number;
  tolAbs: number;
}

const lloyd = JSON.parse(readFileSync(join(FIXTURES, "lloyd.json"), "utf8")) as { cases: LloydCase[] };
const ari = JSON.parse(readFileSync(join(FIXTURES, "ari.json"), "utf8")) as {
  cases: { a: number[]; b: number[]; ari: number }[];
};

describe("agreement with scikit-learn (tools/clusters/make_fixtures.py)", () => {
  for (const c of lloyd.cases) {
    for (const variant of [{}, { accelerate: false }, { kernel: "js" as const }]) {
      it(`Lloyd from the same initial centres: ${c.name} ${JSON.stringify(variant)}`, () => {
        const data = Float32Array.from(c.data);
        const r = kmeans(data, c.n, c.dim, {
          k: c.k,
          init: Float32Array.from(c.init),
          tol: c.tol,
          maxIter: c.maxIter,
          ...variant,
        });
        expect(r.iterations).toBe(c.iterations);
        expect(Array.from(r.labels)).toEqual(c.labels);
        expect(Math.abs(r.inertia / c.inertia - 1)).toBeLessThan(1e-5);
        let worst = 0;
        r.centers.forEach((v, i) => {
          worst = Math.max(worst, Math.abs(v - c.centers[i]!));
        });
        expect(worst).toBeLessThan(1e-4);
      });
    }
    it(`tolerance scale (mean per-feature variance): ${c.name}`, () => {
      const v = meanVariance(Float32Array.from(c.data), c.n, c.dim) * c.tol;
      expect(Math.abs(v - c.tolAbs)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.tolAbs));
    });
  }

  it("adjusted Rand index equals sklearn.metrics.adjusted_rand_score", () => {
    for (const c of ari.cases) expect(adjustedRandIndex(c.a, c.b)).toBeCloseTo(c.ari, 12);
  });
});
