import { defineConfig } from "vite";

// A static site that works from any folder of any static host: relative asset URLs, the example run in public/.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    target: "es2022",
    // tfjs with four backends is one large chunk, h5wasm (HDF5 in wasm, loaded on first use) another.
    chunkSizeWarningLimit: 5120,
    reportCompressedSize: false,
  },
  server: { fs: { allow: ["../.."] } },
});
