/**
 * SVG charts rendered without a browser: a vega-lite spec compiled to vega, then `view.toSVG()` on a headless
 * view (renderer "none"). vega and vega-lite are ES modules, loaded on first use.
 */

type Row = Record<string, string | number | null>;

/** Options of `barChartSvg`: the title and the fields for x, y, colour groups, panels and error bars. */
export interface BarChartOptions {
  title: string;
  /** The field that names a bar (e.g. the method): a colour, with its full name in the legend. */
  x: string;
  /** The numeric field (bar height). */
  y: string;
  /**
   * The field the bars are grouped by on the horizontal axis (e.g. the target): one group of bars (one per `x`)
   * for each of its values. Without it, one bar per `x` value, named on the axis.
   */
  group?: string;
  /** One panel per value of this field (e.g. the metric), in the order the rows first give them. */
  column?: string;
  /** Error bar half-width field (e.g. the standard deviation). */
  error?: string;
}

/** No truncated labels anywhere: vega cuts axis labels at 180 px and legend labels at 160 px by default. */
const NO_TRUNCATION = {
  axis: { labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0 },
  header: { labelLimit: 0 },
  title: { limit: 0 },
};

/**
 * Render a vega-lite spec to an SVG string.
 *
 * @param spec - A vega-lite specification.
 * @returns The SVG text.
 */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  // a library never prints: vega-lite's and vega's notes (such as "conflicting scale property", which a layered chart
  // with error bars always raises) are dropped; errors still throw
  const logger = vega.logger(vega.Error);
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0], { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A bar chart of a results table: one bar per `x` (a method), grouped by `group` (a target) when given, one panel
 * per `column` (a metric) stacked top to bottom with its own y scale, optional error bars (mean ± `error`), the
 * methods' full names in the legend.
 *
 * @param rows - The table's rows.
 * @param o - The title, and the fields for `x`, `y`, `group`, `column` and `error`.
 * @returns The SVG text.
 */
export async function barChartSvg(rows: readonly Row[], o: BarChartOptions): Promise<string> {
  const order = (field: string) => [...new Set(rows.map((r) => String(r[field])))];
  const xs = order(o.x);
  const axisField = o.group ?? o.x;
  const x = {
    field: axisField,
    type: "nominal",
    title: null,
    sort: order(axisField),
    axis: { labelAngle: o.group ? 0 : -35 },
  };
  const xOffset = o.group ? { xOffset: { field: o.x, type: "nominal", sort: xs } } : {};
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "bar" },
      encoding: {
        x,
        ...xOffset,
        // stacked panels (with groups) share one y title, drawn once down the left side by the facet
        // the scale covers at least [0, 1], so a panel of zeros still has an axis to read them against
        y: {
          field: o.y,
          type: "quantitative",
          title: o.group && o.column ? null : o.y,
          scale: { domain: { unionWith: [0, 1] } },
        },
        color: {
          field: o.x,
          type: "nominal",
          title: null,
          sort: xs,
          // vega-lite's default has 10 colours: more methods than that would share colours
          ...(xs.length > 10 ? { scale: { scheme: "category20" } } : {}),
          legend: o.group ? { orient: "top", direction: "horizontal", columns: Math.min(xs.length, 4) } : null,
        },
        tooltip: [
          { field: axisField, type: "nominal" },
          ...(o.group ? [{ field: o.x, type: "nominal" }] : []),
          { field: o.y, type: "quantitative", format: ".2f" },
        ],
      },
    },
  ];
  if (o.error) {
    layers.push({
      mark: { type: "rule", color: "#333", strokeWidth: 1 },
      encoding: {
        x,
        ...xOffset,
        // the same title as the bars, so the axis reads o.y
        y: {
          field: "lo",
          type: "quantitative",
          title: o.group && o.column ? null : o.y,
          scale: { domain: { unionWith: [0, 1] } }, // as the bars', so the scale spans the error bars too
        },
        y2: { field: "hi" },
      },
    });
  }
  const data = rows.map((r) => {
    const y = Number(r[o.y]);
    const e = o.error ? Number(r[o.error]) || 0 : 0;
    return { ...r, lo: y - e, hi: y + e };
  });
  const inner = {
    width: o.group ? { step: 18, for: "offset" } : { step: 40 }, // with groups: 18 px per bar
    height: o.group ? 150 : 160,
    layer: layers,
  };
  const head = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: NO_TRUNCATION };
  const spec: Record<string, unknown> = o.column
    ? {
        ...head,
        title: o.title,
        data: { values: data },
        facet: {
          [o.group ? "row" : "column"]: {
            field: o.column,
            type: "nominal",
            title: o.group ? o.y : null,
            sort: order(o.column),
            header: o.group
              ? {
                  labelAngle: 0,
                  labelAlign: "left",
                  labelAnchor: "start",
                  labelOrient: "top",
                  labelFontWeight: "bold",
                  titleFontSize: 11,
                  titleFontWeight: "bold",
                }
              : {},
          },
        },
        spec: inner,
        resolve: { scale: { y: "independent" } },
      }
    : { ...head, title: o.title, data: { values: data }, ...inner };
  return renderVegaLite(spec);
}

/** One caption's per-word gate traces (Figure 11): alpha_av and alpha_va (mean over d) for each generated word. */
export interface AlphaTrace {
  /** A short label above the caption's row (the video id, perhaps with the model). */
  label: string;
  words: string[];
  alphaAv: number[];
  alphaVa: number[];
}

const GATES = ["audio (alpha_av)", "visual (alpha_va)"];

/**
 * Figure 11 of the paper: per word of a generated caption, the dependency on audio (alpha_av, red) and on vision
 * (alpha_va, blue) as side-by-side bars; one row per caption with its words, in order, on the horizontal axis and
 * its label above it; one y-axis title and one legend.
 *
 * @param traces - One per caption: its label, words and per-word alpha_av and alpha_va.
 * @param title - The chart's title.
 * @returns The SVG text.
 */
export async function alphaTraceSvg(traces: readonly AlphaTrace[], title = "Modality gates per word (Figure 11)") {
  const values = traces.flatMap((t) => {
    const seen = new Map<string, number>();
    return t.words.flatMap((w, i) => {
      // A word repeated in a caption ("a man ... a guitar") needs its own place on the axis: zero-width spaces
      // make the axis values distinct while the labels read the same.
      const n = seen.get(w) ?? 0;
      seen.set(w, n + 1);
      const word = `${w}${"\u200b".repeat(n)}`;
      return [
        { caption: t.label, position: i, word, gate: GATES[0], value: t.alphaAv[i] ?? 0 },
        { caption: t.label, position: i, word, gate: GATES[1], value: t.alphaVa[i] ?? 0 },
      ];
    });
  });
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: NO_TRUNCATION,
    title,
    data: { values },
    facet: {
      row: {
        field: "caption",
        type: "nominal",
        // The row title is drawn once, down the left side: the one y-axis title of the figure.
        title: "gate value (mean over d)",
        sort: traces.map((t) => t.label),
        header: {
          labelAngle: 0,
          labelOrient: "top",
          labelAnchor: "start",
          labelFontWeight: "bold",
          titleFontSize: 11,
          titleFontWeight: "bold",
        },
      },
    },
    spec: {
      width: { step: 34 },
      height: 80,
      mark: "bar",
      encoding: {
        x: {
          field: "word",
          type: "nominal",
          title: null,
          sort: { field: "position", op: "min" },
          axis: { labelAngle: 0, labelFontSize: 11 },
        },
        xOffset: { field: "gate", sort: GATES },
        y: {
          field: "value",
          type: "quantitative",
          title: null,
          scale: { domain: [0, 1] },
          axis: { tickCount: 3 },
        },
        color: {
          field: "gate",
          type: "nominal",
          title: "modality gate",
          scale: { domain: GATES, range: ["#d62728", "#1f77b4"] },
          legend: { orient: "top", direction: "horizontal" },
        },
      },
    },
    resolve: { scale: { x: "independent" } },
  });
}

/**
 * Figure 10 of the paper as a bar chart: words ranked by their mean alpha_av / alpha_va, drawn as
 * log2(ratio) (right, red: leans on sound; left, blue: leans on sight); the `top` most audio- and visual-leaning
 * words when there are more than 2 * top.
 *
 * @param words - Words with their count and mean alpha_av / alpha_va, most audio-leaning first.
 * @param o - `title`, and `top`: how many words of each end to show (15 by default).
 * @returns The SVG text.
 */
export async function wordModalitySvg(
  words: readonly { word: string; count: number; ratio: number }[],
  o: { title?: string; top?: number } = {},
): Promise<string> {
  const top = o.top ?? 15;
  const shown = words.length > 2 * top ? [...words.slice(0, top), ...words.slice(-top)] : [...words];
  const values = shown.map((w) => ({
    word: w.word,
    count: w.count,
    ratio: w.ratio,
    log2: Math.log2(w.ratio),
    leans: w.ratio >= 1 ? "sound (alpha_av > alpha_va)" : "sight (alpha_va > alpha_av)",
  }));
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.title ?? "Words by mean alpha_av / alpha_va (Figure 10)",
    data: { values },
    width: 360,
    height: { step: 14 },
    mark: "bar",
    encoding: {
      y: { field: "word", type: "nominal", sort: null, title: null },
      x: { field: "log2", type: "quantitative", title: "log2(mean alpha_av / alpha_va)" },
      color: {
        field: "leans",
        type: "nominal",
        title: "leans on",
        legend: { labelLimit: 400 },
        scale: {
          domain: ["sound (alpha_av > alpha_va)", "sight (alpha_va > alpha_av)"],
          range: ["#d62728", "#1f77b4"],
        },
      },
      tooltip: [{ field: "word" }, { field: "ratio", format: ".3f" }, { field: "count" }],
    },
  });
}

/**
 * Figure 9 of the paper as a heat map: one row per domain (sources first), one column per prototype of the
 * auditory space (ordered by how many domains use it, then by total share), colour = the share of the domain's
 * audio units nearest to that prototype.
 */
export async function prototypeUsageSvg(
  domains: readonly { domain: string; role: string; shares: readonly number[] }[],
  o: { subtitle?: string } = {},
): Promise<string> {
  const k = domains[0]?.shares.length ?? 0;
  const threshold = k > 0 ? 1 / k : 0;
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => {
    const used = (j: number) => domains.filter((d) => d.shares[j]! >= threshold).length;
    const total = (j: number) => domains.reduce((s, d) => s + d.shares[j]!, 0);
    return used(b) - used(a) || total(b) - total(a) || a - b;
  });
  const values = domains.flatMap((d) =>
    order.map((j, position) => ({
      domain: `${d.domain} (${d.role})`,
      prototype: `m${j + 1}`,
      position,
      share: d.shares[j]!,
    })),
  );
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Auditory prototypes used by each domain's audio (Figure 9)",
      ...(o.subtitle ? { subtitle: o.subtitle } : {}),
    },
    data: { values },
    width: { step: Math.max(6, Math.min(18, Math.floor(720 / Math.max(1, k)))) },
    height: { step: 18 },
    mark: "rect",
    encoding: {
      x: {
        field: "prototype",
        type: "ordinal",
        sort: { field: "position" },
        title: "prototype m_j of M (most widely shared first)",
        axis: { labelAngle: -90, labelFontSize: 8 },
      },
      y: { field: "domain", type: "nominal", sort: null, title: null },
      color: {
        field: "share",
        type: "quantitative",
        title: "share of units",
        scale: { scheme: "yelloworangered" },
      },
      tooltip: [{ field: "domain" }, { field: "prototype" }, { field: "share", format: ".3f" }],
    },
  });
}

/** One point of a learning curve: a method's `series` value at `step` for one seed. */
export interface CurvePoint {
  method: string;
  seed: number;
  /** Which curve: e.g. "training loss (per step)", "validation NLL per word". */
  series: string;
  step: number;
  value: number;
}

/**
 * Learning curves: one panel per series (stacked, each with its own y scale), one colour per method, one line per
 * (method, seed). Shows whether a run is under-trained (still falling), over-trained (validation rising) or
 * diverging.
 *
 * @param points - The curves' points: method, seed, series, step and value (non-finite values are left out).
 * @param title - The chart's title.
 * @returns The SVG text.
 */
export async function learningCurveSvg(points: readonly CurvePoint[], title = "Learning curves") {
  const series = [...new Set(points.map((p) => p.series))];
  const methods = [...new Set(points.map((p) => p.method))];
  const values = points
    .filter((p) => Number.isFinite(p.value))
    .map((p) => ({ ...p, run: `${p.method} / seed ${p.seed}` }));
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: NO_TRUNCATION,
    title,
    data: { values },
    facet: {
      row: {
        field: "series",
        type: "nominal",
        title: null,
        sort: series,
        header: { labelAngle: 0, labelOrient: "top", labelAnchor: "start", labelFontWeight: "bold" },
      },
    },
    spec: {
      width: 560,
      height: 170,
      mark: { type: "line", strokeWidth: 1.4, opacity: 0.85 },
      encoding: {
        x: { field: "step", type: "quantitative", title: "meta-step" },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        color: {
          field: "method",
          type: "nominal",
          title: "method",
          sort: methods,
          scale: { scheme: methods.length > 10 ? "category20" : "category10" },
          legend: { orient: "top", columns: 2 },
        },
        detail: { field: "run", type: "nominal" },
      },
    },
    resolve: { scale: { y: "independent" } },
  });
}
