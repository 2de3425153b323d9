import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNpy, isTavtError, type TavtError } from "@tavt/core";
import { describe, expect, it } from "vitest";
import { assign, buildAuditorySpace, cutUnits, kmeans, readNpy, squaredDistances } from "../src";

const FIXTURES = join(__dirname, "..", "..", "..", "tools", "fixtures", "clusters");

function thrown(f: () => unknown): TavtError {
  try {
    f();
  } catch (e) {
    if (isTavtError(e)) return e;
    throw e;
  }
  throw new Error("expected a TavtError");
}

const ok = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]); // 4 points, dim 2

describe("bad input is a TavtError with a clear message", () => {
  it("NaN or infinite values name the row and column", () => {
    const nan = Float32Array.from(ok);
    nan[5] = Number.NaN;
    let e = thrown(() => kmeans(nan, 4, 2, { k: 2 }));
    expect(e.code).toBe("BAD_INPUT");
    expect(e.message).toMatch(/NaN at row 2, column 1/);
    const inf = Float32Array.from(ok);
    inf[0] = Number.NEGATIVE_INFINITY;
    e = thrown(() => kmeans(inf, 4, 2, { k: 2 }));
    expect(e.message).toMatch(/-Infinity at row 0, column 0/);
    e = thrown(() => assign(ok, 4, 2, new Float32Array([0, Number.POSITIVE_INFINITY])));
    expect(e.code).toBe("BAD_INPUT");
    expect(e.message).toMatch(/centers has \+Infinity/);
  });

  it("k larger than the number of points", () => {
    const e = thrown(() => kmeans(ok, 4, 2, { k: 5 }));
    expect(e.code).toBe("BAD_INPUT");
    expect(e.message).toMatch(/k=5 is larger than the number of points \(4\)/);
  });

  it("mismatched dims: data size, initial centres, centres for assign, sequences", () => {
    let e = thrown(() => kmeans(ok, 3, 2, { k: 2 }));
    expect(e.message).toMatch(/has 8 values but \[n=3, dim=2\] needs 6 \(dims mismatch\)/);
    e = thrown(() => kmeans(ok, 4, 2, { k: 2, init: new Float32Array(6) }));
    expect(e.message).toMatch(/init centres have 6 values but \[k=2, dim=2\] needs 4/);
    e = thrown(() => assign(ok, 4, 2, new Float32Array(3)));
    expect(e.message).toMatch(/not a positive multiple of dim=2/);
    e = thrown(() => squaredDistances(ok, 4, 2, new Float32Array(5)));
    expect(e.code).toBe("BAD_INPUT");
    e = thrown(() =>
      cutUnits(
        [
          { data: new Float32Array(6), frames: 3, dim: 2 },
          { data: new Float32Array(6), frames: 2, dim: 3 },
        ],
        2,
      ),
    );
    expect(e.message).toMatch(/sequence 1 has feature dim 3 but sequence 0 has 2 \(dims mismatch\)/);
    e = thrown(() => buildAuditorySpace([{ data: new Float32Array(5), frames: 3, dim: 2 }], { k: 1 }));
    expect(e.message).toMatch(/sequence 0 has 5 values but \[frames=3, dim=2\] needs 6/);
  });

  it("bad options", () => {
    expect(thrown(() => kmeans(ok, 4, 2, { k: 0 })).message).toMatch(/k must be a positive integer/);
    expect(thrown(() => kmeans(ok, 4, 2, { k: 2, nInit: 0 })).message).toMatch(/nInit must be a positive integer/);
    expect(thrown(() => kmeans(ok, 4, 2, { k: 2, tol: -1 })).message).toMatch(/tol must be/);
    expect(thrown(() => kmeans(ok, 4, 2, { k: 2, miniBatch: 1.5 })).message).toMatch(/miniBatch must be/);
    expect(thrown(() => cutUnits([{ data: ok, frames: 4, dim: 2 }], 0)).message).toMatch(/unit \(T\) must be/);
  });

  it("files that are not a valid 2-D .npy", () => {
    const dir = mkdtempSync(join(tmpdir(), "clusters-npy-"));
    const text = join(dir, "points.npy");
    writeFileSync(text, "x,y\n1,2\n3,4\n5,6\n");
    let e = thrown(() => readNpy(text));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(text);
    expect(e.message).toMatch(/not an \.npy file/);
    const truncated = join(dir, "truncated.npy");
    const full = encodeNpy(new Float32Array(12), [6, 2]);
    writeFileSync(truncated, full.subarray(0, full.length - 8));
    e = thrown(() => readNpy(truncated));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toMatch(/truncated/);
    e = thrown(() => readNpy(join(FIXTURES, "points_3d.npy")));
    expect(e.code).toBe("BAD_INPUT");
    expect(e.message).toMatch(/expected a 2-D array \[N, D\] of points, got shape \(2, 2, 2\)/);
    e = thrown(() => readNpy(join(dir, "missing.npy")));
    expect(e.code).toBe("NOT_FOUND");
  });
});

describe("readNpy", () => {
  const values = JSON.parse(readFileSync(join(FIXTURES, "npy.json"), "utf8")) as {
    points_f64: number[];
    points_f32_fortran: number[];
  };
  it("reads numpy's float64 and Fortran-order float32 files as float32 points", () => {
    const f64 = readNpy(join(FIXTURES, "points_f64.npy"));
    expect([f64.n, f64.dim]).toEqual([5, 3]);
    expect(Array.from(f64.data)).toEqual(values.points_f64.map(Math.fround));
    const f32 = readNpy(join(FIXTURES, "points_f32_fortran.npy"));
    expect([f32.n, f32.dim]).toEqual([4, 2]);
    expect(Array.from(f32.data)).toEqual(values.points_f32_fortran.map(Math.fround));
  });
});
