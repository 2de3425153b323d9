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
  /** A second, fresh batch of each support domain: L_{D_i}(f_theta'_i) is evaluated on it ("paper" needs it). */
  supportEval?: B[];
  /** A second, fresh batch of the query domain: L_{D_q}(f_theta'_q) is evaluated on it ("paper" needs it). */
  queryEval?: B;
}

/**
 * How to read Algorithm 1, lines 3-9 (see the README):
 * - "paper" (default): every domain of the episode is a task. theta'_i adapts on B_i and L_{D_i} evaluates it on a
 *   fresh batch of domain D_i (`supportEval[i]`); theta'_q adapts on B_q and L_{D_q} evaluates it on a fresh batch
 *   of D_q (`queryEval`). The meta-objective is line 9 as printed. Without the fresh batches it is an error.
 * - "paper-same-batch": as "paper", but each adapted theta' is evaluated on the very batch it adapted on (B_i, B_q);
 *   any eval batches are ignored. This was "paper" before the fresh batches existed.
 * - "maml": standard MAML across domains: theta'_i adapts on B_i and is evaluated on the query domain's B_q
 *   (eq. 11's text, "using the query set D_q samples"); no theta'_q term.
 */
export type Algorithm1Reading = "paper" | "paper-same-batch" | "maml";

/** Every reading `episodeTasks` accepts. */
export const ALGORITHM1_READINGS: readonly Algorithm1Reading[] = ["paper", "paper-same-batch", "maml"];

/**
 * Whether a reading evaluates each adapted theta' on a fresh batch of its own domain (the episode then needs them).
 *
 * @param reading - A reading of Algorithm 1.
 * @returns True for "paper".
 */
export const readingNeedsEvalBatches = (reading: Algorithm1Reading): boolean => reading === "paper";

/** Options of `episodeTasks`: the reading of Algorithm 1 and the query term. */
export interface EpisodeTaskOptions {
  /** Default "paper". */
  reading?: Algorithm1Reading;
  /**
   * "paper" readings only. Line 9 puts L_{D_q}(f_theta'_q) inside sum_{i=1}^{K-1}, so it counts K-1 times:
   * "perSupport" (default, as printed) gives the query task weight K-1, "once" gives it weight 1.
   */
  queryTerm?: "perSupport" | "once";
}

/**
 * Turn an episode into the tasks a meta-learner's `step` takes, under a reading of Algorithm 1.
 *
 * @param episode - The support batches with their domains, the query batch, and (for "paper") the fresh batches
 *   `supportEval` and `queryEval`.
 * @param options - `reading` ("paper" by default) and `queryTerm` ("perSupport" by default).
 * @returns One task per support domain, then the query task (for "maml": one task per support batch, each with the
 *   query batch as its query).
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for an episode without support batches, with mismatched counts,
 *   or without the fresh batches "paper" needs; `BAD_CONFIG` for an unknown reading.
 */
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
  if (!ALGORITHM1_READINGS.includes(reading)) {
    throw new TavtError(
      "BAD_CONFIG",
      `meta: unknown Algorithm 1 reading "${String(reading)}"; expected ${ALGORITHM1_READINGS.map((r) => `"${r}"`).join(", ")}`,
    );
  }
  const fresh = reading === "paper";
  if (fresh && (!episode.supportEval || episode.queryEval === undefined)) {
    throw new TavtError(
      "BAD_INPUT",
      `meta: the "paper" reading evaluates each adapted theta' on a fresh batch of its domain (Algorithm 1, line 9): the episode needs supportEval (one per support domain) and queryEval; "paper-same-batch" evaluates on the adaptation batch instead`,
      { missing: !episode.supportEval ? "supportEval" : "queryEval" },
    );
  }
  const tasks: Task<B>[] = episode.support.map((b, i) => ({
    support: [b],
    query: fresh ? episode.supportEval![i]! : b,
    name: episode.supportDomains[i]!,
  }));
  tasks.push({
    support: [episode.query],
    query: fresh ? episode.queryEval! : episode.query,
    weight: (options.queryTerm ?? "perSupport") === "perSupport" ? k1 : 1,
    name: episode.queryDomain,
  });
  return tasks;
}
