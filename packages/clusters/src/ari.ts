import { TavtError } from "@tavt/core";

const pairs = (m: number) => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index of two labellings of the same points (Hubert and Arabie 1985): 1 for identical partitions
 * (up to renaming), about 0 for independent ones. Equals scikit-learn's `adjusted_rand_score`.
 *
 * @param a - One labelling.
 * @param b - Another labelling of the same points.
 * @returns The adjusted Rand index: 1 for identical clusterings, about 0 for random ones.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when the labellings have different lengths.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new TavtError("BAD_INPUT", `adjustedRandIndex: labellings have ${a.length} and ${b.length} points`);
  }
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  let index = 0;
  for (const m of table.values()) index += pairs(m);
  let sumA = 0;
  for (const m of rows.values()) sumA += pairs(m);
  let sumB = 0;
  for (const m of cols.values()) sumB += pairs(m);
  const total = pairs(n);
  const expected = total === 0 ? 0 : (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  // Both partitions trivial in the same way (all one cluster, or all singletons): identical, as scikit-learn says.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
