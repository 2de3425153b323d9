import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** h5wasm's API (its Node and browser builds share it). */
export type H5 = typeof import("h5wasm/node");

let h5: Promise<H5> | null = null;

/** h5wasm's Node build (HDF5 compiled to wasm, reading the real file system lazily), loaded once. */
export function loadH5wasm(): Promise<H5> {
  h5 ??= import("h5wasm/node").then(async (m) => {
    await m.ready;
    return m;
  });
  return h5;
}

/** Put an HDF5 file's bytes where h5wasm can open them: in Node, a temp file (its build reads the real file system). */
export function stageH5Bytes(_mod: H5, bytes: Uint8Array): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "tavt-h5-"));
  const path = join(dir, "features.h5");
  writeFileSync(path, bytes);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
