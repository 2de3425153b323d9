import { datasetStats, PAPER_DOMAINS, writeSynthetic } from "@tavt/datasets";
import { Command, Option } from "commander";
import { usageError } from "../errors";
import { loadExperimentData } from "../pipeline/data";
import { alignedTable } from "../report/tables";
import {
  type CommonOptions,
  type ConfigOptions,
  configOf,
  example,
  outputOf,
  parseInt10,
  withCommon,
  withConfig,
} from "./common";

interface SynthOptions extends CommonOptions {
  out: string;
  videos?: string;
  seed?: string;
  format: "npy" | "npz" | "hdf5";
  audioAbsent?: string;
}

export function dataCommand(): Command {
  const data = new Command("data").description("the embedded synthetic benchmark and dataset statistics");

  const synth = withCommon(
    new Command("synth")
      .description("write the embedded synthetic benchmark as a dataset directory (annotations.json + feature stores)")
      .requiredOption("-o, --out <dir>", "output directory")
      .option("--videos <n>", "videos in total (default 2000)")
      .option("--seed <n>", "generator seed (default 0)")
      .addOption(new Option("--format <format>", "feature store layout").choices(["npy", "npz", "hdf5"]).default("npy"))
      .option("--audio-absent <domains>", "comma-separated domains written without audio (e.g. Animation)"),
  ).action(async (o: SynthOptions) => {
    const out = outputOf(o);
    const audioAbsent = o.audioAbsent ? o.audioAbsent.split(",").map((s) => s.trim()) : [];
    for (const d of audioAbsent) {
      if (!(PAPER_DOMAINS as readonly string[]).includes(d)) {
        throw usageError(`--audio-absent: unknown domain "${d}" (domains: ${PAPER_DOMAINS.join(", ")})`);
      }
    }
    const t0 = performance.now();
    const file = await writeSynthetic(
      o.out,
      {
        ...(o.videos !== undefined ? { videos: parseInt10("--videos", o.videos) } : {}),
        ...(o.seed !== undefined ? { seed: parseInt10("--seed", o.seed) } : {}),
        audioAbsentDomains: audioAbsent,
      },
      { format: o.format },
    );
    const summary = {
      out: o.out,
      format: o.format,
      videos: file.videos.length,
      domains: [...new Set(file.videos.map((v) => v.domain))].length,
      features: file.features,
      seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
    };
    out.result(
      summary,
      () =>
        `wrote ${summary.videos} videos in ${summary.domains} domains to ${o.out} (${o.format}: ${file.features.visual}, ${file.features.audio ?? "no audio"}); read it with --data dir --annotations ${o.out}`,
    );
  });
  example(synth, "pnpm tavt data synth --out /tmp/synthetic --videos 500 --format npz");
  data.addCommand(synth);

  const stats = withConfig(
    new Command("stats").description("per-domain counts, captions per video and vocabulary size"),
  ).action(async (o: ConfigOptions) => {
    const out = outputOf(o);
    const config = configOf(o);
    const d = await loadExperimentData(config);
    const s = datasetStats(d.dataset, { minCount: config.data.minCount });
    out.result(
      { dataset: d.dataset.name, rows: s.rows, vocabularySize: s.vocabularySize, distinctWords: s.distinctWords },
      () =>
        [
          `dataset ${d.dataset.name}`,
          alignedTable(s.rows as unknown as Record<string, string | number | null>[]),
          `vocabulary: ${s.vocabularySize} tokens (words seen at least ${config.data.minCount} times + 4 special), ${s.distinctWords} distinct words`,
        ].join("\n"),
    );
  });
  example(stats, "pnpm tavt data stats", "pnpm tavt data stats --data dir --annotations /tmp/synthetic --json");
  data.addCommand(stats);
  return data;
}
