import { beforeAll, describe, expect, it } from "vitest";
import {
  type AttentionParams,
  applyAttention,
  disposeTree,
  flatten,
  grad,
  initAttention,
  initBackend,
  mapTree,
  type ParamTree,
  rng,
  sgdStep,
  tf,
  valueAndGrad,
  zipTrees,
} from "../src";

// Differentiating through one inner SGD step of an attention layer (MAML, Finn et al. 2017):
// theta' = theta - alpha * grad L_support(theta); the meta-gradient is d L_query(theta') / d theta, which has the
// second-order term -alpha * H_support(theta) grad L_query(theta'). Checked against central finite differences.

const CONFIG = { dim: 4, heads: 2 };
const ALPHA = 0.5; // a large inner step, so the second-order term is far above the finite-difference error
const EPS = 1e-2; // float32: big enough that rounding (~1e-7 * |L| / EPS) stays small, small enough for O(EPS^2)

let theta: ParamTree;
let support: { x: tf.Tensor; y: tf.Tensor; mask: tf.Tensor };
let query: { x: tf.Tensor; y: tf.Tensor; mask: tf.Tensor };

beforeAll(async () => {
  await initBackend();
  const k = rng.splitNamed(rng.key(11), ["theta", "bias", "xs", "ys", "xq", "yq"]);
  const [b1, b2, b3, b4] = rng.split(k.bias, 4);
  const init = initAttention(k.theta, CONFIG);
  // non-zero biases so every leaf has a gradient worth checking
  const biases = { q: b1!, k: b2!, v: b3!, o: b4! };
  theta = mapTree(init, (t, name) => {
    if (!name.endsWith(".bias")) return t;
    t.dispose();
    return rng.normal(biases[name[0] as keyof typeof biases], [CONFIG.dim], 0, 0.3);
  });
  const mask = tf.tensor2d([
    [1, 1, 1],
    [1, 1, 0],
  ]);
  support = { x: rng.normal(k.xs, [2, 3, 4]), y: rng.normal(k.ys, [2, 3, 4]), mask };
  query = { x: rng.normal(k.xq, [2, 3, 4]), y: rng.normal(k.yq, [2, 3, 4]), mask: mask.clone() };
});

const loss = (p: ParamTree, d: { x: tf.Tensor; y: tf.Tensor; mask: tf.Tensor }): tf.Scalar =>
  tf.tidy(() => {
    const { out } = applyAttention(p as AttentionParams, { query: d.x, key: d.x, value: d.x, keyMask: d.mask }, CONFIG);
    return out.sub(d.y).square().mean() as tf.Scalar;
  });

/** L_query(theta - alpha * grad L_support(theta)); differentiable in theta to second order. */
const metaLoss = (p: ParamTree): tf.Scalar =>
  tf.tidy(() => {
    const inner = valueAndGrad((q) => loss(q, support), p);
    return loss(sgdStep(p, inner.grads, ALPHA), query);
  });

const dot = (a: ParamTree, b: ParamTree): number => {
  const fa = flatten(a);
  const fb = flatten(b);
  return tf.tidy(() => tf.addN(Object.keys(fa).map((n) => fa[n]!.mul(fb[n]!).sum())).dataSync()[0]!);
};

/** Central difference of metaLoss along the tree direction v. */
const centralDiff = (v: ParamTree): number =>
  tf.tidy(() => {
    const plus = zipTrees(theta, v, (t, d) => t.add(d.mul(EPS)));
    const minus = zipTrees(theta, v, (t, d) => t.sub(d.mul(EPS)));
    return (metaLoss(plus).dataSync()[0]! - metaLoss(minus).dataSync()[0]!) / (2 * EPS);
  });

describe("second-order gradient through an inner SGD step of attention", () => {
  it("matches central finite differences along random directions and on single coordinates, and differs from first-order MAML", () => {
    const before = tf.memory().numTensors;
    const second = grad(metaLoss, theta);
    // First-order MAML treats theta' as a constant: the query gradient at theta'.
    const first = tf.tidy(() => {
      const inner = grad((q) => loss(q, support), theta);
      const adapted = sgdStep(theta, inner, ALPHA);
      return grad((q) => loss(q, query), adapted);
    });

    const checks: { what: string; v: ParamTree }[] = [];
    for (let i = 0; i < 3; i++) {
      const k = rng.foldIn(rng.key(99), i);
      checks.push({ what: `direction ${i}`, v: mapTree(theta, (t, name) => rng.normal(rng.foldIn(k, name), t.shape)) });
    }
    for (const name of ["q.weight", "k.weight", "v.weight", "o.weight", "q.bias", "o.bias"]) {
      checks.push({
        what: `coordinate ${name}[1]`,
        v: mapTree(theta, (t, n) => {
          const e = new Float32Array(t.size);
          if (n === name) e[1] = 1;
          return tf.tensor(e, t.shape);
        }),
      });
    }
    for (const { what, v } of checks) {
      const fd = centralDiff(v);
      const so = dot(second, v);
      const fo = dot(first, v);
      const tol = 1e-3 + 1e-2 * Math.abs(fd);
      expect(Number.isFinite(so), `${what}: second-order value`).toBe(true);
      expect(Math.abs(so - fd), `${what}: second order ${so} vs finite differences ${fd}`).toBeLessThan(tol);
      // The first-order approximation misses the Hessian term: it is far outside the same tolerance.
      expect(Math.abs(fo - fd), `${what}: first order ${fo} vs finite differences ${fd}`).toBeGreaterThan(5 * tol);
      disposeTree(v);
    }
    disposeTree(second);
    disposeTree(first);
    expect(tf.memory().numTensors).toBe(before);
  });
});
