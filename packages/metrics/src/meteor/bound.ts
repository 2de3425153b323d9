import type { PreparedSentence } from "./aligner";
import type { MatchSet } from "./beam";
import type { MeteorParameters } from "./stats";

/**
 * Whether `scoreBound` bounds the METEOR score from above for these parameters and module weights: the score must
 * grow with every matched word (non-negative weights, alpha and delta in [0, 1]) and the fragmentation penalty must
 * not be negative (beta, gamma >= 0). Meteor's defaults qualify.
 */
export function boundApplies(p: Readonly<MeteorParameters>, weights: readonly number[]): boolean {
  if (!(p.alpha >= 0 && p.alpha <= 1 && p.delta >= 0 && p.delta <= 1 && p.beta >= 0 && p.gamma >= 0)) return false;
  for (const w of weights) if (!(w >= 0 && Number.isFinite(w))) return false;
  return true;
}

let testBest = new Float64Array(256);
let refBest = new Float64Array(256);

/**
 * An upper bound (with a margin for rounding) of the METEOR score of any alignment made of the candidate matches
 * `ms` of `test` against `ref` (MeteorScorer.computeMetrics): every word counts as matched by the heaviest module
 * that has a match over it, and the fragmentation penalty is at least that of one chunk over every word that has a
 * match (0 when every word of both sentences has one). A reference whose bound is below the best score so far
 * cannot become the best one, so its beam search can be skipped. Valid when `boundApplies`.
 */
export function scoreBound(
  ms: MatchSet,
  test: PreparedSentence,
  ref: PreparedSentence,
  p: Readonly<MeteorParameters>,
  weights: readonly number[],
): number {
  const n1 = test.words.length;
  const n2 = ref.words.length;
  if (testBest.length < n1) testBest = new Float64Array(2 * n1);
  if (refBest.length < n2) refBest = new Float64Array(2 * n2);
  const tb = testBest;
  const rb = refBest;
  tb.fill(-1, 0, n1);
  rb.fill(-1, 0, n2);
  const { start, length, matchStart, matchLength, module } = ms;
  for (let m = 0; m < ms.count; m++) {
    const w = weights[module[m]!]!;
    for (let k = matchStart[m]!; k < matchStart[m]! + matchLength[m]!; k++) if (tb[k]! < w) tb[k] = w;
    for (let k = start[m]!; k < start[m]! + length[m]!; k++) if (rb[k]! < w) rb[k] = w;
  }
  const { alpha, beta, gamma, delta } = p;
  let testFunctionWords = 0;
  let testMatches = 0;
  let testCovered = 0;
  for (let i = 0; i < n1; i++) {
    const f = test.isFunction[i]!;
    testFunctionWords += f;
    const w = tb[i]!;
    if (w < 0) continue;
    testCovered++;
    testMatches += w * (f ? 1.0 - delta : delta);
  }
  let referenceFunctionWords = 0;
  let referenceMatches = 0;
  let referenceCovered = 0;
  for (let j = 0; j < n2; j++) {
    const f = ref.isFunction[j]!;
    referenceFunctionWords += f;
    const w = rb[j]!;
    if (w < 0) continue;
    referenceCovered++;
    referenceMatches += w * (f ? 1.0 - delta : delta);
  }
  // No match on one side: the score is 0 (NaN fragmentation).
  if (testCovered === 0 || referenceCovered === 0) return 1e-12;
  const testLength = delta * (n1 - testFunctionWords) + (1.0 - delta) * testFunctionWords;
  const referenceLength = delta * (n2 - referenceFunctionWords) + (1.0 - delta) * referenceFunctionWords;
  if (!(testLength > 0 && referenceLength > 0)) return Number.POSITIVE_INFINITY;
  const fMean = 1.0 / ((1.0 - alpha) / (testMatches / testLength) + alpha / (referenceMatches / referenceLength));
  const perfect = testCovered === n1 && referenceCovered === n2;
  const penalty = perfect ? 0 : gamma * (1 / ((testCovered + referenceCovered) / 2)) ** beta;
  const bound = fMean * (1.0 - penalty);
  if (Number.isNaN(bound)) return Number.POSITIVE_INFINITY;
  return bound > 0 ? bound * (1 + 1e-9) + 1e-12 : 1e-12;
}
