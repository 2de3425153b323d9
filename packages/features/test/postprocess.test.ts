import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeNpz } from "@tavt/datasets";
import { describe, expect, it } from "vitest";
import { loadVggishPca, postprocessVggish } from "../src";

/** A PCA file in the layout of VGGish's vggish_pca_params.npz, at d = 3. */
function pcaFile(dir: string): string {
  const file = join(dir, "pca.npz");
  writeNpz(file, [
    { id: "pca_eigen_vectors", data: new Float32Array([0, 1, 0, 1, 0, 0, 0, 0, 2]), shape: [3, 3] },
    { id: "pca_means", data: new Float32Array([1, 2, 3]), shape: [3, 1] },
  ]);
  return file;
}

describe("VGGish's PCA and quantisation from the user's parameter file", () => {
  it("(e - means) @ eigenVectors^T, then clip to [-2, 2] and floor((x + 2) * 255 / 4)", async () => {
    const pca = await loadVggishPca(pcaFile(mkdtempSync(join(tmpdir(), "tavt-pca-"))));
    const e = new Float32Array([2, 2, 3, 0, 5, 4.5]);
    // row 0: e - m = [1, 0, 0] -> [0, 1, 0]; row 1: e - m = [-1, 3, 1.5] -> [3, -1, 3]
    expect(Array.from(postprocessVggish(e, 2, pca, false))).toEqual([0, 1, 0, 3, -1, 3]);
    // quantised: 0 -> 127 (127.5 floored), 1 -> 191 (191.25), 3 -> clipped 2 -> 255, -1 -> 63 (63.75)
    expect(Array.from(postprocessVggish(e, 2, pca, true))).toEqual([127, 191, 127, 255, 63, 255]);
  });

  it("a file without VGGish's arrays is an error naming it and the array", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tavt-pca-"));
    const file = join(dir, "other.npz");
    writeNpz(file, [{ id: "weights", data: new Float32Array(4), shape: [2, 2] }]);
    await expect(loadVggishPca(file)).rejects.toThrow(/other\.npz: no "pca_eigen_vectors"/);
  });
});
