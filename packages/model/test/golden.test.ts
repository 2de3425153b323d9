import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FlatParams,
  flatten,
  initBackend,
  isTavtError,
  type ParamTree,
  rng,
  type TavtError,
  tf,
  treeNames,
  unflatten,
  valueAndGrad,
} from "@tavt/core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectScalarClose, worstAllClose } from "../../../tools/test-utils/fixture";
import { type Ablation, type CaptionBatch, initTavt, makeConfig, type TavtConfig, tavtLoss } from "../src";

// Fixtures written by tools/golden/tavt_model.py (PyTorch, float64): `/usr/bin/python3 tools/golden/tavt_model.py`.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../../tools/fixtures/model");

interface Json {
  shape: number[];
  data: number[];
}
interface Fixture {
  config: Omit<TavtConfig, "ablation">;
  ablation: Partial<Ablation>;
  params: Record<string, Json>;
  bank: Json;
  batch: Record<"visual" | "visualMask" | "audio" | "audioMask" | "tokens", Json>;
  expected: { parts: Record<"cap" | "rec" | "dis" | "dep" | "total", number>; grads: Record<string, Json> };
}

const t = (j: Json, dtype: "float32" | "int32" = "float32") => tf.tensor(j.data, j.shape, dtype);

/** |got - want| against torch.allclose's bound atol + rtol * |want| (atol 1e-6): at most 1 where it holds. */
function worstError(got: tf.Tensor, want: Json, rtol: number): number {
  expect(got.shape).toEqual(want.shape);
  return worstAllClose(got.dataSync(), want.data, rtol).ratio;
}

beforeAll(async () => {
  await initBackend();
});

type Part = "cap" | "rec" | "dis" | "dep";
const PARTS: readonly Part[] = ["cap", "rec", "dis", "dep"];

/** A fixture's parameters, batch and bank as tensors, with the configuration it was written for. */
function load(name: string) {
  const fx: Fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));
  const config = makeConfig("tiny", { ...fx.config, ablation: fx.ablation });
  const flat: FlatParams = {};
  for (const [k, v] of Object.entries(fx.params)) flat[k] = t(v);
  const b = fx.batch;
  const batch: CaptionBatch = {
    ids: ["a", "b", "c"],
    domains: ["x", "x", "x"],
    visual: t(b.visual) as tf.Tensor3D,
    visualMask: t(b.visualMask) as tf.Tensor2D,
    audio: t(b.audio) as tf.Tensor3D,
    audioMask: t(b.audioMask) as tf.Tensor2D,
    tokens: t(b.tokens, "int32") as tf.Tensor2D,
    references: [[], [], []],
  };
  const bank = t(fx.bank) as tf.Tensor2D;
  const loss = (p: ParamTree) => tavtLoss(p, batch, rng.key(0), { bank, config, training: false });
  return { fx, config, flat, params: unflatten(flat), loss };
}

/** Names whose gradient is outside torch.allclose(rtol 1e-4, atol 1e-6) of the reference, with the worst ratio. */
function badGrads(got: FlatParams, want: Record<string, Json>): (readonly [string, number])[] {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  return Object.entries(want)
    .map(([k, w]) => [k, worstError(got[k]!, w, 1e-4)] as const)
    .filter(([, e]) => !(e <= 1));
}

describe.each(["tavt_tiny", "tavt_tiny_nowma", "tavt_dccl"])("the full TAVT loss against PyTorch (%s)", (name) => {
  it("agrees on every part of eq. 10 and on the gradient of every parameter to 1e-4", () => {
    const { fx, config, flat, params, loss } = load(name);
    // the reference's parameter tree has exactly our names
    expect(Object.keys(flat).sort()).toEqual(treeNames(initTavt(rng.key(0), config)).sort());
    const parts = loss(params);
    for (const k of [...PARTS, "total"] as const)
      expectScalarClose(parts[k].dataSync()[0]!, fx.expected.parts[k], 1e-4, k);
    const { grads } = valueAndGrad((p) => loss(p).total, params);
    expect(badGrads(flatten(grads), fx.expected.grads)).toEqual([]);
  });
});

describe("DCCL's gradient paths at full weight against PyTorch (tavt_dccl: lambda = mu = 1, two decoder blocks)", () => {
  type Expected = Fixture["expected"] & {
    partGrads: Record<Part, Record<string, Json>>;
    unreached: Record<Part, string[]>;
    dep: Record<"r" | "rPos" | "rNeg", Json>;
  };
  let d: ReturnType<typeof load>;
  let e: Expected;
  beforeAll(() => {
    d = load("tavt_dccl"); // after the outer beforeAll has picked the backend
    e = d.fx.expected as Expected;
  });

  it("the fixture is one where the DCCL terms matter: A+ and A- give clearly different gates", () => {
    expect(d.fx.config.lambda).toBe(1);
    expect(d.fx.config.mu).toBe(1);
    expect(d.fx.config.decoderBlocks).toBe(2);
    const diff = (a: Json, b: Json) => Math.max(...a.data.map((x, i) => Math.abs(x - b.data[i]!)));
    expect(diff(e.dep.rPos, e.dep.rNeg), "max |r+ - r-|").toBeGreaterThan(0.5);
    expect(diff(e.dep.r, e.dep.rPos), "max |r - r+|").toBeGreaterThan(0.5);
    expect(Math.abs(e.parts.dep - Math.LN2), "|L_dep - ln 2|").toBeGreaterThan(0.05);
  });

  it.each(PARTS)("%s alone: the same parameters reach it, each with PyTorch's gradient (1e-4)", (part) => {
    const { flat, loss } = d;
    const want = e.partGrads[part];
    const reached = Object.keys(want);
    const unreached = e.unreached[part];
    expect([...reached, ...unreached].sort()).toEqual(Object.keys(flat).sort());
    // Gradient with respect to the reached parameters only; the others stay fixed at their values.
    const sub = (names: string[]) => unflatten(Object.fromEntries(names.map((n) => [n, flat[n]!])));
    const partOf = (p: ParamTree) => loss(unflatten({ ...flat, ...flatten(p) }))[part];
    const { grads } = valueAndGrad(partOf, sub(reached));
    expect(badGrads(flatten(grads), want)).toEqual([]);
    // No path from the others: our valueAndGrad names exactly them as unreached.
    if (unreached.length > 0) {
      let named: string[] = [];
      try {
        valueAndGrad(partOf, sub(unreached));
      } catch (err) {
        expect(isTavtError(err)).toBe(true);
        named = ((err as TavtError).details as { unreached: string[] }).unreached;
      }
      expect([...named].sort()).toEqual([...unreached].sort());
    }
  });
});
