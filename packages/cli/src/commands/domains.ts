import { msrvttDomainCounts } from "@tavt/datasets";
import { Command, Option } from "commander";
import { alignedTable } from "../report/tables";
import { type CommonOptions, example, outputOf, withCommon } from "./common";

interface DomainsOptions extends CommonOptions {
  annotations: string;
  split: "random" | "official";
}

export function domainsCommand(): Command {
  const domains = new Command("domains").description("the paper's domain regroupings of real datasets");
  const msrvtt = withCommon(
    new Command("msrvtt")
      .description("MSR-VTT's 20 categories regrouped into the paper's 10 domains (Tables 1 and 6), with split sizes")
      .requiredOption(
        "--annotations <dir>",
        "directory of train_val_videodatainfo.json, test_videodatainfo.json, category.txt",
      )
      .addOption(
        new Option("--split <strategy>", "per-domain train/test split")
          .choices(["random", "official"])
          .default("random"),
      ),
  ).action((o: DomainsOptions) => {
    const out = outputOf(o);
    const counts = msrvttDomainCounts(o.annotations, { strategy: o.split });
    out.result(counts, () =>
      alignedTable(
        Object.entries(counts).map(([domain, c]) => ({
          domain,
          role: c.role,
          count: c.count,
          train: c.train,
          test: c.test,
          categories: c.categories.join(", "),
        })),
      ),
    );
  });
  example(msrvtt, "pnpm tavt domains msrvtt --annotations ../shared/data/msrvtt --json");
  domains.addCommand(msrvtt);
  return domains;
}
