import { TavtError } from "@tavt/core";
import { createAnil } from "./learners/anil";
import { createJoint } from "./learners/joint";
import { createFomaml, createMaml } from "./learners/maml";
import { createReptile } from "./learners/reptile";
import type { MetaLearner, MetaLearnerConfig } from "./types";

/** Makes a learner from its settings. */
export type MetaLearnerFactory = (config: MetaLearnerConfig) => MetaLearner;

/** The learners that ship with the package (what `tavt train --meta-learner` offers by default). */
export const BUILTIN_META_LEARNERS = ["maml", "fomaml", "reptile", "anil", "joint"] as const;
/** A built-in learner's name: `maml`, `fomaml`, `reptile`, `anil` or `joint`. */
export type BuiltinMetaLearner = (typeof BUILTIN_META_LEARNERS)[number];

const factories = new Map<string, MetaLearnerFactory>([
  ["maml", createMaml],
  ["fomaml", createFomaml],
  ["reptile", createReptile],
  ["anil", createAnil],
  ["joint", createJoint],
]);

/**
 * Register a learner under `name` (letters, digits, `-`, `_`). Re-registering a taken name throws unless
 * `options.replace` is set (built-ins can be replaced that way too).
 *
 * @param name - The learner's name.
 * @param factory - `(config) => MetaLearner`, usually `makeMetaLearner` over a meta-gradient rule.
 * @param options - `replace: true` to replace a learner registered under the same name.
 * @throws `TavtError` (from `@tavt/core`) `BAD_CONFIG` for a malformed or taken name.
 */
export function registerMetaLearner(
  name: string,
  factory: MetaLearnerFactory,
  options: { replace?: boolean } = {},
): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new TavtError("BAD_CONFIG", `meta: a learner name must be letters, digits, "-" or "_", got "${name}"`, {
      name,
    });
  }
  if (factories.has(name) && !options.replace) {
    throw new TavtError(
      "BAD_CONFIG",
      `meta: a learner named "${name}" is already registered (pass { replace: true } to replace it)`,
      { name },
    );
  }
  factories.set(name, factory);
}

/**
 * Remove a registered learner; returns whether one was there.
 *
 * @param name - The learner's name.
 * @returns True when a learner of that name was registered.
 */
export function unregisterMetaLearner(name: string): boolean {
  return factories.delete(name);
}

/**
 * A learner by name; throws `TavtError` "NOT_FOUND" listing the registered names.
 *
 * @param name - `maml`, `fomaml`, `reptile`, `anil`, `joint`, or a name registered with {@link registerMetaLearner}.
 * @param config - Its settings (`innerLr`, `innerSteps`, `outerLr`, `outerSchedule`, `clipNorm`, `frozen`, ...).
 * @returns A new learner.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for an unknown name, `BAD_CONFIG` for settings out of range.
 * @example
 * ```ts
 * const learner = getMetaLearner("maml", { innerLr: 0.05, outerLr: 0.01 });
 * ```
 */
export function getMetaLearner(name: string, config: MetaLearnerConfig = {}): MetaLearner {
  const factory = factories.get(name);
  if (!factory) {
    throw new TavtError(
      "NOT_FOUND",
      `meta: no meta-learner named "${name}"; registered: ${listMetaLearners().join(", ")}`,
      { name, registered: listMetaLearners() },
    );
  }
  return factory(config);
}

/**
 * The registered names: built-ins first, then the user's in registration order.
 *
 * @returns The names, built-ins first.
 */
export function listMetaLearners(): string[] {
  return [...factories.keys()];
}
