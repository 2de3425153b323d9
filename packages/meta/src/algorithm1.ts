import { TavtError } from "@tavt/core";
import type { Task } from "./types";

/**
 * One meta-batch of Algorithm 1 (contract 5, with batches already collated): K-1 support domains with one batch
 * B_i each, and one query domain with its batch B_q.
 */
export interface Episode<B> {
  supportDomains: string[];
  queryDomain: string;
  /** B_i, one per support domain (same order as `supportDomains`). */
  support: B[];
  /** B_q. */
  query: B;
  /** Optional second batch of each support domain, to evaluate L_{D_i}(f_theta'_i) on other samples than B_i. */
  supportEval?: B[];
  /** Optional second batch of the query domain, to evaluate L_{D_q}(f_theta'_q). */
  queryEval?: B;
}

/**
 * How to read Algorithm 1, lines 3-9 (see the README):
 * - "paper" (default): every domain of the episode is a task. theta'_i adapts on B_i and L_{D_i} evaluates it on
 *   domain D_i (on `supportEval[i]` when given, else on B_i itself); theta'_q adapts on B_q and L_{D_q} evaluates it
 *   on domain D_q (`queryEval` or B_q). The meta-objective is line 9 as printed.
 * - "maml": standard MAML across domains: theta'_i adapts on B_i and is evaluated on the query domain's B_q
 *   (eq. 11's text, "using the query set D_q samples"); no theta'_q term.
 */
export type Algorithm1Reading = "paper" | "maml";

export interface EpisodeTaskOptions {
  /** Default "paper". */
  reading?: Algorithm1Reading;
  /**
   * "paper" reading only. Line 9 puts L_{D_q}(f_theta'_q) inside sum_{i=1}^{K-1}, so it counts K-1 times:
   * "perSupport" (default, as printed) gives the query task weight K-1, "once" gives it weight 1.
   */
  queryTerm?: "perSupport" | "once";
}

/** Turn an episode into the tasks a meta-learner's `step` takes, under a reading of Algorithm 1. */
export function episodeTasks<B>(episode: Episode<B>, options: EpisodeTaskOptions = {}): Task<B>[] {
  const reading = options.reading ?? "paper";
  const k1 = episode.support.length;
  if (k1 === 0) throw new TavtError("BAD_INPUT", "meta: an episode needs at least one support-domain batch");
  if (episode.supportDomains.length !== k1) {
    throw new TavtError(
      "BAD_INPUT",
      `meta: episode has ${episode.supportDomains.length} support domains but ${k1} support batches`,
      { supportDomains: episode.supportDomains },
    );
  }
  if (episode.supportEval && episode.supportEval.length !== k1) {
    throw new TavtError(
      "BAD_INPUT",
      `meta: episode.supportEval has ${episode.supportEval.length} batches, expected one per support domain (${k1})`,
    );
  }
  if (reading === "maml") {
    return episode.support.map((b, i) => ({ support: [b], query: episode.query, name: episode.supportDomains[i]! }));
  }
  if (reading !== "paper") {
    throw new TavtError(
      "BAD_CONFIG",
      `meta: unknown Algorithm 1 reading "${String(reading)}"; expected "paper" or "maml"`,
    );
  }
  const tasks: Task<B>[] = episode.support.map((b, i) => ({
    support: [b],
    query: episode.supportEval?.[i] ?? b,
    name: episode.supportDomains[i]!,
  }));
  tasks.push({
    support: [episode.query],
    query: episode.queryEval ?? episode.query,
    weight: (options.queryTerm ?? "perSupport") === "perSupport" ? k1 : 1,
    name: episode.queryDomain,
  });
  return tasks;
}
