/** One option line of a measurement script's `--help`. */
export interface ScriptOption {
  flag: string;
  text: string;
}

const PRESET: ScriptOption = {
  flag: "--preset <name>",
  text: "quick (the same as --quick), default or paper (the full measurement; nothing here depends on the model preset)",
};

/**
 * For the measurement scripts (speed, kmeans, metrics-speed), which parse their own few flags: `--help` prints the
 * options and exits 0; `--preset quick` is read as `--quick`; an unknown `--preset` value exits 2 with one line.
 * Returns whether the quick size was asked for.
 */
export function scriptHelp(name: string, description: string, options: readonly ScriptOption[]): boolean {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    const all = [...options, PRESET, { flag: "--help", text: "print this help and exit" }];
    const width = Math.max(...all.map((o) => o.flag.length)) + 2;
    process.stdout.write(
      `Usage: pnpm nx run benchmarks:${name}[:quick] -- [options]\n\n${description}\n\nOptions:\n${all
        .map((o) => `  ${o.flag.padEnd(width)}${o.text}`)
        .join("\n")}\n`,
    );
    process.exit(0);
  }
  const at = argv.indexOf("--preset");
  const preset = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !["quick", "default", "paper"].includes(preset ?? "")) {
    process.stderr.write(`tavt: --preset ${preset ?? ""}: expected one of quick, default, paper\n`);
    process.exit(2);
  }
  return argv.includes("--quick") || preset === "quick";
}
