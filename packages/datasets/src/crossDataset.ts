import { TavtError } from "@tavt/core";
import { CaptionDataset } from "./dataset";
import type { FeatureStore } from "./stores/store";
import { UnionStore } from "./stores/union";

/**
 * The cross-dataset setting of Table 2: meta-train on `source`'s source domains, adapt to and test on `target`'s
 * domains (e.g. MSR-VTT -> MSVD). One `CaptionDataset` holds both: the source's source-domain videos and every
 * video of the target dataset, whose domains become the only target domains. A target without audio is
 * audio-absent. Video ids must not collide (a `TavtError` names the first that does).
 *
 * @param source - The dataset whose source domains meta-train.
 * @param target - The dataset whose domains become the targets.
 * @returns One dataset holding both (feature stores joined).
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a video id in both datasets, or a target domain that is a
 *   source domain of `source`.
 */
export function joinTargetDataset(source: CaptionDataset, target: CaptionDataset): CaptionDataset {
  const sourceVideos = source.videos.filter((v) => source.sourceDomains.includes(v.domain));
  const ids = new Set(sourceVideos.map((v) => v.id));
  for (const v of target.videos) {
    if (ids.has(v.id)) {
      throw new TavtError(
        "BAD_INPUT",
        `cross-dataset: video id "${v.id}" is in both ${source.name} and ${target.name}; ids must be distinct`,
        { id: v.id },
      );
    }
  }
  for (const d of target.domains) {
    if (source.sourceDomains.includes(d)) {
      throw new TavtError(
        "BAD_INPUT",
        `cross-dataset: domain "${d}" is a source domain of ${source.name} and a domain of ${target.name}`,
        { domain: d },
      );
    }
  }
  const visual: FeatureStore[] = [source.visual, target.visual].filter((s): s is FeatureStore => s !== null);
  const audio: FeatureStore[] = [source.audio, target.audio].filter((s): s is FeatureStore => s !== null);
  const targetAudioAbsent = target.audio === null ? target.domains : [...target.audioAbsentDomains];
  return new CaptionDataset({
    name: `${source.name}->${target.name}`,
    videos: [...sourceVideos, ...target.videos],
    sourceDomains: source.sourceDomains,
    targetDomains: target.domains,
    visual: visual.length === 0 ? null : visual.length === 1 ? visual[0]! : new UnionStore(visual),
    audio: audio.length === 0 ? null : audio.length === 1 ? audio[0]! : new UnionStore(audio),
    audioAbsentDomains: [...source.audioAbsentDomains, ...targetAudioAbsent],
  });
}
