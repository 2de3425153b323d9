import { describe, expect, it } from "vitest";
import {
  cloneTree,
  countParams,
  disposeTree,
  flatten,
  fromLeaves,
  isTavtError,
  keepTree,
  leaves,
  mapTree,
  mergeTrees,
  type ParamTree,
  selectTree,
  type TavtError,
  tf,
  treeNames,
  treeShapes,
  unflatten,
  zipTrees,
} from "../src";

const tree = (): ParamTree => ({
  head: { weight: tf.zeros([2, 3]) },
  blocks: {
    "10": { w: tf.ones([1]) },
    "2": { w: tf.ones([2]) },
    "1": { w: tf.ones([3]), b: tf.zeros([3]) },
  },
  alpha: tf.scalar(1),
});

function thrown(fn: () => unknown): TavtError {
  try {
    fn();
  } catch (e) {
    expect(isTavtError(e)).toBe(true);
    return e as TavtError;
  }
  throw new Error("expected a TavtError");
}

describe("parameter trees", () => {
  it("names leaves with dotted paths in stable natural order (blocks.2 before blocks.10), whatever the insertion order", () => {
    const t = tree();
    const want = ["alpha", "blocks.1.b", "blocks.1.w", "blocks.2.w", "blocks.10.w", "head.weight"];
    expect(treeNames(t)).toEqual(want);
    expect(Object.keys(flatten(t))).toEqual(want);
    expect(leaves(t).map((l) => l.size)).toEqual([1, 3, 3, 2, 1, 6]);
    // the same tree built in another order has the same names
    const other: ParamTree = {
      alpha: t.alpha!,
      head: t.head!,
      blocks: {
        "1": (t.blocks as ParamTree)["1"]!,
        "10": (t.blocks as ParamTree)["10"]!,
        "2": (t.blocks as ParamTree)["2"]!,
      },
    };
    expect(treeNames(other)).toEqual(want);
    expect(treeShapes(t)).toEqual({
      alpha: [],
      "blocks.1.b": [3],
      "blocks.1.w": [3],
      "blocks.2.w": [2],
      "blocks.10.w": [1],
      "head.weight": [2, 3],
    });
    disposeTree(t);
  });

  it("flatten and unflatten are inverses; fromLeaves rebuilds from names and tensors", () => {
    const t = tree();
    const back = unflatten(flatten(t));
    expect(treeNames(back)).toEqual(treeNames(t));
    expect(flatten(back)["blocks.10.w"]).toBe(flatten(t)["blocks.10.w"]); // shared, not copied
    const rebuilt = fromLeaves(treeNames(t), leaves(t));
    expect(treeShapes(rebuilt)).toEqual(treeShapes(t));
    expect(thrown(() => fromLeaves(["a", "b"], [tf.scalar(0)])).code).toBe("BAD_INPUT");
    expect(thrown(() => unflatten({ a: tf.scalar(0), "a.b": tf.scalar(1) })).message).toContain('"a.b"');
    disposeTree(t);
  });

  it("mapTree, zipTrees, selectTree, mergeTrees, countParams", () => {
    const t = tree();
    const doubled = mapTree(t, (x) => x.add(1).mul(2));
    expect(Array.from((flatten(doubled)["blocks.2.w"] as tf.Tensor).dataSync())).toEqual([4, 4]);
    const sum = zipTrees(t, doubled, (a, b, name) => (name === "alpha" ? a.add(b) : a.sub(b)));
    expect(flatten(sum).alpha!.dataSync()[0]).toBe(5);
    expect(countParams(t)).toBe(16);
    const blocks = selectTree(t, (n) => n.startsWith("blocks."));
    expect(treeNames(blocks)).toEqual(["blocks.1.b", "blocks.1.w", "blocks.2.w", "blocks.10.w"]);
    const merged = mergeTrees(t, { alpha: doubled.alpha! });
    expect(merged.alpha).toBe(doubled.alpha);
    expect(flatten(merged)["head.weight"]).toBe(flatten(t)["head.weight"]);
    const e = thrown(() => mergeTrees(t, { beta: tf.scalar(0) }));
    expect(e.message).toContain('"beta"');
    disposeTree(t);
    disposeTree(doubled);
    disposeTree(sum);
  });

  it("zipTrees refuses trees of different structure and names the differing leaves", () => {
    const a = tree();
    const b = mapTree(a, (x) => x.clone());
    (b.head as ParamTree).bias = tf.zeros([3]);
    const e = thrown(() => zipTrees(a, b, (x, y) => x.add(y)));
    expect(e.code).toBe("BAD_INPUT");
    expect(e.message).toContain("zipTrees");
    expect(e.message).toContain("head.bias");
    const c = selectTree(a, (n) => n !== "blocks.10.w");
    expect(thrown(() => zipTrees(a, c, (x) => x)).message).toContain("blocks.10.w");
    disposeTree(a);
    disposeTree(b);
  });

  it("cloneTree copies, disposeTree frees every leaf, keepTree survives tf.tidy", () => {
    const before = tf.memory().numTensors;
    const t = tree();
    const c = cloneTree(t);
    expect(flatten(c).alpha).not.toBe(flatten(t).alpha);
    disposeTree(t);
    expect(leaves(t).every((l) => l.isDisposed)).toBe(true);
    expect(flatten(c).alpha!.dataSync()[0]).toBe(1);
    const kept = tf.tidy(() => {
      const inner = mapTree(c, (x) => x.mul(3));
      return keepTree(inner);
    });
    expect(flatten(kept)["blocks.1.w"]!.dataSync()[0]).toBe(3);
    disposeTree(c);
    disposeTree(kept);
    expect(tf.memory().numTensors).toBe(before);
  });
});
