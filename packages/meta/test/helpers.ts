import { applyLinear, initLinear, type Key, type LinearParams, type ParamTree, rng, tf } from "@tavt/core";
import type { LossFn, Task } from "../src";

/** A regression batch: inputs [N, in], targets [N, out]. */
export interface XYBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
}

/** A tanh MLP with layers l1 .. ln (linear weight [out, in], as @tavt/core's layers). */
export function initMlp(key: Key, dims: readonly number[]): ParamTree {
  const keys = rng.split(key, dims.length - 1);
  const params: ParamTree = {};
  for (let i = 0; i + 1 < dims.length; i++) {
    params[`l${i + 1}`] = initLinear(keys[i]!, { inDim: dims[i]!, outDim: dims[i + 1]! }) as unknown as ParamTree;
  }
  return params;
}

export function applyMlp(params: ParamTree, x: tf.Tensor2D): tf.Tensor2D {
  const layers = Object.keys(params).length;
  let h: tf.Tensor = x;
  for (let i = 1; i <= layers; i++) {
    h = applyLinear(params[`l${i}`] as unknown as LinearParams, h); // [N, d_i]
    if (i < layers) h = tf.tanh(h);
  }
  return h as tf.Tensor2D;
}

/** Mean squared error; ignores the key (no randomness). */
export const mse: LossFn<XYBatch> = (params, batch) =>
  tf.tidy(() => tf.mean(tf.square(applyMlp(params, batch.x).sub(batch.y))) as tf.Scalar);

export function randomBatch(key: Key, n: number, inDim: number, outDim: number): XYBatch {
  const k = rng.split(key, 2);
  return { x: rng.normal(k[0]!, [n, inDim]) as tf.Tensor2D, y: rng.normal(k[1]!, [n, outDim]) as tf.Tensor2D };
}

export function disposeBatch(b: XYBatch): void {
  b.x.dispose();
  b.y.dispose();
}

/** Dispose every distinct batch of a set of tasks. */
export function disposeTasks(tasks: Task<XYBatch>[]): void {
  for (const b of new Set(tasks.flatMap((t) => [...t.support, t.query]))) disposeBatch(b);
}

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Two tasks of one support and one query batch each (4 samples, 3 -> 2), from split(key, 4) in that order. */
export function twoRandomTasks(key: Key): Task<XYBatch>[] {
  const k = rng.split(key, 4);
  return [
    { support: [randomBatch(k[0]!, 4, 3, 2)], query: randomBatch(k[1]!, 4, 3, 2) },
    { support: [randomBatch(k[2]!, 4, 3, 2)], query: randomBatch(k[3]!, 4, 3, 2) },
  ];
}
