import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DATASET_ANNOTATIONS,
  loadDataset,
  makeSynthetic,
  TARGET_DOMAINS,
  writeFeatureStore,
  writeSynthetic,
} from "../src";

const tmp = mkdtempSync(join(tmpdir(), "tavt-datasetdir-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const config = { videos: 60, seed: 2, visualDim: 16, audioDim: 8, frames: 6, clips: 2 };

describe("writeSynthetic + loadDataset go through the real-file feature stores", () => {
  it.each(["npy", "npz", "hdf5"] as const)("%s", async (format) => {
    const dir = join(tmp, format);
    await writeSynthetic(dir, config, { format });
    const mem = makeSynthetic(config);
    const disk = await loadDataset(dir);
    expect(disk.visual!.format).toBe(format);
    expect(disk.videos).toEqual(mem.videos);
    expect(disk.sourceDomains).toEqual(mem.sourceDomains);
    expect(disk.validate()).toEqual({ visualDim: 16, audioDim: 8 });
    for (const id of mem.ids()) {
      const a = mem.sample(id);
      const b = disk.sample(id);
      expect(Array.from(b.visual)).toEqual(Array.from(a.visual));
      expect(Array.from(b.audio!)).toEqual(Array.from(a.audio!));
    }
    disk.close();
  });

  it("keeps the audio-absent target domains audio-free on disk", async () => {
    const dir = join(tmp, "absent");
    await writeSynthetic(dir, { ...config, audioAbsentDomains: TARGET_DOMAINS });
    const ds = await loadDataset(dir);
    expect(ds.sample(ds.domainVideos("Kids")[0]!.id).audio).toBeNull();
    expect(ds.sample(ds.domainVideos("News")[0]!.id).audio).not.toBeNull();
  });
});

describe("bad dataset directories name the file and the id", () => {
  it("missing annotations, wrong JSON shape, a bad split", async () => {
    await expect(loadDataset(join(tmp, "nowhere"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const dir = join(tmp, "bad");
    await writeSynthetic(dir, config);
    const file = join(dir, DATASET_ANNOTATIONS);
    const good = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...good, videos: "none" }));
    await expect(loadDataset(dir)).rejects.toThrow(`${file}: expected a JSON object with an array "videos"`);
    writeFileSync(file, JSON.stringify({ ...good, videos: [{ ...good.videos[0], split: "val" }] }));
    await expect(loadDataset(dir)).rejects.toThrow(new RegExp(`video "${good.videos[0].id}".*split`));
    writeFileSync(file, JSON.stringify({ ...good, videos: [{ ...good.videos[0], captions: [] }] }));
    await expect(loadDataset(dir)).rejects.toThrow(/captions/);
  });

  it("feature dims that disagree between videos", async () => {
    const dir = join(tmp, "dims");
    await writeSynthetic(dir, config);
    const ds0 = await loadDataset(dir);
    const [first, second] = ds0.ids();
    await writeFeatureStore(join(dir, "visual"), "npy", [
      { id: second!, data: new Float32Array(6 * 15), shape: [6, 15] },
    ]);
    const ds = await loadDataset(dir);
    ds.sample(first!);
    const e = (() => {
      try {
        ds.sample(second!);
      } catch (err) {
        return err as Error & { code: string };
      }
      throw new Error("no throw");
    })();
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(e.message).toContain(join(dir, "visual"));
    expect(e.message).toContain(`"${second}"`);
    expect(() => ds.validate()).toThrow(second);
    const fixed = await loadDataset(dir, { visualDim: 16 });
    expect(() => fixed.sample(second!)).toThrow(/expected \[frames, 16\]/);
  });
});
