// The browser build bundles the two backends a page can use from core (webgl and webgpu are the app's to add).
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";

const BUNDLED = new Set(["@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-cpu"]);

/** The browser build's loader: wasm and cpu are imported above; the Node-only backends cannot load in a page. */
export function loadBackendModule(specifier: string): unknown {
  if (BUNDLED.has(specifier)) return {};
  throw new Error(
    `${specifier} needs Node.js; a browser has the wasm and cpu backends (and webgl/webgpu, added by the app)`,
  );
}

/** A page has no process environment: initBackend reads only what its caller passes. */
export function defaultEnv(): Record<string, string | undefined> {
  return {};
}
