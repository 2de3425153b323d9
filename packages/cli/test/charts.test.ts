import { describe, expect, it } from "vitest";
import { barChartSvg } from "../src/report/charts";

const rows = [
  { method: "TAVT", metric: "BLEU-4", score: 42.5, std: 2.5 },
  { method: "vanilla", metric: "BLEU-4", score: 37.5, std: 7.5 },
  { method: "TAVT", metric: "CIDEr", score: 7.25, std: 3.5 },
  { method: "vanilla", metric: "CIDEr", score: 5.5, std: 1 },
];

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
});
