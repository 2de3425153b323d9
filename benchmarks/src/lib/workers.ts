/**
 * Runs transfer jobs in worker processes, several at once. Each worker is a child process with one BLAS thread
 * (unless TAVT_NATIVE_THREADS / TAVT_WASM_THREADS say otherwise): at this model size two single-threaded runs get
 * more from two cores than one run on two BLAS threads, and the native kernels give the same numbers for any thread
 * count, so the results do not depend on how the jobs were spread. Workers take the next job as they finish one and
 * keep their data and auditory spaces between jobs; results come back in the jobs' order.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Output } from "@tavt/cli";
import type { JobResult, TransferJob } from "./transfer";

/** Parent to worker. */
export type ToWorker = { type: "job"; index: number; job: TransferJob };

/** Worker to parent. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; index: number; result: JobResult }
  | { type: "error"; index: number; message: string; user: boolean };

const WORKER = fileURLToPath(
  new URL(`./transfer-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url),
);

/** Node options a worker starts with: tsx's loader where this file runs as TypeScript (the benchmarks run with tsx). */
function workerExecArgv(): string[] {
  if (!WORKER.endsWith(".ts")) return [];
  const tsx = createRequire(import.meta.url).resolve("tsx");
  return ["--import", pathToFileURL(tsx).href];
}

/** The environment of a worker: one BLAS (and wasm) thread unless the caller chose a count. */
export function workerEnv(env: NodeJS.ProcessEnv, index: number, quiet: boolean): NodeJS.ProcessEnv {
  return {
    ...env,
    TAVT_NATIVE_THREADS: env.TAVT_NATIVE_THREADS || "1",
    TAVT_WASM_THREADS: env.TAVT_WASM_THREADS || "1",
    TAVT_BENCH_WORKER: String(index),
    TAVT_BENCH_QUIET: quiet ? "1" : "",
  };
}

/**
 * Runs every job in `workers` child processes.
 *
 * @param jobs - The jobs, in the order their results are returned.
 * @param workers - How many processes run at once (at least 2; 1 runs in-process instead, see runTransfer).
 * @param out - Where notes go; the workers write their progress and notes to this process's stderr themselves.
 * @returns Each job's result, in the jobs' order.
 * @throws The first job's error (a user error stays one: exit code 2), or an Error when a worker dies.
 */
export function runInWorkers(jobs: readonly TransferJob[], workers: number, out: Output): Promise<JobResult[]> {
  out.note(`running ${jobs.length} jobs in ${workers} worker processes`);
  const results: (JobResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const children: ChildProcess[] = [];
  return new Promise<JobResult[]>((resolve, reject) => {
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const c of children) c.kill();
      reject(e);
    };
    for (let w = 0; w < workers; w++) {
      const child = fork(WORKER, [], {
        execArgv: workerExecArgv(),
        env: workerEnv(process.env, w, out.quiet),
        serialization: "advanced",
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      children.push(child);
      /** The job this worker is running (-1: none). */
      let pending = -1;
      const give = () => {
        if (failed) return;
        if (next >= jobs.length) {
          child.disconnect();
          return;
        }
        pending = next++;
        child.send({ type: "job", index: pending, job: jobs[pending]! } satisfies ToWorker);
      };
      child.on("message", (m: FromWorker) => {
        if (m.type === "ready") return give();
        pending = -1;
        if (m.type === "error") {
          const e = new Error(m.message);
          if (m.user) e.name = "TavtError";
          return fail(e);
        }
        results[m.index] = m.result;
        done++;
        give(); // the next job, or disconnect: the worker then exits
        if (done === jobs.length) resolve(results as JobResult[]);
      });
      child.on("error", (e) => fail(e));
      child.on("exit", (code, signal) => {
        // a worker exits 0 once it is told there is nothing left; any other exit before the end is a failure
        if (failed || done === jobs.length || (code === 0 && pending < 0)) return;
        const j = pending >= 0 ? jobs[pending] : undefined;
        const during = j ? ` during ${j.method} (seed ${j.seed})` : "";
        fail(new Error(`benchmark worker ${w} exited with ${signal ?? `code ${code}`}${during}`));
      });
    }
  });
}
