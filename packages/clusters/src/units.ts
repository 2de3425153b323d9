import { TavtError } from "@tavt/core";

/** One video's audio features: `frames` rows of `dim` values, row-major. */
export interface FeatureSequence {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** Units of T frames cut from feature sequences and mean-pooled: `data` [n, dim] row-major. */
export interface Units {
  data: Float32Array;
  n: number;
  dim: number;
  /** For each unit, the index of the sequence it came from. */
  sequence: Int32Array;
}

/**
 * How many units of `unit` frames a sequence of `frames` frames gives (a shorter last unit counts).
 *
 * @param frames - The sequence's frame count.
 * @param unit - T, frames per unit.
 * @returns ceil(frames / unit).
 */
export function unitCount(frames: number, unit: number): number {
  return Math.ceil(frames / unit);
}

/**
 * Cut each sequence into units of `unit` (T) frames and mean-pool each unit, as clip pooling does (eq. 1): unit i
 * covers frames i*T .. i*T+T-1 and a shorter last unit is the mean of the frames it has. Sequences with no frames
 * give no units. Throws BAD_INPUT when dims differ between sequences or a sequence's data has the wrong size.
 *
 * @param sequences - The feature sequences (all of one `dim`).
 * @param unit - T, frames per unit (a positive integer).
 * @returns The units `[n, dim]` row-major, with the sequence each came from.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` for a bad `unit`, no sequences, differing dims or data of the
 *   wrong size.
 */
export function cutUnits(sequences: readonly FeatureSequence[], unit: number): Units {
  const fn = "cutUnits";
  if (!(Number.isInteger(unit) && unit >= 1)) {
    throw new TavtError("BAD_INPUT", `${fn}: unit (T) must be a positive integer, got ${unit}`, { field: "unit" });
  }
  if (sequences.length === 0) throw new TavtError("BAD_INPUT", `${fn}: no feature sequences given`);
  const dim = sequences[0]!.dim;
  let n = 0;
  sequences.forEach((s, q) => {
    if (!(Number.isInteger(s.dim) && s.dim >= 1) || s.dim !== dim) {
      throw new TavtError(
        "BAD_INPUT",
        `${fn}: sequence ${q} has feature dim ${s.dim} but sequence 0 has ${dim} (dims mismatch)`,
        { field: "dim", sequence: q },
      );
    }
    if (!(Number.isInteger(s.frames) && s.frames >= 0) || s.data.length !== s.frames * dim) {
      throw new TavtError(
        "BAD_INPUT",
        `${fn}: sequence ${q} has ${s.data.length} values but [frames=${s.frames}, dim=${dim}] needs ${s.frames * dim}`,
        { field: "data", sequence: q },
      );
    }
    n += unitCount(s.frames, unit);
  });
  const data = new Float32Array(n * dim);
  const sequence = new Int32Array(n);
  const acc = new Float64Array(dim);
  let u = 0;
  sequences.forEach((s, q) => {
    for (let start = 0; start < s.frames; start += unit) {
      const end = Math.min(start + unit, s.frames);
      acc.fill(0);
      for (let f = start; f < end; f++) for (let d = 0; d < dim; d++) acc[d]! += s.data[f * dim + d];
      for (let d = 0; d < dim; d++) data[u * dim + d] = acc[d]! / (end - start);
      sequence[u++] = q;
    }
  });
  return { data, n, dim, sequence };
}
