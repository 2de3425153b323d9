import { TavtError } from "@tavt/core";

/** How the outer step size decays after warmup: not at all, along a half cosine, or linearly. */
export const OUTER_DECAYS = ["none", "cosine", "linear"] as const;
/** The outer step size's decay: `none`, `cosine` or `linear`. */
export type OuterDecay = (typeof OUTER_DECAYS)[number];

/**
 * The outer optimiser's learning-rate schedule: a linear warmup from 0 over `warmupSteps` steps to `outerLr`, then a
 * decay over the remaining `totalSteps - warmupSteps` steps down to `minLrRatio * outerLr` (held there after
 * `totalSteps`). The transformer recipe (Vaswani et al., 2017; nanoGPT): without warmup, Adam's first steps move a
 * wide model's attention logits far enough to saturate softmax and the modality gates.
 */
export interface OuterSchedule {
  /** Steps of linear warmup (step s, counted from 0, uses (s + 1) / warmupSteps of the peak); default 0. */
  warmupSteps?: number;
  /** Decay after warmup; default "none" (constant). */
  decay?: OuterDecay;
  /** The step at which the decay reaches its floor; needed by "cosine" and "linear". */
  totalSteps?: number | null;
  /** The floor as a share of the peak; default 0.1. */
  minLrRatio?: number;
}

/** `OuterSchedule` with its defaults filled in. */
export interface ResolvedOuterSchedule {
  warmupSteps: number;
  decay: OuterDecay;
  totalSteps: number | null;
  minLrRatio: number;
}

function bad(field: string, value: unknown, expected: string): never {
  throw new TavtError("BAD_CONFIG", `meta config: "outerSchedule.${field}" must be ${expected}, got ${String(value)}`, {
    field: `outerSchedule.${field}`,
    value,
  });
}

/**
 * Fill in the defaults and validate (BAD_CONFIG naming the field).
 *
 * @param s - The schedule as given (constant by default).
 * @returns `warmupSteps` (0), `decay` ("none"), `totalSteps` (null) and `minLrRatio` (0.1) where absent.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` naming the field out of range, or `totalSteps` missing for a
 *   decay.
 */
export function resolveOuterSchedule(s: OuterSchedule = {}): ResolvedOuterSchedule {
  const warmupSteps = s.warmupSteps ?? 0;
  const decay = s.decay ?? "none";
  const totalSteps = s.totalSteps ?? null;
  const minLrRatio = s.minLrRatio ?? 0.1;
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) bad("warmupSteps", warmupSteps, "an integer >= 0");
  if (!(OUTER_DECAYS as readonly string[]).includes(decay)) bad("decay", decay, `one of ${OUTER_DECAYS.join(", ")}`);
  if (totalSteps !== null && (!Number.isInteger(totalSteps) || totalSteps < 1)) {
    bad("totalSteps", totalSteps, "an integer >= 1 or null");
  }
  if (decay !== "none" && totalSteps === null) bad("totalSteps", totalSteps, `set when decay is "${decay}"`);
  if (!(Number.isFinite(minLrRatio) && minLrRatio >= 0 && minLrRatio <= 1)) bad("minLrRatio", minLrRatio, "in [0, 1]");
  return { warmupSteps, decay, totalSteps, minLrRatio };
}

/**
 * The multiplier of the peak step size at outer step `step` (0-based): in (0, 1].
 *
 * @param schedule - The resolved schedule.
 * @param step - The outer step, counted from 0.
 * @returns The factor the peak learning rate is multiplied by.
 */
export function outerLrFactor(schedule: ResolvedOuterSchedule, step: number): number {
  const { warmupSteps, decay, totalSteps, minLrRatio } = schedule;
  if (step < warmupSteps) return (step + 1) / warmupSteps;
  if (decay === "none" || totalSteps === null) return 1;
  const span = totalSteps - warmupSteps;
  const t = span <= 0 ? 1 : Math.min(1, (step - warmupSteps) / span); // progress through the decay, 0..1
  const shape = decay === "cosine" ? 0.5 * (1 + Math.cos(Math.PI * t)) : 1 - t; // 1 -> 0
  return minLrRatio + (1 - minLrRatio) * shape;
}
