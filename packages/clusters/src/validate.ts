import { TavtError } from "@tavt/core";

const bad = (message: string, details: Record<string, unknown> = {}) => new TavtError("BAD_INPUT", message, details);

/** Check a point set [n, dim]: sizes, and that every value is finite (names the first bad row and column). */
export function checkPoints(fn: string, what: string, data: ArrayLike<number>, n: number, dim: number): void {
  if (!(Number.isInteger(n) && n >= 1))
    throw bad(`${fn}: ${what}: n must be a positive integer, got ${n}`, { field: "n" });
  if (!(Number.isInteger(dim) && dim >= 1)) {
    throw bad(`${fn}: ${what}: dim must be a positive integer, got ${dim}`, { field: "dim" });
  }
  if (data.length !== n * dim) {
    throw bad(`${fn}: ${what} has ${data.length} values but [n=${n}, dim=${dim}] needs ${n * dim} (dims mismatch)`, {
      field: what,
    });
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / dim);
      throw bad(
        `${fn}: ${what} has ${Number.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity"} at row ${row}, column ${i - row * dim}; k-means needs finite values`,
        { field: what, row, column: i - row * dim },
      );
    }
  }
}

/** A positive integer option. */
export function checkPositiveInt(fn: string, field: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 1)) throw bad(`${fn}: ${field} must be a positive integer, got ${v}`, { field });
}

/** k between 1 and n. */
export function checkK(fn: string, k: number, n: number): void {
  checkPositiveInt(fn, "k", k);
  if (k > n) {
    throw bad(`${fn}: k=${k} is larger than the number of points (${n}); k-means needs at least k points`, {
      field: "k",
      k,
      n,
    });
  }
}
