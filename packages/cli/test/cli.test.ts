import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run, tempDir } from "./helpers";

/** A user error: exit 2 and exactly one line on stderr, no stack trace. */
function expectUserError(r: { code: number; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tavt: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("tavt exit codes and one-line errors", () => {
  it("--help exits 0 and every command has an example", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    for (const cmd of [
      ["train"],
      ["adapt"],
      ["eval"],
      ["caption"],
      ["score"],
      ["data", "synth"],
      ["data", "stats"],
      ["domains", "msrvtt"],
      ["features", "extract"],
      ["bench", "speed"],
    ]) {
      const h = await run(...cmd, "--help");
      expect(h.code).toBe(0);
      expect(h.stdout).toContain("Example:");
    }
  });

  it("`tavt` or `tavt data` without a subcommand prints help on stderr and exits 1", async () => {
    for (const argv of [[], ["data"], ["clusters"], ["bench"], ["domains"]]) {
      const r = await run(...argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Usage: tavt${argv.length ? ` ${argv[0]}` : ""} [options] [command]`);
      expect(r.stdout).toBe("");
    }
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string };
    const r = await run("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  const bin = join(__dirname, "..", "dist", "bin.js");
  it.skipIf(!existsSync(bin))(
    "the built `tavt --version` prints the package's version (needs dist/: build first)",
    () => {
      const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
        version: string;
      };
      const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    },
  );

  it("bench speed: --size names the model size; the old --config spelling exits 2 naming --size", async () => {
    expectUserError(await run("bench", "speed", "--config", "tiny"), /bench speed --config was renamed --size/);
    expectUserError(await run("bench", "speed", "--size", "huge"), /--size huge: expected one of tiny, S, paper/);
    const h = await run("bench", "speed", "--help");
    expect(h.stdout).toContain("--size <name>");
    expect(h.stdout).not.toContain("--config");
  });

  it("an unknown option or a missing required option is a user error", async () => {
    expectUserError(await run("data", "stats", "--bogus"), /unknown option '--bogus'/);
    expectUserError(await run("score", "--refs", "x.json"), /--cands/);
  });

  it("a broken YAML file and a key of the wrong type exit 2 naming the problem", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "broken.yaml"), "model: {dim: 3\n");
    expectUserError(await run("train", "-c", join(dir, "broken.yaml"), "--out", dir), /broken\.yaml: not valid YAML/);
    writeFileSync(join(dir, "typed.yaml"), "model:\n  dim: wide\n");
    expectUserError(
      await run("train", "-c", join(dir, "typed.yaml"), "--out", dir),
      /typed\.yaml: model\.dim: expected number, received string/,
    );
    expectUserError(await run("data", "stats", "--set", "train.steps=-2"), /train\.steps: Too small/);
  });

  it("a missing features file exits 2 naming it", async () => {
    const r = await run(
      "data",
      "stats",
      "--data",
      "msrvtt",
      "--annotations",
      "/nonexistent/msrvtt",
      "--features",
      "/nonexistent/feats.h5",
    );
    expectUserError(r, /nonexistent/);
  });

  it("score: results as a table or JSON; bad refs/cands exit 2 naming the file and the id", async () => {
    const dir = tempDir();
    const refs = join(dir, "refs.json");
    const cands = join(dir, "cands.json");
    writeFileSync(
      refs,
      JSON.stringify({ v1: ["a man is cooking food", "someone cooks"], v2: ["a dog runs on grass"] }),
    );
    writeFileSync(
      cands,
      JSON.stringify([
        { video_id: "v1", caption: "a man cooks food" },
        { video_id: "v2", caption: "a dog runs" },
      ]),
    );
    const json = await run("score", "--refs", refs, "--cands", cands, "--json", "--metrics", "bleu,rouge,cider");
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(["Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"]);
    const table = await run("score", "--refs", refs, "--cands", cands, "--metrics", "rouge");
    expect(table.stdout).toMatch(/^ROUGE_L\s+0\.\d{4}\n$/);

    writeFileSync(join(dir, "orphan.json"), JSON.stringify({ v9: "a cat" }));
    expectUserError(await run("score", "--refs", refs, "--cands", join(dir, "orphan.json")), /refs\.json: .*v9/);
    writeFileSync(join(dir, "nonstring.json"), JSON.stringify({ v1: 42 }));
    expectUserError(
      await run("score", "--refs", refs, "--cands", join(dir, "nonstring.json")),
      /nonstring\.json: .*v1/,
    );
    writeFileSync(join(dir, "empty.json"), JSON.stringify({ v1: [] }));
    expectUserError(await run("score", "--refs", join(dir, "empty.json"), "--cands", cands), /empty\.json: .*v1/);
    writeFileSync(join(dir, "broken.json"), "{ v1: ");
    expectUserError(
      await run("score", "--refs", join(dir, "broken.json"), "--cands", cands),
      /broken\.json: not valid JSON/,
    );
    expectUserError(
      await run("score", "--refs", join(dir, "missing.json"), "--cands", cands),
      /missing\.json: file not found/,
    );
    expectUserError(
      await run("score", "--refs", refs, "--cands", cands, "--metrics", "bleu,spice"),
      /unknown metric "spice"/,
    );
  });

  it("score --no-tokenize gives the COCO caption code's corpus scores on 300 MSR-VTT test videos", async () => {
    // tools/fixtures/metrics/msrvtt-test-300.json: pycocoevalcap and Meteor 1.5 on these captions, as given.
    const fx = JSON.parse(
      readFileSync(join(__dirname, "../../../tools/fixtures/metrics/msrvtt-test-300.json"), "utf8"),
    ) as { refs: Record<string, string[]>; cands: Record<string, string>; corpus: Record<string, number> };
    const dir = tempDir();
    writeFileSync(join(dir, "refs.json"), JSON.stringify(fx.refs));
    writeFileSync(join(dir, "cands.json"), JSON.stringify(fx.cands));
    const r = await run(
      "score",
      "--refs",
      join(dir, "refs.json"),
      "--cands",
      join(dir, "cands.json"),
      "--no-tokenize",
      "--json",
    );
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(got).sort()).toEqual(Object.keys(fx.corpus).sort());
    for (const [k, want] of Object.entries(fx.corpus))
      expect(Math.abs(got[k]! - want), `${k}: ${got[k]} vs ${want}`).toBeLessThanOrEqual(1e-9 + 1e-6 * want);
  });

  const msrvtt = join(__dirname, "../../../../shared/data/msrvtt");
  it.skipIf(!existsSync(msrvtt))(
    `domains msrvtt --json prints Table 1's counts${existsSync(msrvtt) ? "" : ` - SKIPPED: ${msrvtt} is absent (the real MSR-VTT annotations live outside the repository)`}`,
    async () => {
      const r = await run("domains", "msrvtt", "--annotations", msrvtt, "--json");
      expect(r.code).toBe(0);
      const counts = JSON.parse(r.stdout) as Record<string, { count: number }>;
      expect(counts.News!.count).toBe(1727);
      expect(counts.Beauty!.count).toBe(478);
    },
  );
});
