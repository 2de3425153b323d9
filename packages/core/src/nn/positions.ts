import { tf } from "../tf";

/**
 * Sinusoidal position encodings [length, dim] (Vaswani et al. 2017): PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(...).
 *
 * @param length - The number of positions.
 * @param dim - The encoding's width.
 * @returns The encodings `[length, dim]` (the caller disposes them).
 */
export function sinusoidalPositions(length: number, dim: number): tf.Tensor2D {
  const pe = new Float32Array(length * dim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dim; i += 2) {
      const angle = p / 10000 ** (i / dim);
      pe[p * dim + i] = Math.sin(angle);
      if (i + 1 < dim) pe[p * dim + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(pe, [length, dim]);
}
