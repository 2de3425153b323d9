/**
 * A benchmark worker process (see ./workers.ts): it runs the transfer jobs its parent sends, one at a time, and
 * sends back each result or error. Progress and notes go straight to the inherited stderr, as plain lines.
 */
import { Writable } from "node:stream";
import { ensureBackend, isUserError, Output } from "@tavt/cli";
import { JobCaches, runJob } from "./transfer";
import type { FromWorker, ToWorker } from "./workers";

const index = Number(process.env.TAVT_BENCH_WORKER ?? "0");
const quiet = process.env.TAVT_BENCH_QUIET === "1";
// plain lines, never a progress bar: several workers share the terminal
const stderr = new Writable({
  write(chunk, _encoding, callback) {
    process.stderr.write(chunk, callback);
  },
});
const out = new Output({ quiet, stderr });
const send = (m: FromWorker) => process.send?.(m);

const caches = new JobCaches();
await ensureBackend(new Output({ quiet: true }));
process.on("disconnect", () => {
  caches.close();
  process.exit(0);
});
process.on("message", (m: ToWorker) => {
  void (async () => {
    try {
      const result = await runJob(m.job, caches, out, index === 0);
      send({ type: "result", index: m.index, result });
    } catch (e) {
      send({
        type: "error",
        index: m.index,
        message: e instanceof Error ? e.message : String(e),
        user: isUserError(e),
      });
    }
  })();
});
send({ type: "ready" });
