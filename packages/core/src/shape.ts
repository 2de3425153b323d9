import { TavtError } from "./errors";
import type { Tensor } from "./tf";

/** A dimension is a fixed size, or `null` for "any". */
export type ShapeSpec = readonly (number | null)[];

const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => (d === null ? "*" : String(d))).join(", ")}]`;

/**
 * Throws a SHAPE_MISMATCH `TavtError` naming the function, the tensor, the expected and the actual shape.
 *
 * @param fn - The calling function's name, for the message.
 * @param name - The tensor's name, for the message.
 * @param t - A tensor or a shape.
 * @param expected - The expected shape; `null` for a dimension of any size.
 * @throws {@link TavtError} `SHAPE_MISMATCH` when the rank or a fixed dimension differs.
 * @example
 * ```ts
 * assertShape("attention.apply", "query", q, [null, null, 256]);
 * ```
 */
export function assertShape(fn: string, name: string, t: Tensor | readonly number[], expected: ShapeSpec): void {
  const shape = Array.isArray(t) ? (t as readonly number[]) : (t as Tensor).shape;
  const ok = shape.length === expected.length && expected.every((d, i) => d === null || d === shape[i]);
  if (!ok) {
    throw new TavtError("SHAPE_MISMATCH", `${fn}: ${name} should have shape ${fmt(expected)}, got ${fmt(shape)}`, {
      fn,
      name,
      expected: [...expected],
      actual: [...shape],
    });
  }
}

/**
 * Throws unless `t` has exactly `rank` dimensions.
 *
 * @param fn - The calling function's name, for the message.
 * @param name - The tensor's name, for the message.
 * @param t - The tensor.
 * @param rank - The number of dimensions it must have.
 * @throws {@link TavtError} `SHAPE_MISMATCH` when the rank differs.
 */
export function assertRank(fn: string, name: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    throw new TavtError("SHAPE_MISMATCH", `${fn}: ${name} should have rank ${rank}, got shape ${fmt(t.shape)}`, {
      fn,
      name,
      expectedRank: rank,
      actual: [...t.shape],
    });
  }
}

/** The lowest finite float32: masked attention scores use it (not -inf) so a fully masked row stays finite. */
export const FLOAT32_LOWEST = -3.4028234663852886e38;
