import { Command, CommanderError } from "commander";
import { benchCommand } from "./commands/bench";
import { clustersCommand } from "./commands/clusters";
import { dataCommand } from "./commands/data";
import { domainsCommand } from "./commands/domains";
import { featuresCommand } from "./commands/features";
import { pipelineCommands } from "./commands/pipelines";
import { scoreCommand } from "./commands/score";
import { EXIT, errorLine, isUserError } from "./errors";

/**
 * The `tavt` program (commander), every command registered.
 *
 * @returns The commander program; `main` parses the command line with it.
 */
export function buildProgram(): Command {
  const program = new Command("tavt")
    .description(
      "TAVT (ACL 2023): transferable audio-visual captioning. Meta-train, adapt, caption, score, and reproduce the paper's tables.",
    )
    .version(VERSION)
    .showHelpAfterError(false)
    .addHelpText(
      "after",
      "\nExample:\n  $ pnpm tavt train --preset quick --meta-learner maml --seed 1 --out runs/maml-1\n",
    );
  for (const c of [
    ...pipelineCommands(),
    scoreCommand(),
    dataCommand(),
    domainsCommand(),
    clustersCommand(),
    featuresCommand(),
    benchCommand(),
  ]) {
    program.addCommand(c);
  }
  return program;
}

/** The package's version, defined at build time by tsup (tsup.config.ts) and in tests by vitest.config.ts. */
declare const __TAVT_CLI_VERSION__: string;
const VERSION = __TAVT_CLI_VERSION__;

/** Make every command (and sub-command) throw instead of exiting, and print nothing on its own for errors. */
function quiet(cmd: Command, writeErr: (s: string) => void): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr, outputError: () => {} });
  for (const c of cmd.commands) quiet(c, writeErr);
}

/** Where `main` writes its error line (stderr by default). */
export interface MainIo {
  stderr?: NodeJS.WritableStream;
}

/**
 * Run `tavt` with `argv` (without node and the script) and return the exit code: 0 success, 1 failure, 2 user
 * error (a TavtError, a metrics input error, a bad option or config), printed as one line on stderr.
 *
 * @param argv - The arguments, e.g. `["score", "--refs", "refs.json", "--cands", "cands.json"]`.
 * @param io - Where to write the error line (default `process.stderr`).
 * @returns The exit code.
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  const program = buildProgram();
  quiet(program, (s) => stderr.write(s));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return EXIT.ok;
      // `tavt` or `tavt data` without a subcommand: commander printed the help on stderr; that is a failure.
      if (e.code === "commander.help") return e.exitCode === 0 ? EXIT.ok : EXIT.failure;
      if (e.code === "commander.executeSubCommandAsync" || e.exitCode === 0) return EXIT.ok;
      stderr.write(`${errorLine(new Error(e.message.replace(/^error: /, "")))}\n`);
      return EXIT.user;
    }
    if (isUserError(e)) {
      stderr.write(`${errorLine(e)}\n`);
      return EXIT.user;
    }
    stderr.write(`${errorLine(e)}\n`);
    if (process.env.TAVT_DEBUG) stderr.write(`${(e as Error).stack ?? ""}\n`);
    return EXIT.failure;
  }
}
