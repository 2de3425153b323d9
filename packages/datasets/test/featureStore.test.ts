import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isTavtError } from "@tavt/core";
import { afterAll, describe, expect, it } from "vitest";
import { itWithPython, PYTHON, pythonWith } from "../../../tools/test-utils/python";
import { encodeNpy, type FeatureStore, openFeatureStore, writeFeatureStore } from "../src";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fixtures = join(root, "tools", "fixtures", "datasets");
const expected = JSON.parse(readFileSync(join(fixtures, "expected.json"), "utf8")) as Record<
  string,
  { shape: [number, number]; data: number[] }
>;
const tmp = mkdtempSync(join(tmpdir(), "tavt-datasets-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectMatches(store: FeatureStore) {
  expect(store.ids()).toEqual(Object.keys(expected).sort());
  for (const [id, want] of Object.entries(expected)) {
    expect(store.shape(id)).toEqual(want.shape);
    const got = store.read(id);
    expect(got).toBeInstanceOf(Float32Array);
    expect(Array.from(got)).toEqual(Array.from(Float32Array.from(want.data)));
  }
}

async function thrown(f: () => unknown): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

describe("feature stores read files written by numpy/h5py (tools/datasets/write_feature_fixtures.py)", () => {
  it.each([
    ["npy directory (float32, float64, Fortran-order big-endian)", "npy"],
    ["np.savez archive", "features.npz"],
    ["np.savez_compressed archive", "features_compressed.npz"],
    ["h5py file, one dataset per id", "features.h5"],
  ])("%s", async (_name, file) => {
    const store = await openFeatureStore(join(fixtures, file));
    expectMatches(store);
    store.close();
  });

  it("h5py file with the datasets under a group, chunked+gzip and float64 among them", async () => {
    const store = await openFeatureStore(join(fixtures, "features_group.h5"), { group: "/feats" });
    expectMatches(store);
    store.close();
  });

  it("detects the format from the path", async () => {
    expect((await openFeatureStore(join(fixtures, "npy"))).format).toBe("npy");
    expect((await openFeatureStore(join(fixtures, "features.npz"))).format).toBe("npz");
    expect((await openFeatureStore(join(fixtures, "features.h5"))).format).toBe("hdf5");
  });
});

const entries = Object.entries(expected).map(([id, e]) => ({ id, data: Float32Array.from(e.data), shape: e.shape }));
describe("writers round-trip, and numpy/h5py read what they write", () => {
  for (const [format, name, reader] of [
    ["npy", "out-npy", pythonWith("numpy")],
    ["npz", "out.npz", pythonWith("numpy")],
    ["hdf5", "out.h5", pythonWith("numpy", "h5py")],
  ] as const) {
    it(`${format}: reads back what it wrote`, async () => {
      const path = join(tmp, `ts-${name}`);
      await writeFeatureStore(path, format, entries);
      const store = await openFeatureStore(path);
      expectMatches(store);
      store.close();
    });
    itWithPython(reader, `${format}: ${format === "hdf5" ? "h5py" : "numpy"} reads what it wrote`, async () => {
      const path = join(tmp, name);
      await writeFeatureStore(path, format, entries);
      const py = JSON.parse(
        execFileSync(PYTHON, [join(root, "tools", "datasets", "read_features.py"), path], { encoding: "utf8" }),
      );
      for (const [id, want] of Object.entries(expected)) {
        expect(py[id].shape).toEqual(want.shape);
        expect(py[id].dtype).toBe("float32");
        expect(py[id].data).toEqual(Array.from(Float32Array.from(want.data)));
      }
    });
  }
});

describe("bad input names the file and the video id", () => {
  it("dims that disagree with the expectation", async () => {
    for (const file of ["npy", "features.npz", "features.h5"]) {
      const store = await openFeatureStore(join(fixtures, file), { dim: 7 });
      const e = await thrown(() => store.read("video1"));
      expect(isTavtError(e)).toBe(true);
      expect(e.code).toBe("SHAPE_MISMATCH");
      expect(e.message).toContain("video1");
      expect(e.message).toContain(join(fixtures, file));
      expect(e.message).toContain("[5, 6]");
      store.close();
    }
  });

  it("an array that is not [frames, dim]", async () => {
    const dir = join(tmp, "rank3");
    await writeFeatureStore(dir, "npy", []);
    writeFileSync(join(dir, "vidX.npy"), encodeNpy(new Float32Array(8), [2, 2, 2]));
    const store = await openFeatureStore(dir);
    const e = await thrown(() => store.shape("vidX"));
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(e.message).toContain(join(dir, "vidX.npy"));
    expect(e.message).toContain('"vidX"');
  });

  it("a missing id, a missing path, a file that is not features", async () => {
    const store = await openFeatureStore(join(fixtures, "features.npz"));
    const missing = await thrown(() => store.read("video999"));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toContain("video999");
    expect((await thrown(() => openFeatureStore(join(tmp, "nope.h5")))).code).toBe("NOT_FOUND");
    const junk = join(tmp, "junk.npz");
    writeFileSync(junk, "this is not a zip archive at all");
    const j = await thrown(() => openFeatureStore(junk));
    expect(j.code).toBe("BAD_FILE");
    expect(j.message).toContain(junk);
    const junkH5 = join(tmp, "junk.h5");
    writeFileSync(junkH5, "nor an HDF5 file");
    expect((await thrown(() => openFeatureStore(junkH5))).code).toBe("BAD_FILE");
  });

  it("a truncated .npy", async () => {
    const dir = join(tmp, "trunc");
    const full = encodeNpy(new Float32Array(12), [3, 4]);
    await writeFeatureStore(dir, "npy", []);
    writeFileSync(join(dir, "v.npy"), full.subarray(0, full.length - 5));
    const store = await openFeatureStore(dir);
    const e = await thrown(() => store.read("v"));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(join(dir, "v.npy"));
  });
});
