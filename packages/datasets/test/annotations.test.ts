import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  loadMsrvtt,
  loadMsrvttAnnotations,
  loadMsvd,
  loadMsvdAnnotations,
  MSRVTT_CATEGORY_NAMES,
  msrvttDomainCounts,
  PAPER_DOMAINS,
  TABLE1_COUNTS,
  writeFeatureStore,
} from "../src";

const shared = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "shared", "data");
const msrvttDir = join(shared, "msrvtt");
const msvdDir = join(shared, "msvd");
const haveMsrvtt = existsSync(join(msrvttDir, "train_val_videodatainfo.json"));
const haveMsvd = existsSync(join(msvdDir, "youtube_video_to_id_mapping.txt"));
if (!haveMsrvtt) console.warn(`skipping the MSR-VTT Table 1 tests: no annotation release at ${msrvttDir}`);
if (!haveMsvd) console.warn(`skipping the MSVD tests: no caption files at ${msvdDir}`);

const tmp = mkdtempSync(join(tmpdir(), "tavt-annotations-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function thrown(f: () => unknown): Error & { code?: string } {
  try {
    f();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

describe.skipIf(!haveMsrvtt)("MSR-VTT on the real annotation release", () => {
  const videos = haveMsrvtt ? loadMsrvttAnnotations(msrvttDir) : [];

  it("regroups the 20 categories into the paper's 10 domains with Table 1's counts exactly", () => {
    const counts = msrvttDomainCounts(videos);
    const got = Object.fromEntries(PAPER_DOMAINS.map((d) => [d, counts[d].count]));
    console.info(`MSR-VTT domain counts: ${JSON.stringify(got)}`);
    expect(got).toEqual(TABLE1_COUNTS);
    expect(videos.length).toBe(10000);
    expect(videos.reduce((n, v) => n + v.captions.length, 0)).toBe(200000);
  });

  it("splits every domain 70/30 by a seeded random draw, reproducibly", () => {
    const a = msrvttDomainCounts(videos);
    for (const d of PAPER_DOMAINS) {
      expect(a[d].train).toBe(Math.round(TABLE1_COUNTS[d] * 0.7));
      expect(a[d].train + a[d].test).toBe(a[d].count);
    }
    expect(a.News.role).toBe("source");
    expect(a.Beauty.role).toBe("target");
    expect(a.Movie.categories).toEqual(["tv shows", "movie/comedy", "documentary", "advertisement"]);
    const official = msrvttDomainCounts(videos, { strategy: "official" });
    expect(PAPER_DOMAINS.reduce((n, d) => n + official[d].test, 0)).toBe(2990);
  });

  it("loads as a dataset with Table 1's sources and targets; the seeded split is reproducible", async () => {
    const ds = await loadMsrvtt(msrvttDir, { seed: 1 });
    expect(ds.sourceDomains).toEqual(["News", "Movie", "Sports", "Cooking", "Traffic"]);
    expect(ds.targetDomains).toEqual(["Animation", "Music", "Animal", "Kids", "Beauty"]);
    const again = await loadMsrvtt(msrvttDir, { seed: 1 });
    expect(again.ids({ split: "test" })).toEqual(ds.ids({ split: "test" }));
    const other = await loadMsrvtt(msrvttDir, { seed: 2 });
    expect(other.ids({ split: "test" })).not.toEqual(ds.ids({ split: "test" }));
    expect(() => ds.sample("video0")).toThrow(/no visual features/);
  });

  it("reads features keyed by MSR-VTT ids and names the file and id when one is missing", async () => {
    const vis = join(tmp, "msrvtt-visual.h5");
    await writeFeatureStore(vis, "hdf5", [{ id: "video0", data: new Float32Array(6), shape: [2, 3] }]);
    const ds = await loadMsrvtt(msrvttDir, { visual: vis });
    expect(ds.sample("video0").visualShape).toEqual([2, 3]);
    expect(ds.sample("video0").audio).toBeNull();
    const e = thrown(() => ds.sample("video1"));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toContain(vis);
    expect(e.message).toContain('"video1"');
  });
});

describe.skipIf(!haveMsvd)("MSVD on the real caption files", () => {
  it("has 1,970 videos in the 1200/100/670 split, 80,827 captions, one audio-free target domain", async () => {
    const videos = loadMsvdAnnotations(msvdDir);
    expect(videos.length).toBe(1970);
    const by = (s: string) => videos.filter((v) => v.officialSplit === s).length;
    expect([by("train"), by("val"), by("test")]).toEqual([1200, 100, 670]);
    expect(videos.reduce((n, v) => n + v.captions.length, 0)).toBe(80827);
    expect(videos[0]).toMatchObject({ id: "vid1", youtubeId: "-4wsuPCjDBc_5_15" });
    const ds = await loadMsvd(msvdDir);
    expect(ds.hasAudio).toBe(false);
    expect(ds.targetDomains).toEqual(["MSVD"]);
    expect(ds.ids({ split: "test" }).length).toBe(670);
  });
});

describe("bad annotation files name the file (and the id)", () => {
  const fake = join(tmp, "fake-msrvtt");
  mkdirSync(fake, { recursive: true });
  writeFileSync(
    join(fake, "category.txt"),
    Object.entries(MSRVTT_CATEGORY_NAMES)
      .map(([id, name]) => `${name}\t${id}\n`)
      .join(""),
  );

  it("missing directory / files", () => {
    const e = thrown(() => loadMsrvttAnnotations(join(tmp, "nowhere")));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toContain(join(tmp, "nowhere", "category.txt"));
    const m = thrown(() => loadMsvdAnnotations(join(tmp, "nowhere")));
    expect(m.code).toBe("NOT_FOUND");
  });

  it("wrong JSON shape, a bad category, an unknown video in sentences", () => {
    const tv = join(fake, "train_val_videodatainfo.json");
    const te = join(fake, "test_videodatainfo.json");
    writeFileSync(te, JSON.stringify({ videos: [], sentences: [] }));
    writeFileSync(tv, "{not json");
    expect(thrown(() => loadMsrvttAnnotations(fake)).message).toContain(tv);
    writeFileSync(tv, JSON.stringify({ videos: {} }));
    const shape = thrown(() => loadMsrvttAnnotations(fake));
    expect(shape.code).toBe("BAD_FILE");
    expect(shape.message).toContain('array "videos"');
    writeFileSync(tv, JSON.stringify({ videos: [{ video_id: "video5", category: 42 }], sentences: [] }));
    const cat = thrown(() => loadMsrvttAnnotations(fake));
    expect(cat.message).toContain(tv);
    expect(cat.message).toContain('"video5"');
    writeFileSync(
      tv,
      JSON.stringify({
        videos: [{ video_id: "video5", category: 0 }],
        sentences: [{ video_id: "video6", caption: "a man sings" }],
      }),
    );
    const unknown = thrown(() => loadMsrvttAnnotations(fake));
    expect(unknown.message).toContain('"video6"');
    writeFileSync(
      tv,
      JSON.stringify({
        videos: [{ video_id: "video5", category: 0 }],
        sentences: [{ video_id: "video5", caption: 3 }],
      }),
    );
    expect(thrown(() => loadMsrvttAnnotations(fake)).message).toMatch(/video5.*caption/);
  });

  it("an MSVD caption for a video the mapping lacks", () => {
    const dir = join(tmp, "fake-msvd");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "youtube_video_to_id_mapping.txt"), "abc_1_2 vid1\n");
    writeFileSync(join(dir, "sents_train_lc_nopunc.txt"), "vid1\ta cat\n");
    writeFileSync(join(dir, "sents_val_lc_nopunc.txt"), "");
    writeFileSync(join(dir, "sents_test_lc_nopunc.txt"), "vid9\ta dog\n");
    const e = thrown(() => loadMsvdAnnotations(dir));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(join(dir, "sents_test_lc_nopunc.txt:1"));
    expect(e.message).toContain('"vid9"');
  });
});

describe("category.txt with another numbering is refused", () => {
  it("names the file and the category", () => {
    const dir = join(tmp, "renumbered");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "category.txt"), "people\t0\nmusic\t1\n");
    const e = thrown(() => loadMsrvttAnnotations(dir));
    expect(e.code).toBe("BAD_FILE");
    expect(e.message).toContain(join(dir, "category.txt"));
    expect(e.message).toContain('expected "music"');
  });
});
