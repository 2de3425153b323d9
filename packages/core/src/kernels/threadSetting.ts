/**
 * TAVT_WASM_THREADS from `env` when set (1 = the main thread alone), else `fallback`. Shared by the Node and browser
 * builds of wasmSgemmWorkers, which differ only in the fallback.
 *
 * @param env - Environment variables to read TAVT_WASM_THREADS from.
 * @param fallback - The count to use where it is unset or empty.
 * @returns The thread count.
 * @throws Error where TAVT_WASM_THREADS is set to something other than a positive integer.
 */
export function threadSetting(env: Record<string, string | undefined>, fallback: number): number {
  const raw = env.TAVT_WASM_THREADS;
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`TAVT_WASM_THREADS: expected a positive integer (1 = no worker threads), got "${raw}"`);
  }
  return n;
}
