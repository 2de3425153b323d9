import { createRequire } from "node:module";

/** How initBackend loads a backend's package and reads its environment: Node's (backendLoad.browser.ts: a page's). */

const requireHere = createRequire(import.meta.url);

/** Load a backend's package (its name, or a path) as `require` does; throws where it is not installed. */
export function loadBackendModule(specifier: string): unknown {
  return requireHere(specifier);
}

/** The environment initBackend reads when the caller gives none (`TAVT_BACKEND`, `TAVT_WASM_THREADS`, ...). */
export function defaultEnv(): Record<string, string | undefined> {
  return process.env;
}
