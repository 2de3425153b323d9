import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { detectFeatureBytesFormat, type FeatureStore, NpyBytesStore, openFeatureBytes, openFeatureStore } from "../src";

// Feature files from bytes (a browser's File, a fetch): the same data, checks and messages as from a path.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const fixtures = join(root, "tools", "fixtures", "datasets");
const expected = JSON.parse(readFileSync(join(fixtures, "expected.json"), "utf8")) as Record<
  string,
  { shape: [number, number]; data: number[] }
>;

const tmp = mkdtempSync(join(tmpdir(), "tavt-feature-bytes-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectMatches(store: FeatureStore) {
  expect(store.ids()).toEqual(Object.keys(expected).sort());
  for (const [id, want] of Object.entries(expected)) {
    expect(store.shape(id)).toEqual(want.shape);
    expect(Array.from(store.read(id))).toEqual(Array.from(Float32Array.from(want.data)));
  }
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a throw");
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a rejection");
}

describe("openFeatureBytes reads numpy's files from memory", () => {
  it.each(["features.npz", "features_compressed.npz"])("%s", async (file) => {
    const path = join(fixtures, file);
    const store = await openFeatureBytes(path, new Uint8Array(readFileSync(path)));
    expect(store.format).toBe("npz");
    expectMatches(store);
  });

  it("a folder of .npy files (float32, float64, Fortran-order big-endian)", () => {
    const dir = join(fixtures, "npy");
    const files = readdirSync(dir).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
    expectMatches(new NpyBytesStore(dir, files));
  });

  it("a single .npy is one video named by the file", async () => {
    const dir = join(fixtures, "npy");
    const id = Object.keys(expected)[0]!;
    const store = await openFeatureBytes(`${dir}/${id}.npy`, new Uint8Array(readFileSync(join(dir, `${id}.npy`))));
    expect(store.ids()).toEqual([id]);
    expect(store.shape(id)).toEqual(expected[id]!.shape);
  });

  it("detects the format by name, then by magic bytes", () => {
    const npz = new Uint8Array(readFileSync(join(fixtures, "features.npz")));
    const h5 = new Uint8Array(readFileSync(join(fixtures, "features.h5")));
    expect(detectFeatureBytesFormat("x", npz)).toBe("npz");
    expect(detectFeatureBytesFormat("x", h5)).toBe("hdf5");
    expect(detectFeatureBytesFormat("x.npz", h5)).toBe("npz");
    expect(message(() => detectFeatureBytesFormat("notes.txt", new TextEncoder().encode("hello")))).toBe(
      "notes.txt: unknown feature format (expected a directory of .npy files, an .npz archive or an HDF5 file)",
    );
  });

  it("a damaged archive gives the message the path-based store gives", async () => {
    const path = join(fixtures, "features.npz");
    const bytes = new Uint8Array(readFileSync(path));
    const cut = bytes.subarray(0, bytes.length - 30); // the end-of-central-directory record is gone
    const fromBytes = await rejection(openFeatureBytes(path, cut, { format: "npz" }));
    expect(fromBytes).toBe(
      `${path}: truncated or not a zip/.npz archive (no end-of-central-directory record at its end)`,
    );
  });

  it("a corrupt deflated member fails when read, naming the member, with the path-based store's message", async () => {
    const path = join(fixtures, "features_compressed.npz");
    const damaged = new Uint8Array(readFileSync(path));
    for (let i = 60; i < 80; i++) damaged[i] = damaged[i]! ^ 0xff; // inside the first member's deflate stream
    const copy = join(tmp, "features_compressed.npz");
    writeFileSync(copy, damaged);
    const fileStore = await openFeatureStore(copy);
    const id = fileStore.ids()[0]!;
    const fromFile = message(() => fileStore.read(id));
    fileStore.close();
    expect(fromFile).toMatch(/: member video0\.npy is corrupt \(deflate: /);
    const store = await openFeatureBytes(copy, damaged);
    expect(message(() => store.read(id))).toBe(fromFile);
  });

  it("an h5py file, and one with its datasets under a group (chunked, gzip, float64)", async () => {
    const path = join(fixtures, "features.h5");
    const store = await openFeatureBytes(path, new Uint8Array(readFileSync(path)));
    expect(store.format).toBe("hdf5");
    expectMatches(store);
    store.close();
    const grouped = join(fixtures, "features_group.h5");
    const g = await openFeatureBytes(grouped, new Uint8Array(readFileSync(grouped)), { group: "/feats" });
    expectMatches(g);
    g.close();
  });

  it("a file named .h5 that is not HDF5 gets the path-based store's message", async () => {
    const path = join(tmp, "fake.h5");
    writeFileSync(path, "not hdf5 at all, just text that is long enough");
    const fromFile = await rejection(openFeatureStore(path));
    expect(await rejection(openFeatureBytes(path, new Uint8Array(readFileSync(path))))).toBe(fromFile);
    expect(fromFile).toBe(`${path}: not an HDF5 file (no HDF5 signature)`);
  });
});
