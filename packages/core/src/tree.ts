import { TavtError } from "./errors";
import { tf } from "./tf";

/** A parameter tree: nested plain objects whose leaves are tensors. Lists are objects with keys "0", "1", ... */
export interface ParamTree {
  [name: string]: tf.Tensor | ParamTree;
}

/** A tree flattened to dotted names (`encoder.blocks.0.attn.q.weight`) in stable (natural) order. */
export type FlatParams = Record<string, tf.Tensor>;

const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

const isTensor = (x: unknown): x is tf.Tensor => x instanceof tf.Tensor;

/**
 * The dotted names of all leaves, in stable natural order.
 *
 * @param tree - The parameter tree.
 * @param prefix - A dotted prefix put before every name (none by default).
 * @returns The leaves' dotted names, sorted naturally (`blocks.2` before `blocks.10`).
 */
export function treeNames(tree: ParamTree, prefix = ""): string[] {
  const names: string[] = [];
  for (const k of Object.keys(tree).sort(byName)) {
    const v = tree[k]!;
    const name = prefix ? `${prefix}.${k}` : k;
    if (isTensor(v)) names.push(name);
    else names.push(...treeNames(v, name));
  }
  return names;
}

/**
 * Flatten to `{dotted.name: tensor}` (the tensors are shared, not copied).
 *
 * @param tree - The parameter tree.
 * @returns A record from dotted name to leaf, in natural name order; the tensors are the tree's own.
 * @example
 * ```ts
 * Object.keys(flatten({ encoder: { ln: { weight: w, bias: b } } })); // ["encoder.ln.bias", "encoder.ln.weight"]
 * ```
 */
export function flatten(tree: ParamTree): FlatParams {
  const out: FlatParams = {};
  const walk = (t: ParamTree, prefix: string) => {
    for (const k of Object.keys(t).sort(byName)) {
      const v = t[k]!;
      const name = prefix ? `${prefix}.${k}` : k;
      if (isTensor(v)) out[name] = v;
      else walk(v, name);
    }
  };
  walk(tree, "");
  return out;
}

/**
 * Inverse of `flatten`.
 *
 * @param flat - Leaves under dotted names.
 * @returns The nested tree (tensors shared with `flat`).
 * @throws {@link TavtError} `BAD_INPUT` when a name nests under another leaf (`a` and `a.b`).
 */
export function unflatten(flat: FlatParams): ParamTree {
  const root: ParamTree = {};
  for (const name of Object.keys(flat).sort(byName)) {
    const parts = name.split(".");
    let node = root;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined) node[p] = {};
      else if (isTensor(next)) {
        throw new TavtError("BAD_INPUT", `tree.unflatten: "${name}" nests under a leaf named "${p}"`);
      }
      node = node[p] as ParamTree;
    }
    node[parts[parts.length - 1]!] = flat[name]!;
  }
  return root;
}

/**
 * Leaves in `treeNames` order.
 *
 * @param tree - The parameter tree.
 * @returns The leaves (shared, not copied) in `treeNames` order.
 */
export function leaves(tree: ParamTree): tf.Tensor[] {
  return Object.values(flatten(tree));
}

/**
 * Rebuild a tree with the structure of `names` from a list of leaves (used with `tf.grads`).
 *
 * @param names - Dotted names, one per value.
 * @param values - The tensors, in the order of `names`.
 * @returns The nested tree (tensors shared with `values`).
 * @throws {@link TavtError} `BAD_INPUT` when the lengths differ or a name nests under another leaf.
 */
export function fromLeaves(names: readonly string[], values: readonly tf.Tensor[]): ParamTree {
  if (names.length !== values.length) {
    throw new TavtError("BAD_INPUT", `tree.fromLeaves: ${names.length} names but ${values.length} tensors`);
  }
  const flat: FlatParams = {};
  names.forEach((n, i) => {
    flat[n] = values[i]!;
  });
  return unflatten(flat);
}

/**
 * A new tree with `fn` applied to every leaf.
 *
 * @param tree - The parameter tree.
 * @param fn - Called with each leaf and its dotted name; returns the new leaf.
 * @returns A tree of the same structure holding what `fn` returned.
 */
export function mapTree(tree: ParamTree, fn: (t: tf.Tensor, name: string) => tf.Tensor): ParamTree {
  const flat = flatten(tree);
  const out: FlatParams = {};
  for (const [n, t] of Object.entries(flat)) out[n] = fn(t, n);
  return unflatten(out);
}

/**
 * A new tree combining two trees of identical structure leaf by leaf.
 *
 * @param a - The first tree.
 * @param b - A tree with exactly the same dotted names as `a`.
 * @param fn - Called with the two leaves of each name and the name; returns the new leaf.
 * @returns A tree of the same structure holding what `fn` returned.
 * @throws {@link TavtError} `BAD_INPUT` when the trees' names differ (naming up to five of them).
 */
export function zipTrees(
  a: ParamTree,
  b: ParamTree,
  fn: (x: tf.Tensor, y: tf.Tensor, name: string) => tf.Tensor,
): ParamTree {
  const fa = flatten(a);
  const fb = flatten(b);
  const na = Object.keys(fa);
  const nb = Object.keys(fb);
  if (na.length !== nb.length || na.some((n, i) => n !== nb[i])) {
    const missing = na.filter((n) => !(n in fb)).concat(nb.filter((n) => !(n in fa)));
    throw new TavtError(
      "BAD_INPUT",
      `tree.zipTrees: the trees differ in structure (${missing.slice(0, 5).join(", ")})`,
    );
  }
  const out: FlatParams = {};
  for (const n of na) out[n] = fn(fa[n]!, fb[n]!, n);
  return unflatten(out);
}

/**
 * The subtree of leaves whose dotted name satisfies `keep` (tensors shared).
 *
 * @param tree - The parameter tree.
 * @param keep - Called with each dotted name; true keeps the leaf.
 * @returns The kept leaves as a tree (tensors shared).
 */
export function selectTree(tree: ParamTree, keep: (name: string) => boolean): ParamTree {
  const flat = flatten(tree);
  const out: FlatParams = {};
  for (const [n, t] of Object.entries(flat)) if (keep(n)) out[n] = t;
  return unflatten(out);
}

/**
 * `base` with the leaves of `override` put in place of the same-named leaves (tensors shared).
 *
 * @param base - The tree to start from.
 * @param override - Leaves that replace the same-named leaves of `base`.
 * @returns A new tree (tensors shared with both inputs).
 * @throws {@link TavtError} `BAD_INPUT` when `override` has a name that `base` lacks.
 */
export function mergeTrees(base: ParamTree, override: ParamTree): ParamTree {
  const flat = flatten(base);
  for (const [n, t] of Object.entries(flatten(override))) {
    if (!(n in flat)) throw new TavtError("BAD_INPUT", `tree.mergeTrees: "${n}" is not in the base tree`);
    flat[n] = t;
  }
  return unflatten(flat);
}

/**
 * Total number of scalar parameters.
 *
 * @param tree - The parameter tree.
 * @returns The sum of the leaves' sizes.
 */
export function countParams(tree: ParamTree): number {
  return leaves(tree).reduce((s, t) => s + t.size, 0);
}

/**
 * Dispose every leaf.
 *
 * @param tree - The tree whose tensors are disposed.
 */
export function disposeTree(tree: ParamTree): void {
  for (const t of leaves(tree)) t.dispose();
}

/**
 * A deep copy (new tensors).
 *
 * @param tree - The parameter tree.
 * @returns A tree of the same structure with cloned leaves (the caller disposes them).
 */
export function cloneTree(tree: ParamTree): ParamTree {
  return mapTree(tree, (t) => t.clone());
}

/**
 * Keep every leaf out of the enclosing `tf.tidy` (so a tree can be returned from one).
 *
 * @param tree - The tree whose leaves are kept with `tf.keep`.
 * @returns The same tree.
 */
export function keepTree<T extends ParamTree>(tree: T): T {
  for (const t of leaves(tree)) tf.keep(t);
  return tree;
}

/**
 * `{name: shape}` for every leaf.
 *
 * @param tree - The parameter tree.
 * @returns Each leaf's shape under its dotted name.
 */
export function treeShapes(tree: ParamTree): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [n, t] of Object.entries(flatten(tree))) out[n] = [...t.shape];
  return out;
}
