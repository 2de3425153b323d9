/**
 * Paper Table 2 (cross-dataset transfer): meta-train on one dataset's source domains (MSR-VTT's), then adapt to and
 * test on another dataset (MSVD): one domain, no audio, its own visual and caption distributions. TAVT adapts with
 * L_cap, its AVMM frozen, and A_rec stands in for the missing audio (section 3.4); the concatenation baseline gets
 * zeros for audio. Rows: TAVT, the vanilla and the concatenation transformers (all MAML), and TAVT trained jointly.
 *
 * On the embedded data the target is the MSVD-like synthetic set (@tavt/datasets `makeMsvdLike`); with real data:
 *   --data msrvtt --annotations DIR --features PATH --audio-features PATH
 *   --target-data msvd --target-annotations DIR --target-features PATH
 */
import { learnerVariants } from "./lib/learners";
import { report } from "./lib/report";
import { benchmarkMain, commandLine, resultsDir } from "./lib/run";
import { crossCategoryVariants, settings } from "./lib/settings";
import { runTransfer } from "./lib/transfer";

const DESCRIPTION =
  "Cross-dataset transfer (paper Table 2): meta-train on MSR-VTT's source domains (embedded: the synthetic MSR-VTT-like set), adapt to and test on MSVD (embedded: the MSVD-like set).";

await benchmarkMain(
  {
    name: "cross-dataset",
    description: DESCRIPTION,
    extra: ["targetData", "targetAnnotations", "targetFeatures", "learner"],
  },
  async (o, out) => {
    const s = settings(o);
    // the embedded MSVD-like target unless --target-data (or --set data.target.source=...) names one
    const target =
      o.targetData || s.sets.some((x) => x.startsWith("data.target.source=")) ? [] : ["data.target.source=synthetic"];
    const result = await runTransfer({
      jobs: o.jobs,
      preset: s.preset,
      sets: [...target, ...s.sets],
      variants: [...crossCategoryVariants(s.preset), ...(await learnerVariants(o))],
      seeds: o.seeds,
      out,
    });
    await report(result, {
      benchmark: "cross-dataset",
      title: "Cross-dataset transfer (paper Table 2): MSR-VTT source domains -> MSVD (no audio)",
      command: commandLine("cross-dataset", o),
      metrics: ["BLEU1", "BLEU4", "METEOR", "ROUGE_L", "CIDEr"],
      by: ["target"],
      seeds: o.seeds,
      dir: resultsDir(o, "cross-dataset"),
      out,
    });
  },
);
