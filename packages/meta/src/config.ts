import { TavtError } from "@tavt/core";
import { checkInnerOptimizer } from "./innerOptimizer";
import { resolveOuterSchedule } from "./schedule";
import { paramPredicate } from "./select";
import type { MetaLearnerConfig, ResolvedMetaConfig } from "./types";

/** Defaults shared by the built-in learners: the paper's alpha = 1e-4, beta = 1e-3 (section 4.2), one inner step. */
export const DEFAULT_META_CONFIG = { innerLr: 1e-4, innerSteps: 1, outerLr: 1e-3, innerOptimizer: "sgd" } as const;

function check(ok: boolean, field: string, value: unknown, expected: string): void {
  if (!ok) {
    throw new TavtError("BAD_CONFIG", `meta config: "${field}" must be ${expected}, got ${String(value)}`, {
      field,
      value,
    });
  }
}

/**
 * Fill in defaults (`defaults` first, then the shared ones) and validate; selectors become predicates.
 *
 * @param config - The learner's settings as given (undefined fields are ignored).
 * @param defaults - The learner's own defaults, applied before `DEFAULT_META_CONFIG`'s.
 * @returns The settings with every default filled in, `innerParams` and `frozen` as name predicates.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` naming the first field out of range.
 */
export function resolveMetaConfig(config: MetaLearnerConfig, defaults: MetaLearnerConfig = {}): ResolvedMetaConfig {
  const c = { ...DEFAULT_META_CONFIG, ...defaults, ...stripUndefined(config) };
  check(Number.isFinite(c.innerLr) && c.innerLr >= 0, "innerLr", c.innerLr, "a finite number >= 0");
  check(Number.isInteger(c.innerSteps) && c.innerSteps >= 0, "innerSteps", c.innerSteps, "an integer >= 0");
  check(Number.isFinite(c.outerLr) && c.outerLr > 0, "outerLr", c.outerLr, "a finite number > 0");
  if (c.clipNorm !== undefined) {
    check(Number.isFinite(c.clipNorm) && c.clipNorm > 0, "clipNorm", c.clipNorm, "a finite number > 0");
  }
  const innerOptimizer = checkInnerOptimizer(c.innerOptimizer, "innerOptimizer");
  const innerAdam = { ...(c.innerAdam ?? {}) };
  for (const [field, v] of Object.entries(innerAdam)) {
    const ok = field === "eps" ? Number.isFinite(v) && v > 0 : Number.isFinite(v) && v >= 0 && v < 1;
    check(ok, `innerAdam.${field}`, v, field === "eps" ? "a finite number > 0" : "a number in [0, 1)");
  }
  return {
    innerLr: c.innerLr,
    innerOptimizer,
    innerAdam,
    innerSteps: c.innerSteps,
    outerLr: c.outerLr,
    adam: { ...(c.adam ?? {}) },
    clipNorm: c.clipNorm ?? null,
    outerSchedule: resolveOuterSchedule(c.outerSchedule),
    innerParams: c.innerParams === undefined ? () => true : paramPredicate(c.innerParams),
    frozen: c.frozen === undefined ? () => false : paramPredicate(c.frozen),
  };
}

function stripUndefined(config: MetaLearnerConfig): MetaLearnerConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as MetaLearnerConfig;
}
