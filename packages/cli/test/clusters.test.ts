import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { loadAuditorySpace } from "@tavt/clusters";
import { encodeNpy, writeFeatureStore } from "@tavt/datasets";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "./helpers";

/** A user error: exit 2, exactly one line on stderr matching `pattern`, no stack trace. */
function expectUserError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tavt: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe("");
}

/** 3 well-separated blobs in 4-D (20 points each, around 0, 10 and -10 on every axis), rows in blob order. */
function blobs(): Float32Array {
  const data = new Float32Array(60 * 4);
  let s = 7;
  const noise = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  for (let i = 0; i < 60; i++) {
    const c = [0, 10, -10][Math.floor(i / 20)]!;
    for (let d = 0; d < 4; d++) data[i * 4 + d] = c + noise();
  }
  return data;
}

function writeNpy(path: string, data: Float32Array, shape: number[]): string {
  writeFileSync(path, encodeNpy(data, shape));
  return path;
}

const JSON_KEYS = ["dim", "inertia", "iterations", "k", "n", "peakRssBytes", "seconds"];

describe("tavt clusters build", () => {
  it("--help exits 0 with an example", async () => {
    const h = await run("clusters", "build", "--help");
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("Example:");
    expect(h.stdout).toContain("--mini-batch <size>");
  });

  it("a 2-D .npy [N, D] is N points: the saved space has K x D centres at the planted blobs, --json has the keys", async () => {
    const dir = tempDir();
    const npy = writeNpy(join(dir, "points.npy"), blobs(), [60, 4]);
    const out = join(dir, "space.safetensors");
    const r = await run("clusters", "build", "--features", npy, "--k", "3", "--seed", "1", "--out", out, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(json).sort()).toEqual(JSON_KEYS);
    expect(json).toMatchObject({ k: 3, n: 60, dim: 4 });
    expect(json.iterations).toBeGreaterThanOrEqual(1);
    expect(json.seconds).toBeGreaterThanOrEqual(0);
    // 60 points, uniform noise in [-0.5, 0.5) per axis: about 60 * 4 / 12 = 20 around the true centres.
    expect(json.inertia).toBeLessThan(40);

    const space = loadAuditorySpace(out);
    expect(space.k).toBe(3);
    expect(space.dim).toBe(4);
    expect(space.unit).toBe(1);
    expect(space.seed).toBe(1);
    expect(space.inertia).toBeCloseTo(json.inertia!, 3);
    const firsts = Array.from({ length: 3 }, (_, c) => Math.round(space.centers[c * 4]!)).sort((a, b) => a - b);
    expect(firsts).toEqual([-10, 0, 10]);
    // The blobs are far apart, so k-means' optimum puts each centre at its blob's mean, with the within-blob sum of
    // squares as inertia; both computed here in float64 from the points.
    const points = blobs();
    const means = [0, 1, 2].map((b) =>
      [0, 1, 2, 3].map((d) => {
        let sum = 0;
        for (let i = b * 20; i < b * 20 + 20; i++) sum += points[i * 4 + d]!;
        return sum / 20;
      }),
    );
    let inertia = 0;
    for (let i = 0; i < 60; i++)
      for (let d = 0; d < 4; d++) inertia += (points[i * 4 + d]! - means[Math.floor(i / 20)]![d]!) ** 2;
    const centres = [0, 1, 2].map((c) => Array.from(space.centers.subarray(c * 4, c * 4 + 4)));
    centres.sort((a, b) => a[0]! - b[0]!);
    means.sort((a, b) => a[0]! - b[0]!);
    centres.forEach((c, i) => {
      c.forEach((x, d) => {
        expect(Math.abs(x - means[i]![d]!), `centre ${i} dim ${d}`).toBeLessThanOrEqual(1e-5);
      });
    });
    expect(Math.abs(json.inertia! - inertia), `inertia ${json.inertia} vs ${inertia}`).toBeLessThanOrEqual(
      1e-5 * inertia,
    );
  });

  it("shows k-means progress on stderr unless --quiet", async () => {
    const dir = tempDir();
    const npy = writeNpy(join(dir, "points.npy"), blobs(), [60, 4]);
    const out = join(dir, "space.safetensors");
    const r = await run("clusters", "build", "--features", npy, "--k", "3", "--n-init", "2", "--out", out, "--json");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/k-means run 1\/2: inertia [\d.]+ after \d+ iterations/);
    expect(r.stderr).toMatch(/k-means run 2\/2: inertia/);
    expect(r.stderr).toMatch(/\[k-means\] step 606\/606 /);
    const q = await run("clusters", "build", "--features", npy, "--k", "3", "--out", out, "--json", "-q");
    expect(q.stderr).toBe("");
  });

  it("without --json prints a one-line human summary", async () => {
    const dir = tempDir();
    const npy = writeNpy(join(dir, "points.npy"), blobs(), [60, 4]);
    const out = join(dir, "space.safetensors");
    const r = await run("clusters", "build", "--features", npy, "--k", "3", "--out", out, "-q");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toMatch(/K=3 prototypes of dim 4 \(T=1\) from 60 units/);
    expect(r.stdout).toContain(out);
  });

  it("--mini-batch on a .npy reads it in chunks: the planted blobs, the peak RSS, and the same file gives the same space", async () => {
    const dir = tempDir();
    const npy = writeNpy(join(dir, "points.npy"), blobs(), [60, 4]);
    const args = ["clusters", "build", "--features", npy, "--k", "3", "--mini-batch", "16", "--chunk-mb", "1"];
    const r = await run(...args, "--out", join(dir, "a.safetensors"), "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(json).sort()).toEqual(JSON_KEYS);
    expect(json).toMatchObject({ k: 3, n: 60, dim: 4 });
    expect(json.inertia).toBeLessThan(40);
    expect(json.peakRssBytes).toBeGreaterThan(10 * 1024 ** 2);
    const a = loadAuditorySpace(join(dir, "a.safetensors"));
    const firsts = Array.from({ length: 3 }, (_, c) => Math.round(a.centers[c * 4]!)).sort((x, y) => x - y);
    expect(firsts).toEqual([-10, 0, 10]);
    const human = await run(...args, "--out", join(dir, "b.safetensors"), "-q");
    expect(human.stdout).toMatch(/from 60 points of .*points\.npy, read in chunks of 60 rows .* peak RSS [\d.]+ MiB/);
    expect(Array.from(loadAuditorySpace(join(dir, "b.safetensors")).centers)).toEqual(Array.from(a.centers));
  });

  it("a .npy over 1 GiB without --mini-batch is refused before it is read (sparse file, no disk used)", async () => {
    const dir = tempDir();
    const path = join(dir, "huge.npy");
    const rows = 2_200_000;
    const header = encodeNpy(new Float32Array(0), [0, 128]);
    const text = new TextDecoder("latin1")
      .decode(header)
      .replace("(0, 128)", `(${rows}, 128)`)
      .replace("       \n", " \n"); // the same header length: 6 more digits, 6 fewer spaces
    const fd = openSync(path, "w");
    try {
      writeSync(fd, Buffer.from(text, "latin1"));
      ftruncateSync(fd, text.length + rows * 128 * 4);
    } finally {
      closeSync(fd);
    }
    const out = join(dir, "never.safetensors");
    expectUserError(
      await run("clusters", "build", "--features", path, "--k", "4", "--out", out),
      /huge\.npy: 1\.05 GiB is too large to hold for full-batch k-means; give --mini-batch 1024/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a feature store of audio sequences is cut into units of T frames", async () => {
    const dir = tempDir();
    const store = join(dir, "audio.npz");
    const entries = Array.from({ length: 6 }, (_, v) => ({
      id: `video${v}`,
      data: Float32Array.from({ length: 10 * 3 }, (_, j) => (v % 2) * 5 + (j % 3) * 0.01),
      shape: [10, 3] as const,
    }));
    await writeFeatureStore(store, "npz", entries);
    const out = join(dir, "space.safetensors");
    const r = await run("clusters", "build", "--features", store, "--k", "2", "--unit", "5", "--out", out, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ k: 2, n: 12, dim: 3 });
    const space = loadAuditorySpace(out);
    expect(space.unit).toBe(5);
    expect(space.k).toBe(2);
    // Every frame of an even video is [0, 0.01, 0.02], of an odd one [5, 5.01, 5.02]: the two centres.
    const centres = [0, 1]
      .map((c) => Array.from(space.centers.subarray(c * 3, c * 3 + 3)))
      .sort((a, b) => a[0]! - b[0]!);
    const want = [
      [0, 0.01, 0.02],
      [5, 5.01, 5.02],
    ];
    centres.forEach((c, i) => {
      c.forEach((x, d) => {
        expect(Math.abs(x - want[i]![d]!), `centre ${i} dim ${d}`).toBeLessThanOrEqual(1e-6);
      });
    });
  });

  it("without --features builds the space of the synthetic benchmark's external audio corpus; --from source-domains of its source-domain audio", async () => {
    const dir = tempDir();
    const out = join(dir, "space.safetensors");
    const r = await run("clusters", "build", "--k", "10", "--out", out, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(json).sort()).toEqual(JSON_KEYS);
    // 3,000 clips of the external corpus, 20 frames each: 4 units of T=5 each.
    expect(json).toMatchObject({ k: 10, n: 3000 * 4, dim: 128 });
    const space = loadAuditorySpace(out);
    expect(space.unit).toBe(5);
    expect(space.source).toBe("synthetic external audio corpus (3000 clips)");

    const own = join(dir, "own.safetensors");
    const s = await run("clusters", "build", "--from", "source-domains", "--k", "10", "--out", own, "--json");
    expect(s.code).toBe(0);
    // 951 source-domain train videos of the default synthetic benchmark, 20 frames each: 4 units of T=5 each.
    expect(JSON.parse(s.stdout)).toMatchObject({ k: 10, n: 951 * 4, dim: 128 });
    expect(loadAuditorySpace(own).source).toMatch(/synthetic source-domain train audio/);
    expectUserError(
      await run("clusters", "build", "--from", "external", "--features", out, "--k", "2", "--out", join(dir, "x")),
      /--from: .* does not apply with --features/,
    );
  });

  describe("bad input: exit 2, one line naming the problem, no output file", () => {
    const dir = tempDir();
    const out = join(dir, "never.safetensors");
    const build = (...args: string[]) => run("clusters", "build", "--out", out, ...args);

    it.each([
      ["NaN", Number.NaN, /points-nan\.npy: NaN at row 25, column 2; k-means needs finite values/],
      ["Infinity", Number.POSITIVE_INFINITY, /points-inf\.npy: \+Infinity at row 25, column 2/],
    ])("%s in the points", async (name, value, pattern) => {
      const data = blobs();
      data[25 * 4 + 2] = value;
      const npy = writeNpy(join(dir, name === "NaN" ? "points-nan.npy" : "points-inf.npy"), data, [60, 4]);
      expectUserError(await build("--features", npy, "--k", "3"), pattern);
      expect(existsSync(out)).toBe(false);
    });

    it("K larger than the number of points", async () => {
      const npy = writeNpy(join(dir, "few.npy"), blobs(), [60, 4]);
      expectUserError(
        await build("--features", npy, "--k", "100"),
        /--k 100 is larger than the number of points \(60\)/,
      );
      expect(existsSync(out)).toBe(false);
    });

    it("a file that is not a valid .npy", async () => {
      const junk = join(dir, "junk.npy");
      writeFileSync(junk, "this is not numpy data at all");
      expectUserError(await build("--features", junk, "--k", "3"), /junk\.npy: not an \.npy file/);
      const truncated = join(dir, "truncated.npy");
      writeFileSync(truncated, encodeNpy(blobs(), [60, 4]).subarray(0, 200));
      expectUserError(await build("--features", truncated, "--k", "3"), /truncated\.npy/);
      expect(existsSync(out)).toBe(false);
    });

    it("an .npy that is not 2-D", async () => {
      const npy = writeNpy(join(dir, "cube.npy"), blobs(), [3, 20, 4]);
      expectUserError(await build("--features", npy, "--k", "3"), /cube\.npy: expected a 2-D array \[N, D\]/);
      expect(existsSync(out)).toBe(false);
    });

    it("mismatched dims between the videos of a feature store", async () => {
      const store = join(dir, "mixed");
      mkdirSync(store);
      writeNpy(join(store, "a.npy"), new Float32Array(10 * 3), [10, 3]);
      writeNpy(join(store, "b.npy"), new Float32Array(10 * 4), [10, 4]);
      expectUserError(
        await build("--features", store, "--k", "2"),
        /mixed: video "b" has audio features of dim 4, but video "a" has 3 \(mismatched dims\)/,
      );
      expect(existsSync(out)).toBe(false);
    });

    it("NaN in a feature store names the video and frame", async () => {
      const store = join(dir, "nanstore");
      mkdirSync(store);
      const bad = new Float32Array(10 * 3);
      bad[7 * 3 + 1] = Number.NaN;
      writeNpy(join(store, "a.npy"), new Float32Array(10 * 3).fill(1), [10, 3]);
      writeNpy(join(store, "b.npy"), bad, [10, 3]);
      expectUserError(await build("--features", store, "--k", "2"), /nanstore: video "b" has NaN at frame 7, column 1/);
      expect(existsSync(out)).toBe(false);
    });

    it("an .npz with a corrupted member, and one cut off mid-member", async () => {
      const npz = join(dir, "audio.npz");
      const entries = Array.from({ length: 4 }, (_, v) => ({
        id: `video${v}`,
        data: Float32Array.from({ length: 10 * 3 }, (_, j) => v + j * 0.01),
        shape: [10, 3] as const,
      }));
      await writeFeatureStore(npz, "npz", entries);
      const bytes = readFileSync(npz);
      // a byte inside video2.npy's data: members are stored (uncompressed) in order, each an .npy of 128 + 120 bytes
      const member = bytes.indexOf(Buffer.from("video2.npy")) + "video2.npy".length + 128 + 60;
      const flipped = Buffer.from(bytes);
      flipped[member] = flipped[member]! ^ 0x10;
      writeFileSync(join(dir, "flipped.npz"), flipped);
      expectUserError(
        await build("--features", join(dir, "flipped.npz"), "--k", "2"),
        /flipped\.npz: member video2\.npy is corrupt \(CRC-32 0x[0-9a-f]{8}, the directory says 0x[0-9a-f]{8}\)/,
      );
      writeFileSync(join(dir, "cut.npz"), bytes.subarray(0, member));
      expectUserError(
        await build("--features", join(dir, "cut.npz"), "--k", "2"),
        /cut\.npz: truncated or not a zip\/\.npz archive/,
      );
      expect(existsSync(out)).toBe(false);
    });

    it("a missing features file", async () => {
      expectUserError(await build("--features", join(dir, "absent.npy"), "--k", "3"), /absent\.npy: .*not found/);
      expect(existsSync(out)).toBe(false);
    });

    it("bad option values and --unit on points", async () => {
      const npy = writeNpy(join(dir, "ok.npy"), blobs(), [60, 4]);
      expectUserError(await build("--features", npy, "--k", "0"), /--k 0: expected a positive integer/);
      expectUserError(await build("--features", npy, "--k", "three"), /--k three: expected an integer/);
      expectUserError(await build("--features", npy, "--k", "3", "--unit", "5"), /--unit 5: .*already pooled/);
      expectUserError(
        await run("clusters", "build", "--features", npy, "--k", "3", "--out", join(dir, "no", "such", "s.st")),
        /directory .*no\/such does not exist/,
      );
      expect(existsSync(out)).toBe(false);
    });
  });
});
