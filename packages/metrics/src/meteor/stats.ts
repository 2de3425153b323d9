import type { Alignment } from "./aligner";

/** Meteor's sufficient statistics of one segment or of a summed corpus (MeteorStats, word based). */
export interface MeteorStats {
  testLength: number;
  referenceLength: number;
  testFunctionWords: number;
  referenceFunctionWords: number;
  testTotalMatches: number;
  referenceTotalMatches: number;
  testContent: number[];
  referenceContent: number[];
  testFunction: number[];
  referenceFunction: number[];
  chunks: number;
  testWordMatches: number;
  referenceWordMatches: number;
}

/** METEOR parameters (Meteor 1.5's English defaults: alpha 0.85, beta 0.2, gamma 0.6, delta 0.75). */
export interface MeteorParameters {
  alpha: number;
  beta: number;
  gamma: number;
  delta: number;
}

export interface MeteorScoreParts {
  precision: number;
  recall: number;
  fMean: number;
  fragPenalty: number;
  score: number;
}

/** Statistics of one alignment (MeteorScorer.getMeteorStats(Alignment), word based). */
export function statsOfAlignment(a: Alignment): MeteorStats {
  let testTotalMatches = 0;
  let referenceTotalMatches = 0;
  for (let i = 0; i < a.testContent.length; i++) {
    testTotalMatches += a.testContent[i]! + a.testFunction[i]!;
    referenceTotalMatches += a.referenceContent[i]! + a.referenceFunction[i]!;
  }
  return {
    testLength: a.testLength,
    referenceLength: a.referenceLength,
    testFunctionWords: a.testFunctionWords,
    referenceFunctionWords: a.referenceFunctionWords,
    testTotalMatches,
    referenceTotalMatches,
    testContent: a.testContent.slice(),
    referenceContent: a.referenceContent.slice(),
    testFunction: a.testFunction.slice(),
    referenceFunction: a.referenceFunction.slice(),
    chunks: a.chunks,
    testWordMatches: testTotalMatches,
    referenceWordMatches: referenceTotalMatches,
  };
}

/** All-zero statistics with `modules` module slots. */
export function emptyStats(modules: number): MeteorStats {
  const z = () => new Array<number>(modules).fill(0);
  return {
    testLength: 0,
    referenceLength: 0,
    testFunctionWords: 0,
    referenceFunctionWords: 0,
    testTotalMatches: 0,
    referenceTotalMatches: 0,
    testContent: z(),
    referenceContent: z(),
    testFunction: z(),
    referenceFunction: z(),
    chunks: 0,
    testWordMatches: 0,
    referenceWordMatches: 0,
  };
}

/** Add `s` into `agg` (MeteorStats.addStats): a segment that is a perfect one-chunk match adds no chunks. */
export function addStats(agg: MeteorStats, s: MeteorStats): void {
  agg.testLength += s.testLength;
  agg.referenceLength += s.referenceLength;
  agg.testFunctionWords += s.testFunctionWords;
  agg.referenceFunctionWords += s.referenceFunctionWords;
  agg.testTotalMatches += s.testTotalMatches;
  agg.referenceTotalMatches += s.referenceTotalMatches;
  for (let i = 0; i < s.testContent.length; i++) {
    agg.testContent[i]! += s.testContent[i];
    agg.referenceContent[i]! += s.referenceContent[i];
    agg.testFunction[i]! += s.testFunction[i];
    agg.referenceFunction[i]! += s.referenceFunction[i];
  }
  if (!(s.testTotalMatches === s.testLength && s.referenceTotalMatches === s.referenceLength && s.chunks === 1))
    agg.chunks += s.chunks;
  agg.testWordMatches += s.testWordMatches;
  agg.referenceWordMatches += s.referenceWordMatches;
}

/**
 * METEOR from sufficient statistics (MeteorScorer.computeMetrics): delta-weighted content/function matches and
 * lengths give P and R; Fmean = 1 / ((1 - alpha) / P + alpha / R); fragmentation = chunks / mean matched words
 * (0 for a perfect one-chunk match); penalty = gamma * frag^beta; score = Fmean * (1 - penalty), 0 when undefined.
 */
export function computeMetrics(s: MeteorStats, p: MeteorParameters, weights: readonly number[]): MeteorScoreParts {
  const { alpha, beta, gamma, delta } = p;
  const testWeightedLength = delta * (s.testLength - s.testFunctionWords) + (1.0 - delta) * s.testFunctionWords;
  const referenceWeightedLength =
    delta * (s.referenceLength - s.referenceFunctionWords) + (1.0 - delta) * s.referenceFunctionWords;
  let testWeightedMatches = 0;
  let referenceWeightedMatches = 0;
  for (let i = 0; i < weights.length; i++) testWeightedMatches += s.testContent[i]! * weights[i]! * delta;
  for (let i = 0; i < weights.length; i++) referenceWeightedMatches += s.referenceContent[i]! * weights[i]! * delta;
  for (let i = 0; i < weights.length; i++) testWeightedMatches += s.testFunction[i]! * weights[i]! * (1.0 - delta);
  for (let i = 0; i < weights.length; i++)
    referenceWeightedMatches += s.referenceFunction[i]! * weights[i]! * (1.0 - delta);
  const precision = testWeightedMatches / testWeightedLength;
  const recall = referenceWeightedMatches / referenceWeightedLength;
  const fMean = 1.0 / ((1.0 - alpha) / precision + alpha / recall);
  let frag: number;
  if (s.testTotalMatches === s.testLength && s.referenceTotalMatches === s.referenceLength && s.chunks === 1) frag = 0;
  else frag = s.chunks / ((s.testWordMatches + s.referenceWordMatches) / 2);
  const fragPenalty = gamma * frag ** beta;
  const raw = fMean * (1.0 - fragPenalty);
  const score = Number.isNaN(raw) ? 0 : Math.max(raw, 0.0);
  return { precision, recall, fMean, fragPenalty, score };
}
