import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assign, squaredDistances, wasmKernelsAvailable } from "../src";
import { blobs } from "./blobs";

describe("distance kernels", () => {
  it("the WebAssembly SIMD kernels load here", () => {
    expect(wasmKernelsAvailable()).toBe(true);
  });

  it("squared distances match a float64 reference on both kernels (odd sizes: 37 points, 13 centres, dim 19)", () => {
    const { data } = blobs(31, 37, 19, 3, 2, 1);
    const { data: centers } = blobs(32, 13, 19, 13, 2, 0);
    const want: number[] = [];
    for (let i = 0; i < 37; i++) {
      for (let j = 0; j < 13; j++) {
        let s = 0;
        for (let d = 0; d < 19; d++) s += (data[i * 19 + d]! - centers[j * 19 + d]!) ** 2;
        want.push(s);
      }
    }
    for (const kernel of ["wasm", "js"] as const) {
      const got = squaredDistances(data, 37, 19, centers, { kernel });
      got.forEach((v, i) => {
        expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4 * Math.max(1, want[i]!));
      });
      const a = assign(data, 37, 19, centers, { kernel });
      for (let i = 0; i < 37; i++) {
        const row = want.slice(i * 13, i * 13 + 13);
        expect(a.labels[i]).toBe(row.indexOf(Math.min(...row)));
      }
    }
  });

  it("the embedded WebAssembly is what assembly/kernels.ts compiles to", () => {
    const script = join(__dirname, "..", "..", "..", "tools", "clusters", "build-kernels.mjs");
    const out = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(out).toMatch(/matches/);
  });
});
