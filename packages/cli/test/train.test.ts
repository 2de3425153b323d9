import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeSafetensors, initBackend } from "@tavt/core";
import { writeFeatureStore } from "@tavt/datasets";
import { score } from "@tavt/metrics";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { run, TINY, tempDir } from "./helpers";

const MODEL = ["--set", "model.kind=concatAvTransformer"];

/** Every tensor of a safetensors file as raw bytes by name (bitwise comparison). */
function tensorsOf(file: string): Record<string, string> {
  const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
  const out: Record<string, string> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = Buffer.from((t.dataSync() as Float32Array).buffer).toString("base64");
    t.dispose();
  }
  return out;
}

describe("tavt train: checkpoints and --resume", () => {
  beforeAll(async () => {
    await initBackend();
  });

  it("a run stopped mid-way and resumed ends with bitwise the same parameters as an uninterrupted run", async () => {
    const whole = tempDir();
    const parted = tempDir();
    const a = await run("train", "--preset", "quick", ...TINY, ...MODEL, "--seed", "3", "--out", whole, "-q");
    expect(a.code).toBe(0);
    // The learning curve: every step's loss, and the validation loss at step 0, every validateEvery steps and the end.
    const curve = JSON.parse(readFileSync(join(whole, "curve.json"), "utf8"));
    expect(curve.steps.map((x: { step: number }) => x.step)).toEqual([1, 2, 3, 4]);
    for (const x of curve.steps) expect(Number.isFinite(x.loss) && Number.isFinite(x.lr)).toBe(true);
    expect(curve.validation.map((v: { step: number }) => v.step)).toEqual([0, 3, 4]);
    for (const v of curve.validation) expect(v.nll).toBeGreaterThan(0);
    // The same run, stopped after 3 steps (its last checkpoint is step 2), then resumed.
    const b = await run(
      "train",
      "--preset",
      "quick",
      ...TINY,
      ...MODEL,
      "--seed",
      "3",
      "--out",
      parted,
      "-q",
      "--stop-after",
      "3",
    );
    expect(b.code).toBe(0);
    expect(existsSync(join(parted, "model.safetensors"))).toBe(false);
    const state = decodeSafetensors(new Uint8Array(readFileSync(join(parted, "checkpoint.safetensors"))));
    expect(state.metadata.step).toBe("2");
    for (const t of Object.values(state.tensors)) t.dispose();
    const c = await run("train", "--resume", parted, "-q", "--json");
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ step: 4, stopped: false });
    const x = tensorsOf(join(whole, "model.safetensors"));
    const y = tensorsOf(join(parted, "model.safetensors"));
    expect(Object.keys(y).sort()).toEqual(Object.keys(x).sort());
    for (const name of Object.keys(x)) expect(y[name], name).toBe(x[name]);
    // A different seed gives different parameters (the comparison can fail).
    const other = tempDir();
    await run("train", "--preset", "quick", ...TINY, ...MODEL, "--seed", "4", "--out", other, "-q");
    const z = tensorsOf(join(other, "model.safetensors"));
    expect(Object.keys(x).some((n) => z[n] !== x[n])).toBe(true);
    // The resolved config and seed are saved beside the model; no temp files are left behind.
    const saved = parse(readFileSync(join(whole, "config.yaml"), "utf8"));
    expect(saved.seed).toBe(3);
    expect(saved.model.kind).toBe("concatAvTransformer");
    expect(saved.train.steps).toBe(4);
    expect(readdirSync(parted).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // adapt + eval on the trained model write the config beside their results.
    const adapted = tempDir();
    expect((await run("adapt", "--model", whole, "--domain", "Kids", "--out", adapted, "-q")).code).toBe(0);
    const evalDir = tempDir();
    const e = await run("eval", "--model", adapted, "--domain", "Kids", "--out", evalDir, "-q", "--json");
    expect(e.code).toBe(0);
    const row = JSON.parse(e.stdout).rows[0];
    expect(row.domain).toBe("Kids");
    expect(row.videos).toBeGreaterThan(0);
    expect(row.videos).toBeLessThanOrEqual(3); // eval.limit
    for (const m of ["BLEU4", "METEOR", "ROUGE_L", "CIDEr"]) expect(Number.isFinite(row[m])).toBe(true);
    // The row scores the captions eval wrote, against their references (@tavt/metrics, which the metrics package
    // checks against the COCO caption code), x100.
    const written = JSON.parse(readFileSync(join(evalDir, "captions.json"), "utf8")) as {
      id: string;
      caption: string;
      references: string[];
    }[];
    expect(written).toHaveLength(row.videos);
    const s = score(
      Object.fromEntries(written.map((c) => [c.id, c.references])),
      Object.fromEntries(written.map((c) => [c.id, c.caption])),
    );
    const want: Record<string, number> = {
      BLEU1: s.Bleu_1,
      BLEU4: s.Bleu_4,
      METEOR: s.METEOR,
      ROUGE_L: s.ROUGE_L,
      CIDEr: s.CIDEr,
    };
    for (const [m, v] of Object.entries(want)) expect(row[m], m).toBeCloseTo(100 * v, 9);
    expect(want.BLEU1, "some word of the untrained model's captions is in a reference").toBeGreaterThan(0);
    expect(parse(readFileSync(join(evalDir, "config.yaml"), "utf8")).seed).toBe(3);
    // Without -q, eval shows its progress on stderr (a line per step here: stderr is not a terminal).
    const shown = await run("eval", "--model", adapted, "--domain", "Kids");
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain(`[eval test] step ${row.videos}/${row.videos} elapsed`);
    expect(shown.stderr).toContain(`captioned ${row.videos} Kids videos`);

    // caption: features in, captions out, with progress on stderr.
    const feats = join(tempDir(), "visual.npz");
    await writeFeatureStore(
      feats,
      "npz",
      ["a", "b", "c"].map((id, v) => ({
        id,
        data: Float32Array.from({ length: 6 * 24 }, (_, j) => Math.sin(v + j)),
        shape: [6, 24] as const,
      })),
    );
    const cap = await run("caption", "--model", adapted, "--features", feats, "--json");
    expect(cap.code).toBe(0);
    expect((JSON.parse(cap.stdout) as { id: string }[]).map((c) => c.id)).toEqual(["a", "b", "c"]);
    expect(cap.stderr).toMatch(/\[caption\] step 3\/3 elapsed/);
    expect(JSON.parse(readFileSync(join(evalDir, "run.json"), "utf8")).seeds).toEqual([3]);

    // A corrupt (truncated) checkpoint: exit 2 with one line naming the file.
    const bytes = readFileSync(join(parted, "checkpoint.safetensors"));
    writeFileSync(join(parted, "checkpoint.safetensors"), bytes.subarray(0, bytes.length >> 1));
    const r = await run("train", "--resume", parted, "-q");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/checkpoint\.safetensors: not a valid safetensors file/);
    writeFileSync(join(adapted, "model.safetensors"), "not safetensors at all");
    const r2 = await run("eval", "--model", adapted, "-q");
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/model\.safetensors: not a valid safetensors file/);
  });

  it("resume needs a run directory", async () => {
    const r = await run("train", "--resume", tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.yaml: not found/);
  });
});
