import { disposeTree, initBackend, type ParamTree, rng, tf, treeNames, valueAndGrad } from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  applyDecoder,
  applyDecoderGates,
  applyDecoderPrefix,
  captionCrossEntropy,
  type DecoderParams,
  initDecoder,
  shiftTokens,
} from "../src";
import { makeDecoder, randomMemory, tinyConfig } from "./helpers";

beforeAll(async () => {
  await initBackend();
});

const tokens = () => tf.tensor2d([1, 5, 6, 7, 2, 0, 1, 8, 9, 2, 0, 0], [2, 6], "int32");

describe("applyDecoder", () => {
  it("returns logits [B, L, V] and gates [B, L, d] in (0, 1) from the last block (contract 3)", () => {
    const p = makeDecoder(1);
    const mem = randomMemory(2, 2);
    const out = applyDecoder(p, { ...mem, tokens: tokens() }, tinyConfig, {}, { allBlocks: true });
    expect(out.logits.shape).toEqual([2, 6, 11]);
    expect(out.alphaAv.shape).toEqual([2, 6, 8]);
    expect(out.alphaVa.shape).toEqual([2, 6, 8]);
    const a = out.alphaAv.dataSync();
    expect(Math.min(...a)).toBeGreaterThan(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(out.blockGates).toHaveLength(2);
    expect(Array.from(out.blockGates![1]!.alphaVa.dataSync())).toEqual(Array.from(out.alphaVa.dataSync()));
    expect(Array.from(out.blockGates![0]!.alphaVa.dataSync())).not.toEqual(Array.from(out.alphaVa.dataSync()));
  });

  it("is causal: changing a later token leaves the earlier positions' logits and gates unchanged", () => {
    const p = makeDecoder(1);
    const mem = randomMemory(2, 1);
    const a = applyDecoder(p, { ...mem, tokens: tf.tensor2d([[1, 5, 6, 7]], [1, 4], "int32") }, tinyConfig);
    const b = applyDecoder(p, { ...mem, tokens: tf.tensor2d([[1, 5, 9, 4]], [1, 4], "int32") }, tinyConfig);
    const first2 = (t: tf.Tensor) => Array.from(t.slice([0, 0, 0], [1, 2, -1]).dataSync());
    expect(first2(a.logits)).toEqual(first2(b.logits));
    expect(first2(a.alphaAv)).toEqual(first2(b.alphaAv));
    expect(Array.from(a.logits.slice([0, 2, 0], [1, 1, -1]).dataSync())).not.toEqual(
      Array.from(b.logits.slice([0, 2, 0], [1, 1, -1]).dataSync()),
    );
  });

  it("a shared prefix (the first block's memory-free half) gives the same outputs and gradients, dropout on", () => {
    const p = makeDecoder(7) as DecoderParams;
    const ctx = { training: true, key: rng.key(11) };
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0], [2, 6]);
    const cfg = { ...tinyConfig, dropout: 0.3 };
    const mems = [randomMemory(8, 2), randomMemory(9, 2)];
    // two passes over different memories, as DCCL's (V, A) and (V, A+) passes: recomputed, then sharing the prefix
    const loss = (params: ParamTree, shared: boolean) => {
      const dp = params as DecoderParams;
      const inp = { tokens: tokens(), tokenMask: mask };
      const prefix = shared ? applyDecoderPrefix(dp, inp, cfg, ctx) : null;
      const a = applyDecoder(dp, { ...mems[0]!, ...inp, prefix }, cfg, ctx);
      const g = applyDecoderGates(dp, { ...mems[1]!, ...inp, prefix }, cfg, ctx);
      return a.logits.square().mean().add(a.alphaVa.mul(g.alphaAv).mean()) as tf.Scalar;
    };
    const sep = valueAndGrad((q) => loss(q, false), p as ParamTree);
    const shr = valueAndGrad((q) => loss(q, true), p as ParamTree);
    expect(shr.value.dataSync()[0]).toBe(sep.value.dataSync()[0]);
    const names = treeNames(sep.grads);
    expect(treeNames(shr.grads)).toEqual(names);
    const flat = (t: ParamTree) => {
      const out: tf.Tensor[] = [];
      const walk = (x: ParamTree | tf.Tensor) => {
        if (x instanceof tf.Tensor) out.push(x);
        else for (const k of Object.keys(x).sort()) walk(x[k] as ParamTree | tf.Tensor);
      };
      walk(t);
      return out;
    };
    const [gs, gh] = [flat(sep.grads), flat(shr.grads)];
    let nonzero = 0;
    gs.forEach((g, i) => {
      const want = g.dataSync();
      const got = gh[i]!.dataSync();
      want.forEach((w, j) => {
        if (w !== 0) nonzero++;
        expect(Math.abs(got[j]! - w)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(w)); // summed in another order
      });
    });
    expect(nonzero).toBeGreaterThan(100);
    disposeTree(sep.grads);
    disposeTree(shr.grads);
    expect(() =>
      applyDecoder(
        p,
        { ...mems[0]!, tokens: tokens(), prefix: { x1: tf.zeros([2, 5, 8]), y: tf.zeros([2, 5, 8]) } },
        cfg,
      ),
    ).toThrow(/prefix\.y/);
  });

  it("lastOnly gives the last position of the full output", () => {
    const p = makeDecoder(3);
    const mem = randomMemory(4, 2);
    const full = applyDecoder(p, { ...mem, tokens: tokens() }, tinyConfig);
    const last = applyDecoder(p, { ...mem, tokens: tokens() }, tinyConfig, {}, { lastOnly: true });
    expect(last.logits.shape).toEqual([2, 1, 11]);
    const want = full.logits.slice([0, 5, 0], [2, 1, -1]).dataSync();
    const got = last.logits.dataSync();
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });

  it("uses the gates as eq. 4-5 say: saturating both gates open equals the 'sum' fusion", () => {
    const p = makeDecoder(5) as DecoderParams;
    const mem = randomMemory(6, 2);
    const open = tf.tidy(() => {
      const blocks: Record<string, ParamTree> = {};
      for (const [i, blk] of Object.entries(p.blocks)) {
        const gate = (g: ParamTree) => ({ weight: tf.zerosLike(g.weight as tf.Tensor), bias: tf.fill([8], 30) });
        blocks[i] = { ...blk, gateAv: gate(blk.gateAv as ParamTree), gateVa: gate(blk.gateVa as ParamTree) };
      }
      return { ...p, blocks } as DecoderParams;
    });
    const gated = applyDecoder(open, { ...mem, tokens: tokens() }, tinyConfig).logits.dataSync();
    const sum = applyDecoder(p, { ...mem, tokens: tokens() }, { ...tinyConfig, fusion: "sum" }).logits.dataSync();
    sum.forEach((v, i) => {
      expect(gated[i]).toBeCloseTo(v, 4);
    });
    // closing the x_va gate (bias -30) removes x_va from the computation
    const closed = tf.tidy(() => {
      const blocks: Record<string, ParamTree> = {};
      for (const [i, blk] of Object.entries(open.blocks)) {
        blocks[i] = { ...blk, gateVa: { weight: tf.zeros([8, 16]), bias: tf.fill([8], -30) } };
      }
      return { ...open, blocks } as DecoderParams;
    });
    const otherVa = randomMemory(99, 2).xVa;
    const c1 = applyDecoder(closed, { ...mem, tokens: tokens() }, tinyConfig).logits.dataSync();
    const c2 = applyDecoder(closed, { ...mem, xVa: otherVa, tokens: tokens() }, tinyConfig).logits.dataSync();
    c1.forEach((v, i) => {
      expect(c2[i]).toBeCloseTo(v, 5);
    });
  });

  it("'sum' fusion has no gate parameters and reports gates of 1", () => {
    const cfg = { ...tinyConfig, fusion: "sum" as const };
    const p = initDecoder(rng.key(1), cfg);
    expect(treeNames(p).some((n) => n.includes("gate"))).toBe(false);
    expect(treeNames(makeDecoder(1)).filter((n) => n.includes("gate"))).toHaveLength(8);
    const out = applyDecoder(p, { ...randomMemory(2, 2), tokens: tokens() }, cfg);
    expect(new Set(out.alphaAv.dataSync())).toEqual(new Set([1]));
  });

  it("'single' streams attend x_av only: no x_va parameters, x_va not needed, alpha_va is 0", () => {
    const cfg = { ...tinyConfig, streams: "single" as const };
    const p = initDecoder(rng.key(1), cfg);
    expect(treeNames(p).some((n) => n.includes("crossVa") || n.includes("gate"))).toBe(false);
    const { xAv, xAvMask } = randomMemory(2, 2);
    const out = applyDecoder(p, { xAv, xAvMask, tokens: tokens() }, cfg);
    expect(out.logits.shape).toEqual([2, 6, 11]);
    expect(new Set(out.alphaVa.dataSync())).toEqual(new Set([0]));
    expect(() => applyDecoder(makeDecoder(1), { xAv, xAvMask, tokens: tokens() }, tinyConfig)).toThrow(/xVa/);
  });

  it("ties the output projection to the embedding on request", () => {
    const cfg = { ...tinyConfig, tieEmbedding: true };
    const p = initDecoder(rng.key(1), cfg);
    expect(treeNames(p).some((n) => n.startsWith("out."))).toBe(false);
    const out = applyDecoder(p, { ...randomMemory(2, 2), tokens: tokens() }, cfg);
    expect(out.logits.shape).toEqual([2, 6, 11]);
  });

  it("stays finite when a memory row is fully masked", () => {
    const p = makeDecoder(1);
    const mem = randomMemory(2, 2);
    const out = applyDecoder(
      p,
      { ...mem, xAvMask: tf.zeros([2, 5]), xVaMask: tf.zeros([2, 4]), tokens: tokens() },
      tinyConfig,
    );
    expect(out.logits.isNaN().any().dataSync()[0]).toBe(0);
  });

  it("checks shapes and names the field", () => {
    const p = makeDecoder(1);
    const mem = randomMemory(2, 2);
    expect(() => applyDecoder(p, { ...mem, xAv: tf.zeros([2, 5, 7]), tokens: tokens() }, tinyConfig)).toThrow(/xAv/);
    expect(() => initDecoder(rng.key(1), { ...tinyConfig, heads: 3 })).toThrow(/heads/);
  });

  it("does not leak tensors over repeated forward/backward steps", () => {
    const p = makeDecoder(1);
    const mem = randomMemory(2, 2);
    const tok = tokens();
    const step = () => {
      const { value, grads } = valueAndGrad((q) => {
        const s = shiftTokens(tok);
        const out = applyDecoder(q as DecoderParams, { ...mem, tokens: s.input, tokenMask: s.inputMask }, tinyConfig);
        return captionCrossEntropy(out.logits, s.target, s.targetMask);
      }, p);
      value.dispose();
      disposeTree(grads);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("captionCrossEntropy and shiftTokens", () => {
  it("shifts <bos> w <eos> <pad> rows into inputs and targets with masks", () => {
    const s = shiftTokens(tokens());
    expect(Array.from(s.input.dataSync())).toEqual([1, 5, 6, 7, 2, 1, 8, 9, 2, 0]);
    expect(Array.from(s.target.dataSync())).toEqual([5, 6, 7, 2, 0, 8, 9, 2, 0, 0]);
    expect(Array.from(s.targetMask.dataSync())).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 0, 0]);
  });

  it("is the weighted mean NLL over real tokens (eq. 9), by hand", () => {
    // logits for 1 video, 2 positions, V = 3; position 1 is padding
    const logits = tf.tensor3d([
      [
        [0, 1, 2],
        [3, 0, 0],
      ],
    ]);
    const target = tf.tensor2d([[2, 0]], [1, 2], "int32");
    const mask = tf.tensor2d([[1, 0]]);
    const lse = Math.log(1 + Math.E + Math.E ** 2);
    expect(captionCrossEntropy(logits, target, mask).dataSync()[0]).toBeCloseTo(lse - 2, 5);
    const w = tf.tensor2d([[0.5, 7]]);
    expect(captionCrossEntropy(logits, target, mask, w).dataSync()[0]).toBeCloseTo(0.5 * (lse - 2), 5);
  });
});
