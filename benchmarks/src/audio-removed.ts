/**
 * Audio removed from the target domains (this was `cross-dataset` before it became cross-dataset): meta-train on
 * the source domains, then transfer to the whole meta-test set of the same dataset as one target, once with its
 * audio (multi-modal, like MSR-VTT-dagger) and once with the audio removed from every target domain. Without audio,
 * TAVT adapts with L_cap only, its AVMM frozen, and A_rec stands in for the audio (TAVT (A_rec)); the concatenation
 * baseline gets zeros in place of audio. The visual and caption distributions are the same dataset's: for transfer
 * to another dataset see `cross-dataset`.
 */
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { ALL_TARGETS, settings, targetDomainsOf } from "./lib/settings";
import { runTransfer, type TransferResult } from "./lib/transfer";

const DESCRIPTION =
  "Audio removed from the target domains: the same dataset's meta-test set as one target, with and without its audio.";

await benchmarkMain({ name: "audio-removed", description: DESCRIPTION }, async (o, out) => {
  const variants = [
    { name: "TAVT (MAML)", sets: ["model.kind=tavt", "meta.learner=maml"] },
    { name: "vanilla transformer (MAML)", sets: ["model.kind=vanillaTransformer", "meta.learner=maml"] },
    { name: "visual+audio concat (MAML)", sets: ["model.kind=concatAvTransformer", "meta.learner=maml"] },
  ];
  const base = settings(o).sets;
  const domains = await targetDomainsOf(settings(o)); // the uni-modal setting removes the audio of exactly these
  const targets = (c: { data: { targetDomains: string[] | null } }) => ALL_TARGETS(c, domains);
  const rows: TransferResult["rows"] = [];
  const results: TransferResult[] = [];
  for (const [setting, extra] of [
    ["multi-modal target", []],
    ["uni-modal target (audio absent)", [`data.audioAbsentDomains=[${domains.join(",")}]`]],
  ] as const) {
    const r = await runTransfer({
      jobs: o.jobs,
      preset: settings(o).preset,
      sets: [...base, ...extra],
      variants,
      seeds: o.seeds,
      targets,
      out,
    });
    for (const row of r.rows) {
      const audioAbsent = extra.length > 0;
      const method = audioAbsent && row.method.startsWith("TAVT") ? "TAVT (A_rec)" : row.method;
      rows.push({ ...row, method, target: setting });
    }
    results.push(r);
  }
  await report(
    {
      rows,
      configs: results[0]!.configs,
      captions: results.find((r) => r.captions.length > 0)?.captions ?? [],
      curves: results.flatMap((r, i) =>
        r.curves.map((c) => ({ ...c, method: `${c.method}, ${i === 0 ? "multi-modal" : "uni-modal"} target` })),
      ),
      seconds: results.reduce((a, r) => a + r.seconds, 0),
      jobs: results[0]!.jobs,
    },
    {
      benchmark: "audio-removed",
      title: "Audio removed from the target domains: source domains -> the meta-test set with and without its audio",
      command: commandLine("audio-removed", o),
      metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
      by: ["target"],
      seeds: o.seeds,
      dir: resultsDir(o, "audio-removed"),
      out,
    },
  );
});
