import { readFileSync } from "node:fs";
import { TavtError } from "@tavt/core";
import { ALL_METRICS, type MetricName, readCandidates, readReferences, score } from "@tavt/metrics";
import { Command } from "commander";
import { usageError } from "../errors";
import { paraphraseMeteor } from "../pipeline/evaluate";
import { type CommonOptions, example, outputOf, withCommon } from "./common";

interface ScoreCliOptions extends CommonOptions {
  refs: string;
  cands: string;
  tokenize: boolean;
  metrics?: string;
  paraphraseTable?: string;
}

/** Parse a JSON file; a missing, unreadable or malformed file is a user error naming it. */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : "cannot be read";
    throw new TavtError("BAD_INPUT", `${file}: ${why}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TavtError("BAD_INPUT", `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
}

function parseMetrics(list: string | undefined): MetricName[] {
  if (!list) return [...ALL_METRICS];
  const names = list
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!(ALL_METRICS as readonly string[]).includes(n)) {
      throw usageError(`--metrics: unknown metric "${n}" (expected some of ${ALL_METRICS.join(",")})`);
    }
  }
  if (names.length === 0) throw usageError(`--metrics: give at least one of ${ALL_METRICS.join(",")}`);
  return names as MetricName[];
}

/** `tavt score`: coco-caption's BLEU-1..4, METEOR, ROUGE-L and CIDEr-D of candidate captions (@tavt/metrics). */
export function scoreCommand(): Command {
  const cmd = withCommon(
    new Command("score")
      .description("score captions as the COCO caption evaluation code does: BLEU-1..4, METEOR, ROUGE-L, CIDEr-D")
      .requiredOption("--refs <file>", 'references JSON: {"id": ["caption", ...], ...}')
      .requiredOption(
        "--cands <file>",
        'candidates JSON: {"id": "caption"} or [{"image_id" or "video_id": id, "caption": text}, ...]',
      )
      .option("--no-tokenize", "the captions are already tokenized (skip the PTB tokenizer)")
      .option("--metrics <list>", "comma-separated subset of bleu,meteor,rouge,cider")
      .option(
        "--paraphrase-table <file>",
        "METEOR with its paraphrase module, as the COCO caption code runs it: Meteor 1.5's paraphrase-en.gz",
      ),
  ).action((o: ScoreCliOptions) => {
    const out = outputOf(o);
    const metrics = parseMetrics(o.metrics);
    const refs = readReferences(readJsonFile(o.refs), o.refs);
    const cands = readCandidates(readJsonFile(o.cands), o.cands);
    const t0 = performance.now();
    const meteor = o.paraphraseTable ? paraphraseMeteor(o.paraphraseTable, "--paraphrase-table") : undefined;
    const result = score(refs, cands, {
      metrics,
      tokenize: o.tokenize,
      ...(meteor ? { meteor } : {}),
      files: { refsFile: o.refs, candsFile: o.cands },
    });
    const scores = Object.fromEntries(Object.entries(result).filter(([, v]) => typeof v === "number")) as Record<
      string,
      number
    >;
    out.note(`scored ${Object.keys(cands).length} candidates in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
    out.result(scores, () => {
      const width = Math.max(...Object.keys(scores).map((k) => k.length));
      return Object.entries(scores)
        .map(([k, v]) => `${k.padEnd(width)}  ${v.toFixed(4)}`)
        .join("\n");
    });
  });
  return example(
    cmd,
    "pnpm tavt score --refs refs.json --cands cands.json",
    "pnpm tavt score --refs refs.json --cands results.json --metrics bleu,cider --json",
    "pnpm tavt score --refs refs.json --cands cands.json --paraphrase-table paraphrase-en.gz",
  );
}
