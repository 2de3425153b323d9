import { describe, expect, it, vi } from "vitest";
import { alphaTraceSvg, barChartSvg } from "../src/report/charts";

const rows = [
  { method: "TAVT", metric: "BLEU-4", score: 42.5, std: 2.5 },
  { method: "vanilla", metric: "BLEU-4", score: 37.5, std: 7.5 },
  { method: "TAVT", metric: "CIDEr", score: 7.25, std: 3.5 },
  { method: "vanilla", metric: "CIDEr", score: 5.5, std: 1 },
];

/** The text of every <text> element of an SVG, in document order. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
const count = (xs: string[], x: string) => xs.filter((t) => t === x).length;

describe("charts", () => {
  it("draws a headless SVG bar chart per metric, with error bars and the value's name as the axis title", async () => {
    const svg = await barChartSvg(rows, { title: "Transfer", x: "method", y: "score", column: "metric", error: "std" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">Transfer</text>");
    expect(svg).toContain(">BLEU-4</text>");
    expect(svg).toContain(">CIDEr</text>");
    expect(svg).toContain(">score</text>");
    expect(svg).not.toContain("score, lo");
  });

  it("groups bars by target (every target, not only the mean), one panel per metric in the rows' order, full method names", async () => {
    const methods = [
      "TAVT (MAML)",
      "vanilla transformer (MAML)",
      "visual+audio concat (MAML)",
      "TAVT (joint, no MAML)",
    ];
    const targets = ["Animation", "Music", "Animal", "Kids", "Beauty", "mean"];
    const metrics = ["BLEU-4", "METEOR", "ROUGE-L", "CIDEr"];
    const grouped = targets.flatMap((target, t) =>
      methods.flatMap((method, m) =>
        metrics.map((metric, k) => ({ target, method, metric, "score (x100)": 10 + t + m + k, std: 1 })),
      ),
    );
    const svg = await barChartSvg(grouped, {
      title: "Cross-category",
      x: "method",
      group: "target",
      y: "score (x100)",
      column: "metric",
      error: "std",
    });
    const t = texts(svg);
    // one bar per target, method and metric
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(targets.length * methods.length * metrics.length);
    for (const target of targets) expect(t).toContain(target);
    for (const method of methods) expect(count(t, method)).toBe(1); // in the legend, whole
    expect(svg).not.toContain("…");
    const at = metrics.map((m) => t.indexOf(m));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at); // panels in the table's metric order
    expect(count(t, "score (x100)")).toBe(1); // one y title for the stacked panels
    // a panel of zeros (BLEU-4 of an untrained model) still has a readable axis: 0 to 1, no "0.000000"
    const zeros = grouped.map((r) => (r.metric === "BLEU-4" ? { ...r, "score (x100)": 0, std: 0 } : r));
    const z = texts(
      await barChartSvg(zeros, { title: "Z", x: "method", group: "target", y: "score (x100)", column: "metric" }),
    );
    expect(z).toContain("1.0");
    expect(z.some((x) => /^0\.0000/.test(x))).toBe(false);
  });

  it("alpha traces: the caption's words on the x axis, one row per caption, one y-axis title and one legend title", async () => {
    const traces = [
      {
        label: "video1",
        words: ["a", "man", "plays", "a", "guitar"],
        alphaAv: [0.1, 0.2, 0.9, 0.1, 0.3],
        alphaVa: [0.5, 0.8, 0.2, 0.5, 0.7],
      },
      { label: "video2", words: ["a", "dog", "barks"], alphaAv: [0.2, 0.4, 0.95], alphaVa: [0.6, 0.9, 0.1] },
    ];
    const svg = await alphaTraceSvg(traces);
    const t = texts(svg);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(2 * (5 + 3));
    // each word is an axis label, as written (no "01 " prefix); the repeated "a" keeps both its places
    for (const w of ["man", "plays", "guitar", "dog", "barks"]) expect(count(t, w)).toBe(1);
    expect(t.filter((x) => x.replace(/\u200b/g, "") === "a")).toHaveLength(3);
    expect(t.some((x) => /^\d\d /.test(x))).toBe(false);
    expect(count(t, "video1")).toBe(1);
    expect(count(t, "video2")).toBe(1);
    expect(count(t, "gate value (mean over d)")).toBe(1);
    expect(count(t, "modality gate")).toBe(1);
    expect(count(t, "audio (alpha_av)")).toBe(1);
    expect(count(t, "visual (alpha_va)")).toBe(1);
  });

  it("gives each of more than ten methods its own colour", async () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ method: `m${i}`, metric: "CIDEr", score: 10 + i, std: 1 }));
    const svg = await barChartSvg(many, { title: "Many", x: "method", y: "score", column: "metric", error: "std" });
    const bars = [...svg.matchAll(/<path[^>]*aria-roledescription="bar"[^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(bars).toHaveLength(12);
    expect(new Set(bars).size).toBe(12);
  });

  it("prints nothing while it draws (vega's warnings about layered error bars are dropped)", async () => {
    const spies = [
      vi.spyOn(console, "warn").mockImplementation(() => {}),
      vi.spyOn(console, "log").mockImplementation(() => {}),
      vi.spyOn(console, "error").mockImplementation(() => {}),
    ];
    try {
      const grouped = rows.map((r, i) => ({ ...r, target: i % 2 ? "Music" : "Kids" }));
      await barChartSvg(grouped, {
        title: "t",
        x: "method",
        y: "score",
        column: "metric",
        group: "target",
        error: "std",
      });
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
