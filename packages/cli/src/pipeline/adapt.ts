import { type ParamTree, rng } from "@tavt/core";
import { type CaptionBatch, disposeBatch, miniBatches } from "@tavt/datasets";
import { metaTest } from "@tavt/meta";
import type { Output } from "../output";
import { createProgress } from "../progress";
import { batchOf, domainHasAudio } from "./data";
import type { Experiment } from "./experiment";
import { captionLossOf } from "./model";

/** What `adaptExperiment` returns: the adapted parameters and the adaptation's losses. */
export interface AdaptResult {
  /** Adapted theta (new tensors: the caller owns them). */
  params: ParamTree;
  /** The target domain(s) adapted to (several: their union, e.g. the paper's MSR-VTT-dagger). */
  domains: string[];
  /** "full" (L, the target has audio) or "cap" (L_cap with AVMM frozen, section 3.4). */
  lossUsed: "full" | "cap";
  supportVideos: number;
  losses: number[];
  seconds: number;
}

/**
 * The target's support set D_s: its train split, a seeded `adapt.fraction` of it (Figure 5).
 *
 * @param exp - The prepared experiment.
 * @param domains - One target domain, or several adapted together.
 * @param fraction - The share of the train split to use (`adapt.fraction` by default); at least one video.
 * @returns The support set's video ids.
 */
export function supportIds(
  exp: Experiment,
  domains: string | readonly string[],
  fraction = exp.config.adapt.fraction,
): string[] {
  const list = typeof domains === "string" ? [domains] : [...domains];
  const domain = list.join("+");
  const ids = exp.data.dataset.ids({ domains: list, split: "train" });
  const n = Math.max(1, Math.round(ids.length * fraction));
  if (n >= ids.length) return ids;
  const perm = rng.permutation(rng.foldIn(exp.key, `support:${domain}`), ids.length);
  return Array.from(perm.subarray(0, n), (i) => ids[i]!);
}

/**
 * Meta-test adaptation on a target domain (Algorithm 1, lines 12-16): `adapt.steps` SGD or Adam steps over its support
 * set, with the full loss where the target has audio, else L_cap with the AVMM frozen (A_rec stands in).
 *
 * @param exp - The prepared experiment.
 * @param params - The meta-trained theta (not disposed).
 * @param domains - One target domain, or several adapted together.
 * @param options - `out` for progress, a progress `label`, and the support `fraction`.
 * @returns The adapted parameters, the domains, which loss adapted, the support size, the losses and the seconds.
 */
export async function adaptExperiment(
  exp: Experiment,
  params: ParamTree,
  domains: string | readonly string[],
  options: { out: Output; label?: string; fraction?: number },
): Promise<AdaptResult> {
  const { config, learner, captioner } = exp;
  const t0 = performance.now();
  const list = typeof domains === "string" ? [domains] : [...domains];
  const domain = list.join("+");
  const ids = supportIds(exp, list, options.fraction);
  const key = rng.foldIn(exp.key, `adapt:${domain}`);
  const k = rng.splitNamed(key, ["order", "captions", "steps"]);
  const chunks = miniBatches(ids, config.adapt.batchSize, k.order);
  const ck = rng.split(k.captions, chunks.length);
  const support: CaptionBatch[] = chunks.map((c, i) => batchOf(exp.data.dataset.samples(c), exp.data, config, ck[i]));
  const losses: number[] = [];
  const progress = createProgress(options.out, {
    label: options.label ?? `adapt ${domain}`,
    total: config.adapt.steps,
  });
  try {
    // Baselines have no AVMM: their loss is L_cap whatever the audio, so "with audio" for them.
    const withAudio = config.model.kind !== "tavt" || list.every((d) => domainHasAudio(exp.data.dataset, d));
    const r = await metaTest<CaptionBatch, undefined>({
      params,
      learner,
      support,
      withAudio,
      loss: captioner.lossFn({ training: true }),
      captionLoss: captionLossOf(captioner),
      frozenWhenAudioAbsent:
        captioner.frozenWhenAudioAbsent.length > 0 ? [...captioner.frozenWhenAudioAbsent] : () => false,
      steps: config.adapt.steps,
      lr: config.adapt.lr ?? undefined,
      optimizer: config.adapt.optimizer ?? undefined,
      key: k.steps,
      onStep: (step, loss) => {
        losses.push(loss);
        progress.update(step + 1, { loss });
      },
    });
    return {
      params: r.params!,
      domains: list,
      lossUsed: r.lossUsed,
      supportVideos: ids.length,
      losses,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    progress.stop();
    for (const b of support) disposeBatch(b);
  }
}
