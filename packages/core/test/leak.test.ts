import { beforeAll, describe, expect, it } from "vitest";
import {
  type AdamState,
  adamInit,
  adamStep,
  applyDecoderBlock,
  clipByGlobalNorm,
  type DecoderBlockParams,
  disposeTree,
  initBackend,
  initDecoderBlock,
  type ParamTree,
  rng,
  tf,
  valueAndGrad,
} from "../src";

beforeAll(async () => {
  await initBackend();
});

describe("no tensor leaks", () => {
  it("tf.memory().numTensors is flat over 100 forward+backward+Adam steps of a decoder block (dropout on)", () => {
    const config = { dim: 8, heads: 2, ffn: 16, memoryDim: 6, dropout: 0.1 };
    const k = rng.splitNamed(rng.key(5), ["init", "x", "memory", "target", "train"]);
    const x = rng.normal(k.x, [2, 4, 8]);
    const memory = rng.normal(k.memory, [2, 5, 6]);
    const target = rng.normal(k.target, [2, 4, 8]);
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ]);
    const memoryMask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [1, 1, 0, 0, 0],
    ]);
    let params: ParamTree = initDecoderBlock(k.init, config);
    let state: AdamState = adamInit(params);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 100; step++) {
      const ctx = { training: true, key: rng.foldIn(k.train, step) };
      const { value, grads } = valueAndGrad((p) => {
        const y = applyDecoderBlock(p as DecoderBlockParams, { x, memory, mask, memoryMask }, config, ctx);
        return y.sub(target).square().mean() as tf.Scalar;
      }, params);
      const clipped = clipByGlobalNorm(grads, 1);
      const next = adamStep(params, clipped.grads, state, { lr: 1e-2 });
      losses.push(value.dataSync()[0]!);
      for (const t of [params, state.m, state.v, grads, clipped.grads]) disposeTree(t);
      value.dispose();
      params = next.params;
      state = next.state;
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts), `tensor counts per step: ${counts.slice(0, 5)} ... ${counts.slice(-5)}`).toEqual(
      new Set([counts[0]]),
    );
    // and it trained: the loss fell
    expect(losses[99]!).toBeLessThan(0.5 * losses[0]!);
    for (const t of [params, state.m, state.v]) disposeTree(t);
    for (const t of [x, memory, target, mask, memoryMask]) t.dispose();
  });
});
