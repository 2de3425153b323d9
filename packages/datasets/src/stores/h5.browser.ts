/** The browser build's h5wasm: its ES module build (HDF5 in wasm, 4 MB, loaded on first use), files in its memory. */
export type H5 = typeof import("h5wasm/node");

let h5: Promise<H5> | null = null;

export function loadH5wasm(): Promise<H5> {
  h5 ??= import("h5wasm").then(async (m) => {
    await m.ready;
    return m as unknown as H5;
  });
  return h5;
}

interface MemFs {
  writeFile(path: string, data: Uint8Array): void;
  unlink(path: string): void;
}

let staged = 0;

/** Put an HDF5 file's bytes in h5wasm's in-memory file system (a page has no other). */
export function stageH5Bytes(mod: H5, bytes: Uint8Array): { path: string; remove(): void } {
  const fs = (mod as unknown as { FS: MemFs }).FS;
  const path = `/tavt-features-${staged++}.h5`;
  fs.writeFile(path, bytes);
  return { path, remove: () => fs.unlink(path) };
}
