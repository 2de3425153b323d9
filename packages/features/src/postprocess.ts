import { TavtError } from "@tavt/core";
import { openFeatureStore } from "@tavt/datasets";

/**
 * VGGish's postprocessor (vggish_postprocess.py of the VGGish release): PCA `(e - means) @ eigenVectors^T`, then, with
 * `quantize`, values clipped to [-2, 2] and mapped to 0..255 (`floor((x + 2) * 255 / 4)`, numpy's `astype(uint8)`, as the
 * released AudioSet embeddings; stored as float32 here). The parameters come from the user's file, VGGish's `vggish_pca_params.npz`
 * (`pca_eigen_vectors` [d, d], `pca_means` [d, 1]).
 */
export interface VggishPca {
  eigenVectors: Float32Array;
  means: Float32Array;
  dim: number;
}

/**
 * VGGish's PCA parameters from the release's `vggish_pca_params.npz`.
 *
 * @param file - The release's `vggish_pca_params.npz`.
 * @returns The eigenvectors `[d, d]`, the means `[d]` and d.
 * @throws `TavtError` (from `@tavt/core`) `NOT_FOUND` for a missing file, `BAD_FILE` when it lacks the arrays or their
 *   shapes do not match.
 */
export async function loadVggishPca(file: string): Promise<VggishPca> {
  const store = await openFeatureStore(file);
  try {
    for (const k of ["pca_eigen_vectors", "pca_means"]) {
      if (!store.has(k)) {
        throw new TavtError(
          "BAD_FILE",
          `${file}: no "${k}" (VGGish's vggish_pca_params.npz holds pca_eigen_vectors and pca_means)`,
          {
            file,
            field: k,
          },
        );
      }
    }
    const [rows, cols] = store.shape("pca_eigen_vectors");
    const [mRows, mCols] = store.shape("pca_means");
    if (rows !== cols || mRows !== rows || mCols !== 1) {
      throw new TavtError(
        "BAD_FILE",
        `${file}: pca_eigen_vectors is [${rows}, ${cols}] and pca_means [${mRows}, ${mCols}], expected [d, d] and [d, 1]`,
        { file },
      );
    }
    return { eigenVectors: store.read("pca_eigen_vectors"), means: store.read("pca_means"), dim: rows };
  } finally {
    store.close();
  }
}

/**
 * Apply VGGish's PCA (and, with `quantize`, its 8-bit quantisation) to `[n, dim]` embeddings.
 *
 * @param data - The embeddings, row-major `[n, dim]`.
 * @param n - The number of embeddings.
 * @param pca - The PCA parameters.
 * @param quantize - Whether to clip and quantise to 0..255.
 * @returns The post-processed embeddings `[n, dim]`.
 * @throws `TavtError` (from `@tavt/core`) `BAD_INPUT` when the embeddings' dim is not the PCA's.
 */
export function postprocessVggish(data: Float32Array, n: number, pca: VggishPca, quantize: boolean): Float32Array {
  const d = pca.dim;
  if (data.length !== n * d) {
    throw new TavtError(
      "BAD_INPUT",
      `VGGish PCA: embeddings of dim ${data.length / Math.max(1, n)}, the PCA file has ${d}`,
      {
        field: "pca",
      },
    );
  }
  const out = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[r * d + j]! - pca.means[j]!) * pca.eigenVectors[i * d + j]!;
      out[r * d + i] = quantize ? Math.floor((Math.min(2, Math.max(-2, s)) + 2) * (255 / 4)) : s;
    }
  }
  return out;
}
