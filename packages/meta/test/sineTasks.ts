import { type Key, rng, tf } from "@tavt/core";
import type { Task } from "../src";
import type { XYBatch } from "./helpers";

/** A sine task y = A sin(x - phi), A in [0.5, 2], phi in [0, pi], x in [-5, 5] (Finn et al. 2017, narrowed). */
export interface Sine {
  amplitude: number;
  phase: number;
}

export function sampleSine(key: Key): Sine {
  const u = rng.uniformArray(key, 2);
  return { amplitude: 0.5 + 1.5 * u[0]!, phase: Math.PI * u[1]! };
}

export function sineBatch(key: Key, sine: Sine, n: number): XYBatch {
  const xs = Array.from(rng.uniformArray(key, n), (u) => -5 + 10 * u);
  const ys = xs.map((x) => sine.amplitude * Math.sin(x - sine.phase));
  return { x: tf.tensor2d(xs, [n, 1]), y: tf.tensor2d(ys, [n, 1]) };
}

/** `count` tasks of `k` support and `k` query points each. */
export function sineTasks(key: Key, count: number, k: number): Task<XYBatch>[] {
  return rng.split(key, count).map((tk) => {
    const [ks, kx, kq] = rng.split(tk, 3);
    const sine = sampleSine(ks!);
    return { support: [sineBatch(kx!, sine, k)], query: sineBatch(kq!, sine, k) };
  });
}
