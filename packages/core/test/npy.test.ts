import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { itWithPython, PYTHON, pythonWith } from "../../../tools/test-utils/python";
import { decodeNpy, encodeNpy, isTavtError, parseNpyHeader, type TavtError } from "../src";
import { FIXTURES } from "./fixture";

// Files written by numpy: tools/golden/npy.py (core), tools/datasets/write_feature_fixtures.py and
// tools/clusters/make_fixtures.py (the files @tavt/datasets and @tavt/clusters read through this decoder).
const TOOLS = join(dirname(fileURLToPath(import.meta.url)), "../../../tools");
const NPY = join(FIXTURES, "npy");
const numpy = pythonWith("numpy");

interface Case {
  shape: number[];
  descr: string;
  fortran: boolean;
  data: number[];
}
const cases = JSON.parse(readFileSync(join(NPY, "npy.json"), "utf8")) as Record<string, Case>;

const tmp = mkdtempSync(join(tmpdir(), "tavt-core-npy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function caught(fn: () => unknown): TavtError {
  try {
    fn();
  } catch (e) {
    if (isTavtError(e)) return e;
    throw e;
  }
  throw new Error("expected a TavtError");
}

const read = (file: string) => decodeNpy(readFileSync(file), file);
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

describe("decodeNpy reads files numpy wrote (tools/golden/npy.py)", () => {
  it.each(Object.keys(cases))("%s", (name) => {
    const want = cases[name]!;
    const file = join(NPY, `${name}.npy`);
    const header = parseNpyHeader(readFileSync(file), file)!;
    expect(header.descr).toBe(want.descr);
    expect(header.fortranOrder).toBe(want.fortran);
    const { data, shape } = read(file);
    expect(shape).toEqual(want.shape);
    expect(data).toBeInstanceOf(Float32Array);
    expect(Array.from(data)).toEqual(f32(want.data));
  });

  it("the fixtures cover Fortran order in 3-D, big-endian, every integer width and format versions 2 and 3", () => {
    expect(cases.f8_fortran_3d_be).toMatchObject({ fortran: true, descr: ">f8", shape: [2, 3, 4] });
    expect(new Set(Object.values(cases).map((c) => c.descr.slice(1)))).toEqual(
      new Set(["f2", "f4", "f8", "i1", "u1", "i2", "u2", "i4", "u4", "i8"]),
    );
    expect(readFileSync(join(NPY, "v2.npy"))[6]).toBe(2);
    expect(readFileSync(join(NPY, "v3.npy"))[6]).toBe(3);
  });

  it("the feature and point files @tavt/datasets and @tavt/clusters read", () => {
    const features = JSON.parse(readFileSync(join(TOOLS, "fixtures/datasets/expected.json"), "utf8")) as Record<
      string,
      { shape: number[]; data: number[] }
    >;
    for (const [id, want] of Object.entries(features)) {
      const got = read(join(TOOLS, "fixtures/datasets/npy", `${id}.npy`)); // f4, f8 and Fortran big-endian f4
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data)).toEqual(f32(want.data));
    }
    const points = JSON.parse(readFileSync(join(TOOLS, "fixtures/clusters/npy.json"), "utf8")) as Record<
      string,
      number[]
    >;
    const f64 = read(join(TOOLS, "fixtures/clusters/points_f64.npy"));
    expect(f64.shape).toEqual([5, 3]);
    expect(Array.from(f64.data)).toEqual(f32(points.points_f64!));
    const fortran = read(join(TOOLS, "fixtures/clusters/points_f32_fortran.npy"));
    expect(fortran.shape).toEqual([4, 2]);
    expect(Array.from(fortran.data)).toEqual(f32(points.points_f32_fortran!));
  });
});

describe("encodeNpy", () => {
  it("round-trips through decodeNpy for 0-d, 1-d, 2-d, 3-d and empty arrays", () => {
    for (const shape of [[], [1], [5], [3, 4], [2, 3, 2], [0, 7]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: n }, (_, i) => (i - 3) / 7);
      const bytes = encodeNpy(data, shape);
      expect((bytes.length - n * 4) % 64, `data of [${shape}] starts on a 64-byte boundary`).toBe(0);
      const back = decodeNpy(bytes, "<bytes>");
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
  });

  itWithPython(
    numpy,
    "writes what numpy reads: <f4, C order, header padded to 64 bytes (tools/golden/read_npy.py)",
    () => {
      const data = Float32Array.from([1.5, -2, 3.25, 0, 1e-8, -7e7]);
      for (const shape of [[6], [2, 3], [3, 1, 2], []] as const) {
        const file = join(tmp, `a${shape.length}.npy`);
        writeFileSync(file, encodeNpy(shape.length === 0 ? data.subarray(0, 1) : data, shape));
        const py = JSON.parse(execFileSync(PYTHON, [join(TOOLS, "golden/read_npy.py"), file], { encoding: "utf8" }));
        expect(py.shape).toEqual(shape);
        expect(py.dtype).toBe("<f4");
        expect(py.fortran).toBe(false);
        expect(py.data_offset % 64).toBe(0);
        expect(py.data).toEqual(Array.from(shape.length === 0 ? data.subarray(0, 1) : data));
      }
    },
  );

  it("refuses data that does not fill the shape", () => {
    const e = caught(() => encodeNpy(new Float32Array(5), [2, 3]));
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(e.message).toMatch(/shape \[2, 3\] holds 6 values, got 5/);
  });
});

describe("bad .npy files are a BAD_FILE TavtError naming the file", () => {
  it("not an .npy, an unsupported version, a truncated header or body, an unsupported dtype", () => {
    let e = caught(() => decodeNpy(new TextEncoder().encode("x,y\n1,2\n3,4\n"), "points.csv"));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toMatch(/^points\.csv: not an \.npy file/);

    const good = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const v9 = Uint8Array.from(good);
    v9[6] = 9;
    e = caught(() => decodeNpy(v9, "v9.npy"));
    expect(e.message).toMatch(/v9\.npy: unsupported \.npy format version 9\.0/);

    e = caught(() => decodeNpy(good.subarray(0, 40), "short.npy"));
    expect(e.message).toMatch(/short\.npy: truncated \.npy header/);
    expect(parseNpyHeader(good.subarray(0, 40), "short.npy")).toBeNull();

    e = caught(() => decodeNpy(good.subarray(0, good.length - 5), "cut.npy"));
    expect(e.message).toMatch(/cut\.npy: truncated data: expected 24 bytes, found 19/);

    for (const [name, descr] of [
      ["complex64", "<c8"],
      ["bool", "|b1"],
    ]) {
      const file = join(NPY, `${name}.npy`);
      e = caught(() => read(file));
      expect(e.code).toBe("BAD_FILE");
      expect(e.message).toContain(file);
      expect(e.message).toContain(`unsupported dtype '${descr}'`);
      expect(e.details.descr).toBe(descr);
    }
  });

  it("a malformed header dictionary", () => {
    const text = "{'descr': '<f4', 'shape': (2,), }".padEnd(63, " ");
    const bytes = new Uint8Array(10 + 64 + 8);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(bytes.buffer).setUint16(8, 64, true);
    bytes.set(new TextEncoder().encode(`${text}\n`), 10);
    const e = caught(() => decodeNpy(bytes, "nofortran.npy"));
    expect(e.message).toMatch(/nofortran\.npy: malformed \.npy header/);
  });
});
