import { defineConfig } from "vite";

// A static site that works from any folder of any static host: relative asset URLs, the example run in public/.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    target: "es2022",
    // tfjs with four backends is one large chunk; the app itself is small.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
  server: { fs: { allow: ["../.."] } },
});
