import { type AuditorySpace, assignUnits } from "@tavt/clusters";
import { TavtError } from "@tavt/core";
import type { CaptionDataset } from "@tavt/datasets";

/** How one domain's audio uses the prototypes of an auditory space (the paper's Figure 9). */
export interface DomainUsage {
  domain: string;
  role: "source" | "target" | "other";
  videos: number;
  /** Audio units of those videos (T frames each, the space's unit). */
  units: number;
  /** Units nearest to each prototype, [K]. */
  counts: number[];
  /** counts / units: the share of the domain's audio on each prototype, [K]. */
  shares: number[];
}

export interface PrototypeUsage {
  k: number;
  /** Frames per unit the audio was cut into. */
  unit: number;
  domains: DomainUsage[];
  /** Per prototype: how many domains use it at least `threshold` of their units. */
  domainsUsing: number[];
  /** The share above which a domain counts as using a prototype: 1 / K (what a uniform domain would give each). */
  threshold: number;
}

/**
 * Which prototypes each domain's audio uses: every audio-bearing video of the chosen split is cut into units of T
 * frames (`unit`, default the space's own T; 1 for spaces built from pooled points), each unit is assigned to its
 * nearest prototype, and the counts are kept per domain. Domains without audio are left out.
 */
export function prototypeUsage(
  space: AuditorySpace,
  ds: CaptionDataset,
  o: { split: "train" | "test" | "all"; unit?: number },
): PrototypeUsage {
  const unit = o.unit ?? space.unit;
  const cut: AuditorySpace = { ...space, unit };
  const domains: DomainUsage[] = [];
  for (const domain of ds.domains) {
    if (ds.audio === null || ds.audioAbsentDomains.has(domain)) continue;
    const ids = ds.ids(o.split === "all" ? { domains: [domain] } : { domains: [domain], split: o.split });
    const counts = new Array<number>(space.k).fill(0);
    let units = 0;
    for (const id of ids) {
      const s = ds.sample(id);
      if (!s.audio || !s.audioShape) continue;
      const labels = assignUnits(cut, { data: s.audio, frames: s.audioShape[0], dim: s.audioShape[1] });
      for (const l of labels) counts[l]!++;
      units += labels.length;
    }
    if (units === 0) continue;
    const role = ds.sourceDomains.includes(domain) ? "source" : ds.targetDomains.includes(domain) ? "target" : "other";
    domains.push({ domain, role, videos: ids.length, units, counts, shares: counts.map((c) => c / units) });
  }
  if (domains.length === 0) {
    throw new TavtError("BAD_INPUT", `dataset "${ds.name}": no video of the ${o.split} split has audio to assign`, {
      field: "--split",
    });
  }
  const threshold = 1 / space.k;
  const domainsUsing = Array.from(
    { length: space.k },
    (_, j) => domains.filter((d) => d.shares[j]! >= threshold).length,
  );
  return { k: space.k, unit, domains, domainsUsing, threshold };
}
