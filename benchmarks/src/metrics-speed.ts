/**
 * Speed of @tavt/metrics on the whole MSR-VTT test split: 2,990 videos, the caption with the lowest sen_id held
 * out as the candidate, the other 19 as references (captions scored as given, tokenize: false, as the parity
 * tests). Prints seconds per metric (wall clock and CPU of this process) and the total, then one JSON line.
 * Imports @tavt/metrics from its built dist (`pnpm --filter @tavt/metrics build` first).
 *
 *   pnpm nx run benchmarks:metrics-speed          (tsx src/metrics-speed.ts, cwd benchmarks/)
 *   pnpm nx run benchmarks:metrics-speed:quick    (--quick: the first 300 videos)
 *   tsx src/metrics-speed.ts --meteor-warm        (also: METEOR again with a second fresh scorer, V8 warm, and
 *                                                  once more on the same scorer, every word type already set up)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bleu, ciderD, MeteorScorer, rougeL, score } from "@tavt/metrics";
import { scriptHelp } from "./lib/help";

const quick = scriptHelp("metrics-speed", "Speed of @tavt/metrics on the MSR-VTT test split.", [
  { flag: "--quick", text: "the first 300 videos" },
  { flag: "--meteor-warm", text: "also METEOR with a fresh and a warm scorer" },
]);
const meteorWarm = process.argv.includes("--meteor-warm");
const file = join("..", "..", "shared", "data", "msrvtt", "test_videodatainfo.json");
if (!existsSync(file)) {
  console.log(`metrics-speed: ${file} is absent (no shared data in this clone); nothing to measure.`);
  process.exit(0);
}

const info = JSON.parse(readFileSync(file, "utf8")) as {
  sentences: { video_id: string; caption: string; sen_id: number }[];
};
const byVideo = new Map<string, { caption: string; sen_id: number }[]>();
for (const s of info.sentences) {
  const list = byVideo.get(s.video_id) ?? [];
  list.push(s);
  byVideo.set(s.video_id, list);
}
let ids = [...byVideo.keys()].sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
if (quick) ids = ids.slice(0, 300);
const refs: string[][] = [];
const cands: string[] = [];
for (const id of ids) {
  const caps = byVideo
    .get(id)!
    .sort((a, b) => a.sen_id - b.sen_id)
    .map((s) => s.caption);
  cands.push(caps[0]!);
  refs.push(caps.slice(1));
}

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const rows: [string, { wall: number; cpu: number }][] = [];
const b = timed(() => bleu(refs, cands));
rows.push(["BLEU-1..4", b]);
const load = timed(() => new MeteorScorer());
rows.push(["METEOR load", load]);
const m = timed(() => load.value.score(refs, cands));
rows.push(["METEOR", m]);
const r = timed(() => rougeL(refs, cands));
rows.push(["ROUGE-L", r]);
const c = timed(() => ciderD(refs, cands));
rows.push(["CIDEr-D", c]);
const total = rows.reduce((acc, [, t]) => ({ wall: acc.wall + t.wall, cpu: acc.cpu + t.cpu }), { wall: 0, cpu: 0 });
// The same through score() with the PTB tokenizer path on (what `tavt score` runs by default).
const refsById = Object.fromEntries(ids.map((id, i) => [id, refs[i]!]));
const candsById = Object.fromEntries(ids.map((id, i) => [id, cands[i]!]));
const full = timed(() => score(refsById, candsById, { meteor: load.value }));

console.log(`MSR-VTT test: ${ids.length} videos, 1 candidate + ${refs[0]!.length} references each`);
console.log("metric          wall s    cpu s");
for (const [name, t] of [...rows, ["total", total] as const, ["score()+tok", full] as const])
  console.log(`${name.padEnd(14)} ${t.wall.toFixed(3).padStart(7)}  ${t.cpu.toFixed(3).padStart(7)}`);
if (meteorWarm) {
  const fresh = new MeteorScorer();
  const again = timed(() => fresh.score(refs, cands));
  const same = timed(() => fresh.score(refs, cands));
  console.log(
    `METEOR, fresh scorer, V8 warm   ${again.wall.toFixed(3).padStart(7)}  ${again.cpu.toFixed(3).padStart(7)}`,
  );
  console.log(
    `METEOR, same scorer again       ${same.wall.toFixed(3).padStart(7)}  ${same.cpu.toFixed(3).padStart(7)}`,
  );
}
console.log(
  JSON.stringify({
    videos: ids.length,
    seconds: Object.fromEntries(rows.map(([k, t]) => [k, Number(t.wall.toFixed(4))])),
    total: Number(total.wall.toFixed(4)),
    scoreWithTokenizer: Number(full.wall.toFixed(4)),
    corpus: { Bleu_4: b.value.corpus[3], METEOR: m.value.corpus, ROUGE_L: r.value.corpus, CIDEr: c.value.corpus },
  }),
);
