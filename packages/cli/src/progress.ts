import cliProgress from "cli-progress";
import type { Output } from "./output";

/** Progress of a long job: steps, named losses and time left. */
export interface Progress {
  /** Record that `step` steps (of `total`) are done, with the latest values (losses). */
  update(step: number, values?: Record<string, number>): void;
  /** A line for a person (printed above the bar in a terminal). */
  log(line: string): void;
  stop(): void;
}

/** Options of `createProgress`: a label, the total, and how often to print a line when stderr is not a terminal. */
export interface ProgressOptions {
  label: string;
  total: number;
  /** Without a terminal: print a line every this many steps (and at the end); default about 20 lines per job. */
  every?: number;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function formatValues(values: Record<string, number>): string {
  return Object.entries(values)
    .map(
      ([k, v]) =>
        `${k}=${!Number.isFinite(v) ? v : Number.isInteger(v) ? v : Math.abs(v) >= 0.01 ? v.toFixed(4) : v.toExponential(2)}`,
    )
    .join(" ");
}

/**
 * A progress display: a cli-progress bar (steps, losses, time left) when stderr is a terminal, plain log lines
 * (`[label] step 10/100 loss=... elapsed 12s left 1m48s`) when it is not, nothing with `--quiet`.
 *
 * @param out - Where progress goes (stderr; nothing when quiet).
 * @param options - A label, the total steps, and how often to print a line when stderr is not a terminal.
 * @returns The display; update it per step and stop it at the end.
 */
export function createProgress(out: Output, options: ProgressOptions): Progress {
  const { label, total } = options;
  if (out.quiet) return { update() {}, log() {}, stop() {} };
  const t0 = performance.now();
  if (out.tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total} | {values} | {duration_formatted} elapsed, {eta_formatted} left`,
        stream: out.stderr as NodeJS.WritableStream,
        hideCursor: true,
        etaBuffer: 20,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { values: "" });
    return {
      update(step, values = {}) {
        bar.update(step, { values: formatValues(values) });
      },
      log(line) {
        out.stderr.write(`\r\x1b[K${line}\n`);
        bar.render();
      },
      stop() {
        bar.stop();
      },
    };
  }
  const every = options.every ?? Math.max(1, Math.round(total / 20));
  const line = (step: number, values: Record<string, number>) => {
    const elapsed = (performance.now() - t0) / 1000;
    const left = step > 0 ? (elapsed / step) * (total - step) : Number.NaN;
    const v = formatValues(values);
    out.note(
      `[${label}] step ${step}/${total}${v ? ` ${v}` : ""} elapsed ${formatSeconds(elapsed)} left ${formatSeconds(left)}`,
    );
  };
  return {
    update(step, values = {}) {
      if (step === total || step % every === 0) line(step, values);
    },
    log(l) {
      out.note(l);
    },
    stop() {},
  };
}
