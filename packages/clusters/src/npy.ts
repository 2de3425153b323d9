import { existsSync, readFileSync } from "node:fs";
import { decodeNpy, TavtError } from "@tavt/core";

/** A 2-D point set read from a file. */
export interface PointSet {
  data: Float32Array;
  n: number;
  dim: number;
}

/**
 * Read a 2-D `.npy` file [N, D] (float32 or float64, as numpy writes them; other numeric types are converted) as N
 * points of dimension D, with @tavt/core's .npy decoder. Throws NOT_FOUND for a missing file, BAD_FILE for a file
 * that is not a valid .npy, and BAD_INPUT for an array that is not 2-D or is empty.
 *
 * @param path - A 2-D `.npy` file.
 * @returns The points as float32, with their count `n` and dimension `dim`.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` for an invalid one, `BAD_INPUT`
 *   for an array that is not 2-D or is empty.
 */
export function readNpy(path: string): PointSet {
  if (!existsSync(path)) throw new TavtError("NOT_FOUND", `${path}: file not found`, { file: path });
  const { data, shape } = decodeNpy(readFileSync(path), path);
  if (shape.length !== 2) {
    throw new TavtError(
      "BAD_INPUT",
      `${path}: expected a 2-D array [N, D] of points, got shape (${shape.join(", ")})`,
      { file: path, shape },
    );
  }
  const [n, dim] = shape as [number, number];
  if (n === 0 || dim === 0) {
    throw new TavtError("BAD_INPUT", `${path}: the array [${n}, ${dim}] holds no points`, { file: path, shape });
  }
  return { data, n, dim };
}
