import { type Key, rng, TavtError } from "@tavt/core";
import type { CaptionDataset } from "./dataset";
import type { Sample, SplitName } from "./types";

/** Contract 5: one meta-batch of Algorithm 1 (K-1 support domains and 1 query domain, all from the sources). */
export interface MetaBatch {
  /** The episode number this meta-batch was drawn for. */
  step: number;
  supportDomains: string[];
  queryDomain: string;
  /** One batch per support domain, in `supportDomains` order. */
  support: Sample[][];
  query: Sample[];
  /** With `evalBatches`: a second, fresh batch of each support domain (Algorithm 1, line 9's L_{D_i}(f_theta'_i)). */
  supportEval?: Sample[][];
  /** With `evalBatches`: a second, fresh batch of the query domain (line 9's L_{D_q}(f_theta'_q)). */
  queryEval?: Sample[];
}

/** The ids of one meta-batch (no features read). */
export interface MetaBatchIds {
  supportDomains: string[];
  queryDomain: string;
  support: string[][];
  query: string[];
  supportEval?: string[][];
  queryEval?: string[];
}

/** Options of `EpisodicSampler`: the source domains, split, batch sizes, support domains per episode and seed. */
export interface EpisodicSamplerOptions {
  /** The K source domains to draw from (default the dataset's source domains). */
  sourceDomains?: readonly string[];
  /** Which part of each domain to draw from: "train" (default), "test" or "all". */
  split?: SplitName | "all";
  /** Videos per support batch (default 32, the paper's batch size). */
  batchSize?: number;
  /** Videos in the query batch (default `batchSize`; Section 3.1 has m > k). */
  queryBatchSize?: number;
  /** Support domains per meta-batch (default K - 1: every source but the query domain). */
  supportDomains?: number;
  /**
   * Also draw a second batch per domain, disjoint from the first: the fresh batches on which Algorithm 1, line 9
   * evaluates each theta'. It has the batch's size, or every other video of the domain where the domain has fewer
   * than twice the batch size (never a video of the batch it adapted on); a domain with no video beyond one batch
   * is a BAD_CONFIG error. Default false. The first batches are the same either way.
   */
  evalBatches?: boolean;
  seed?: number;
}

/**
 * Algorithm 1's episodic sampler: meta-batch `step` picks a query domain and K-1 support domains from the
 * source domains at random, then a batch of videos (without replacement within the batch) from each. Every
 * meta-batch is a pure function of (seed, step), so `episode(17)` is the same on every run and machine.
 */
export class EpisodicSampler {
  readonly sourceDomains: readonly string[];
  readonly batchSize: number;
  readonly queryBatchSize: number;
  readonly supportCount: number;
  readonly evalBatches: boolean;
  private readonly pools: Map<string, string[]>;
  private readonly key: Key;
  private readonly dataset: CaptionDataset;
  private nextStep = 0;

  /**
   * A sampler over a dataset's source domains.
   *
   * @param dataset - The dataset.
   * @param options - The source domains, split, batch sizes, support-domain count, seed and `evalBatches`.
   * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for fewer than 2 source domains, a support count outside
   *   1..K-1, or a batch size that is not a positive integer.
   */
  constructor(dataset: CaptionDataset, options: EpisodicSamplerOptions = {}) {
    this.dataset = dataset;
    this.sourceDomains = options.sourceDomains ?? dataset.sourceDomains;
    this.batchSize = options.batchSize ?? 32;
    this.queryBatchSize = options.queryBatchSize ?? this.batchSize;
    const k = this.sourceDomains.length;
    this.supportCount = options.supportDomains ?? k - 1;
    this.evalBatches = options.evalBatches ?? false;
    this.key = rng.foldIn(rng.key(options.seed ?? 0), "episodic-sampler");
    if (k < 2) {
      throw new TavtError("BAD_CONFIG", `episodic sampler: needs at least 2 source domains, got ${k}`, {
        field: "sourceDomains",
      });
    }
    if (!(Number.isInteger(this.supportCount) && this.supportCount >= 1 && this.supportCount <= k - 1)) {
      throw new TavtError(
        "BAD_CONFIG",
        `episodic sampler: supportDomains must be in 1..${k - 1}, got ${this.supportCount}`,
        {
          field: "supportDomains",
        },
      );
    }
    for (const [field, n] of [
      ["batchSize", this.batchSize],
      ["queryBatchSize", this.queryBatchSize],
    ] as const) {
      if (!(Number.isInteger(n) && n >= 1)) {
        throw new TavtError("BAD_CONFIG", `episodic sampler: ${field} must be a positive integer, got ${n}`, { field });
      }
    }
    const split = options.split ?? "train";
    this.pools = new Map();
    for (const d of this.sourceDomains) {
      const ids = dataset.ids({ domains: [d], split: split === "all" ? undefined : split });
      if (ids.length === 0) {
        throw new TavtError("BAD_CONFIG", `episodic sampler: source domain "${d}" has no ${split} videos`, {
          field: "sourceDomains",
          domain: d,
        });
      }
      const biggest = Math.max(this.batchSize, this.queryBatchSize);
      if (this.evalBatches && ids.length <= biggest) {
        throw new TavtError(
          "BAD_CONFIG",
          `episodic sampler: source domain "${d}" has ${ids.length} ${split} videos, no more than one batch of ${biggest}: Algorithm 1 line 9 needs a fresh batch of other videos (lower train.batchSize / train.queryBatchSize below ${ids.length}, or use meta.reading=maml)`,
          { field: "batchSize", domain: d },
        );
      }
      this.pools.set(d, ids);
    }
  }

  /**
   * The ids of one domain's batch in episode `step` (without replacement; the whole pool if it is smaller), and with
   * `evalBatches` the next ids of the same permutation: `size` of them, or the rest of the pool where it is short.
   */
  private draw(stepKey: Key, domain: string, role: string, size: number): { batch: string[]; fresh: string[] } {
    const pool = this.pools.get(domain)!;
    const perm = rng.permutation(rng.foldIn(stepKey, `${role}:${domain}`), pool.length);
    const n = Math.min(size, pool.length);
    const batch = Array.from(perm.subarray(0, n), (i) => pool[i]!);
    const fresh = this.evalBatches
      ? Array.from(perm.subarray(n, n + Math.min(n, pool.length - n)), (i) => pool[i]!)
      : [];
    return { batch, fresh };
  }

  /**
   * The ids of meta-batch `step` (no features read).
   *
   * @param step - The meta-step.
   * @returns The query and support domains and their batches' ids (and fresh batches with `evalBatches`).
   */
  episodeIds(step: number): MetaBatchIds {
    const stepKey = rng.foldIn(this.key, step);
    const order = rng.permutation(rng.foldIn(stepKey, "domains"), this.sourceDomains.length);
    const queryDomain = this.sourceDomains[order[0]!]!;
    const supportDomains = Array.from(order.subarray(1, 1 + this.supportCount), (i) => this.sourceDomains[i]!);
    const support = supportDomains.map((d) => this.draw(stepKey, d, "support", this.batchSize));
    const query = this.draw(stepKey, queryDomain, "query", this.queryBatchSize);
    return {
      supportDomains,
      queryDomain,
      support: support.map((d) => d.batch),
      query: query.batch,
      ...(this.evalBatches ? { supportEval: support.map((d) => d.fresh), queryEval: query.fresh } : {}),
    };
  }

  /**
   * Meta-batch `step`, with its samples' features read.
   *
   * @param step - The meta-step.
   * @returns The meta-batch with its samples.
   */
  episode(step: number): MetaBatch {
    const ids = this.episodeIds(step);
    return {
      step,
      supportDomains: ids.supportDomains,
      queryDomain: ids.queryDomain,
      support: ids.support.map((b) => this.dataset.samples(b)),
      query: this.dataset.samples(ids.query),
      ...(ids.supportEval && ids.queryEval
        ? {
            supportEval: ids.supportEval.map((b) => this.dataset.samples(b)),
            queryEval: this.dataset.samples(ids.queryEval),
          }
        : {}),
    };
  }

  /**
   * The next meta-batch (episodes 0, 1, 2, ... in turn).
   *
   * @returns The next meta-batch.
   */
  next(): MetaBatch {
    return this.episode(this.nextStep++);
  }
}

/**
 * Cut ids into batches of `batchSize` (the last may be shorter), shuffled with `key` when one is given: for
 * meta-test adaptation epochs and evaluation passes.
 *
 * @param ids - The video ids.
 * @param batchSize - Ids per batch (a positive integer).
 * @param key - Shuffles the ids first when given.
 * @returns The batches, in order.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a bad `batchSize`.
 */
export function miniBatches(ids: readonly string[], batchSize: number, key?: Key): string[][] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new TavtError("BAD_CONFIG", `miniBatches: batchSize must be a positive integer, got ${batchSize}`, {
      field: "batchSize",
    });
  }
  const order = key ? Array.from(rng.permutation(key, ids.length), (i) => ids[i]!) : [...ids];
  const out: string[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
