import { threadSetting } from "./threadSetting";
import type { SgemmPool } from "./wasmSgemmWorkers";

/**
 * The browser build's wasmSgemmWorkers: no worker pool. A page's workers would need cross-origin isolation for the
 * shared memory; the products run on the main thread, in the same summation order, so the numbers are the same.
 */

/** For the backend report: a page's products run on its main thread, whatever TAVT_WASM_THREADS says. */
export const THREADS_SETTING = "the browser build: no worker threads";

export const JOB_SGEMM = 1;
export const JOB_BATCH = 2;
export type { SgemmPool };

/** TAVT_WASM_THREADS where the caller passes it, else 1 (a browser build runs the products on one thread). */
export function wasmThreadCount(env: Record<string, string | undefined> = {}): number {
  return threadSetting(env, 1);
}

let configured = 1;

export function sgemmPoolError(): string | null {
  return configured > 1 ? "the browser build of @tavt/core has no worker threads" : null;
}

export function configureWasmThreads(threads: number): void {
  configured = threads;
}

export function resetSgemmPool(): void {}

export function sgemmPool(_workspaceFloats: number): SgemmPool | null {
  return null;
}
