import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** tools/fixtures/metrics (written by tools/metrics/make_fixtures.py from the public reference code). */
export const FIXTURES = join(here, "..", "..", "..", "tools", "fixtures", "metrics");
/** The shared real data, `../shared/data` from the repository root; absent in a user's clone. */
export const SHARED_DATA = join(here, "..", "..", "..", "..", "shared", "data");

export interface ScoreFixture {
  ids: string[];
  refs?: Record<string, string[]>;
  cands?: Record<string, string>;
  corpus: Record<string, number>;
  items: Record<string, number[]>;
}

export function readFixture<T = ScoreFixture>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as T;
}

/** MSR-VTT test split as the reference script builds it: candidate = lowest sen_id caption, refs = the rest. */
export function msrvttTestSplit(): { refs: Record<string, string[]>; cands: Record<string, string> } | undefined {
  const file = join(SHARED_DATA, "msrvtt", "test_videodatainfo.json");
  if (!existsSync(file)) return undefined;
  const info = JSON.parse(readFileSync(file, "utf8")) as {
    sentences: { video_id: string; caption: string; sen_id: number }[];
  };
  const byVideo = new Map<string, { caption: string; sen_id: number }[]>();
  for (const s of info.sentences) {
    const list = byVideo.get(s.video_id) ?? [];
    list.push(s);
    byVideo.set(s.video_id, list);
  }
  const ids = [...byVideo.keys()].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const refs: Record<string, string[]> = {};
  const cands: Record<string, string> = {};
  for (const id of ids) {
    const caps = byVideo
      .get(id)!
      .sort((a, b) => a.sen_id - b.sen_id)
      .map((s) => s.caption);
    cands[id] = caps[0]!;
    refs[id] = caps.slice(1);
  }
  return { refs, cands };
}
