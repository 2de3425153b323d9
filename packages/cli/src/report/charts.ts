/**
 * SVG charts rendered without a browser: a vega-lite spec compiled to vega, then `view.toSVG()` on a headless
 * view (renderer "none"). vega and vega-lite are ES modules, loaded on first use.
 */

type Row = Record<string, string | number | null>;

export interface BarChartOptions {
  title: string;
  /** The field on the x axis within each group (e.g. the method). */
  x: string;
  /** The numeric field (bar height). */
  y: string;
  /** One small chart per value of this field (e.g. the metric), side by side. */
  column?: string;
  /** Error bar half-width field (e.g. the standard deviation). */
  error?: string;
}

/** Render a vega-lite spec to an SVG string. */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A grouped bar chart of a results table (one bar per `x`, one panel per `column`), optional error bars. */
export async function barChartSvg(rows: readonly Row[], o: BarChartOptions): Promise<string> {
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "bar" },
      encoding: {
        x: { field: o.x, type: "nominal", title: null, sort: null, axis: { labelAngle: -35 } },
        y: { field: o.y, type: "quantitative", title: o.y },
        color: { field: o.x, type: "nominal", legend: null, sort: null },
      },
    },
  ];
  if (o.error) {
    layers.push({
      mark: { type: "errorbar", ticks: true },
      encoding: {
        x: { field: o.x, type: "nominal", sort: null },
        y: { field: "lo", type: "quantitative", title: o.y }, // the same title as the bars, so the axis reads o.y
        y2: { field: "hi" },
      },
    });
  }
  const data = rows.map((r) => {
    const y = Number(r[o.y]);
    const e = o.error ? Number(r[o.error]) || 0 : 0;
    return { ...r, lo: y - e, hi: y + e };
  });
  const inner = { width: 120, height: 160, layer: layers };
  const spec: Record<string, unknown> = o.column
    ? {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: o.title,
        data: { values: data },
        facet: { column: { field: o.column, type: "nominal", title: null, sort: null } },
        spec: inner,
        resolve: { scale: { y: "independent" } },
      }
    : { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title: o.title, data: { values: data }, ...inner };
  return renderVegaLite(spec);
}

/** One caption's per-word gate traces (Figure 11): alpha_av and alpha_va (mean over d) for each generated word. */
export interface AlphaTrace {
  /** A label (video id and model). */
  label: string;
  words: string[];
  alphaAv: number[];
  alphaVa: number[];
}

/**
 * Figure 11 of the paper: per word of a generated caption, the dependency on audio (alpha_av, red) and on vision
 * (alpha_va, blue) as side-by-side bars; one row per caption.
 */
export async function alphaTraceSvg(traces: readonly AlphaTrace[], title = "Modality gates per word (Figure 11)") {
  const values = traces.flatMap((t) =>
    t.words.flatMap((w, i) => [
      {
        caption: t.label,
        position: i,
        word: `${String(i + 1).padStart(2, "0")} ${w}`,
        gate: "audio (alpha_av)",
        value: t.alphaAv[i] ?? 0,
      },
      {
        caption: t.label,
        position: i,
        word: `${String(i + 1).padStart(2, "0")} ${w}`,
        gate: "visual (alpha_va)",
        value: t.alphaVa[i] ?? 0,
      },
    ]),
  );
  return renderVegaLite({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values },
    facet: { row: { field: "caption", type: "nominal", title: null, header: { labelAngle: 0, labelAlign: "left" } } },
    spec: {
      width: { step: 14 },
      height: 90,
      mark: "bar",
      encoding: {
        x: { field: "word", type: "ordinal", title: null, axis: { labelAngle: -40 } },
        xOffset: { field: "gate" },
        y: { field: "value", type: "quantitative", title: "gate", scale: { domain: [0, 1] } },
        color: {
          field: "gate",
          type: "nominal",
          scale: { domain: ["audio (alpha_av)", "visual (alpha_va)"], range: ["#d62728", "#1f77b4"] },
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
