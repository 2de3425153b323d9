import { type FlatParams, flatten, type ParamTree, TavtError, treeNames, unflatten } from "@tavt/core";
import type { ParamSelector } from "./types";

/**
 * A name predicate from a selector: prefix, list of prefixes, regular expression (whole dotted name) or function.
 *
 * @param selector - A prefix, a list of prefixes, a regular expression or a predicate.
 * @returns A predicate on dotted names.
 */
export function paramPredicate(selector: ParamSelector): (name: string) => boolean {
  if (typeof selector === "function") return selector;
  if (typeof selector === "string") return (name) => name.startsWith(selector);
  if (selector instanceof RegExp) {
    const re = new RegExp(selector.source, selector.flags.replace(/[gy]/g, "")); // no lastIndex state
    return (name) => re.test(name);
  }
  const prefixes = [...(selector as readonly string[])];
  return (name) => prefixes.some((p) => name.startsWith(p));
}

/**
 * The dotted names of `params` a selector picks.
 *
 * @param params - The tree.
 * @param selector - A prefix, a list of prefixes, a regular expression or a predicate.
 * @returns The dotted names picked, in `treeNames` order.
 */
export function selectNames(params: ParamTree, selector: ParamSelector): string[] {
  const keep = paramPredicate(selector);
  return treeNames(params).filter(keep);
}

/**
 * Split a tree by a predicate into the leaves it picks and the rest (tensors shared, not copied).
 *
 * @param params - The tree.
 * @param pick - True for the names to pick.
 * @returns The picked leaves and the rest, each by dotted name.
 */
export function partitionTree(
  params: ParamTree,
  pick: (name: string) => boolean,
): { picked: FlatParams; rest: FlatParams } {
  const picked: FlatParams = {};
  const rest: FlatParams = {};
  for (const [n, t] of Object.entries(flatten(params))) {
    if (pick(n)) picked[n] = t;
    else rest[n] = t;
  }
  return { picked, rest };
}

/**
 * A tree from two disjoint flat maps (tensors shared).
 *
 * @param a - Leaves by dotted name.
 * @param b - Other leaves by dotted name (disjoint from `a`).
 * @returns The tree of both.
 */
export function joinFlat(a: FlatParams, b: FlatParams): ParamTree {
  return unflatten({ ...a, ...b });
}

/** Throws a `TavtError` naming `field` when a selection of parameters is empty. */
export function requireSome(names: readonly string[], field: string, all: readonly string[]): void {
  if (names.length === 0) {
    throw new TavtError(
      "BAD_CONFIG",
      `meta: "${field}" selects no parameter; the tree has ${all.length} (${all.slice(0, 6).join(", ")}${all.length > 6 ? ", ..." : ""})`,
      { field, names: all.slice(0, 20) },
    );
  }
}
