import { renderVegaLite } from "@tavt/cli";

/** One cell of the learning-rate search as search.json saves it. */
export interface SearchCell {
  method: string;
  lr: number;
  seed: number;
  finalNll: number | null;
}

/** The search as search.json saves it. */
export interface SavedSearch {
  grid: number[];
  seeds: number[];
  steps: number;
  choices: Record<string, number>;
  cells: SearchCell[];
}

/**
 * The learning-rate search as one chart: each method's final validation NLL per word (mean over seeds) against the
 * outer learning rate on a log axis, one line per method, the chosen rate drawn as a filled diamond. A diverged run
 * (saved as null) leaves its point out.
 */
export async function lrSearchSvg(search: SavedSearch): Promise<string> {
  const values = Object.keys(search.choices).flatMap((method) =>
    search.grid.flatMap((lr) => {
      const xs = search.cells.filter((c) => c.method === method && c.lr === lr).map((c) => c.finalNll);
      if (xs.length === 0 || xs.some((x) => x === null || !Number.isFinite(x))) return [];
      const nll = (xs as number[]).reduce((a, b) => a + b, 0) / xs.length;
      return [{ method, lr, nll, pick: search.choices[method] === lr ? "chosen" : "not chosen" }];
    }),
  );
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Outer learning-rate search: the same grid for every method",
      subtitle: `validation NLL per word after ${search.steps} meta-steps, held-out source-domain videos; seed${search.seeds.length > 1 ? "s" : ""} ${search.seeds.join(", ")}`,
    },
    width: 420,
    height: 260,
    data: { values },
    config: { legend: { labelLimit: 320 } },
    layer: [
      {
        mark: { type: "line" },
        encoding: {
          x: {
            field: "lr",
            type: "quantitative",
            scale: { type: "log" },
            title: "outer learning rate",
            axis: { values: search.grid, format: "~g" },
          },
          y: { field: "nll", type: "quantitative", title: "final validation NLL per word", scale: { zero: false } },
          color: { field: "method", type: "nominal", sort: null },
        },
      },
      {
        mark: { type: "point", size: 150, filled: true },
        encoding: {
          x: { field: "lr", type: "quantitative", scale: { type: "log" } },
          y: { field: "nll", type: "quantitative" },
          color: { field: "method", type: "nominal", sort: null },
          shape: {
            field: "pick",
            type: "nominal",
            title: null,
            scale: { domain: ["chosen", "not chosen"], range: ["diamond", "circle"] },
          },
        },
      },
    ],
  });
}
