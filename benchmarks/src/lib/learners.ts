import { learnerFileName, loadLearnerFile } from "@tavt/cli";
import type { BenchOptions } from "./options";
import { inputPath } from "./paths";
import type { Variant } from "./transfer";

/**
 * A `--learner` path as the user meant it: nx runs the benchmarks in benchmarks/, so a relative path is looked up
 * from the directory pnpm was started in (INIT_CWD), then the repository root, then benchmarks/.
 */
export function learnerPath(spec: string): string {
  return inputPath(spec);
}

/**
 * The rows `--learner FILE` adds: "TAVT (<file name>)", TAVT meta-trained with the user's learner on the same
 * protocol as the built-in rows. Each file is loaded now, so a bad path or export stops before any training.
 */
export async function learnerVariants(o: BenchOptions): Promise<Variant[]> {
  const rows: Variant[] = [];
  for (const spec of o.learners) {
    const file = learnerPath(spec);
    await loadLearnerFile(file);
    rows.push({ name: `TAVT (${learnerFileName(file)})`, sets: ["model.kind=tavt", `meta.learner=${file}`] });
  }
  return rows;
}
