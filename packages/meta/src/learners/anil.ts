import { resolveMetaConfig } from "../config";
import { makeMetaLearner } from "../learner";
import type { MetaLearner, MetaLearnerConfig } from "../types";
import { mamlMetaGradient } from "./maml";

/**
 * ANIL's default head: the decoder's output layers (@tavt/decoder names them `decoder.lnOut.*` and `decoder.out.*`;
 * a decoder with a tied embedding has no `decoder.out`, so pass `innerParams` there).
 */
export const ANIL_DEFAULT_HEAD: readonly string[] = ["decoder.out.", "decoder.lnOut."];

/**
 * ANIL (Raghu et al. 2020): second-order MAML whose inner loop adapts only the head (`innerParams`, by default
 * `ANIL_DEFAULT_HEAD`); the outer step still updates every trainable parameter. `adapt` also adapts the head only.
 *
 * @param config - The learner's settings; `innerParams` defaults to `ANIL_DEFAULT_HEAD`.
 * @returns The learner, named "anil".
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for settings out of range.
 */
export function createAnil(config: MetaLearnerConfig = {}): MetaLearner {
  return makeMetaLearner("anil", resolveMetaConfig(config, { innerParams: ANIL_DEFAULT_HEAD }), (ctx) =>
    mamlMetaGradient(ctx, "second"),
  );
}
