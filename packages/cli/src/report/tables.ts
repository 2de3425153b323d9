import { join } from "node:path";
import { writeFileAtomic } from "@tavt/core";
import type { ColumnTable } from "arquero";
import { type BarChartOptions, barChartSvg } from "./charts";
import type { RunInfo } from "./runInfo";

type Row = Record<string, string | number | null>;

/**
 * An arquero table from plain rows (arquero is an ES module, loaded on first use).
 *
 * @param rows - Plain rows.
 * @returns An arquero table.
 */
export async function toTable(rows: readonly Row[]): Promise<ColumnTable> {
  const aq = await import("arquero");
  return aq.from(rows as Row[]);
}

/** Round numbers for display. */
function fmt(v: unknown, digits: number): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return v === null || v === undefined ? "" : String(v);
}

/**
 * A Markdown table of rows (numbers with `digits` decimals).
 *
 * @param rows - Plain rows.
 * @param columns - Column order (the first row's keys by default).
 * @param digits - Decimals of non-integer numbers (2 by default).
 * @returns The Markdown table.
 */
export function markdownTable(rows: readonly Row[], columns?: readonly string[], digits = 2): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const head = `| ${cols.join(" | ")} |`;
  const rule = `| ${cols.map((c, i) => (typeof rows[0]?.[c] === "number" && i > 0 ? "---:" : "---")).join(" | ")} |`;
  const body = rows.map((r) => `| ${cols.map((c) => fmt(r[c], digits)).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

/**
 * An aligned plain-text table (for terminals).
 *
 * @param rows - Plain rows.
 * @param columns - Column order (the first row's keys by default).
 * @param digits - Decimals of non-integer numbers (2 by default).
 * @returns The table, numeric columns right-aligned.
 */
export function alignedTable(rows: readonly Row[], columns?: readonly string[], digits = 2): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cells = [cols.map(String), ...rows.map((r) => cols.map((c) => fmt(r[c], digits)))];
  const widths = cols.map((_, j) => Math.max(...cells.map((row) => row[j]!.length)));
  const numeric = cols.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number"));
  return cells
    .map((row) => row.map((cell, j) => (numeric[j] ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join("  "))
    .map((l) => l.trimEnd())
    .join("\n");
}

/** Options of `writeResultTable`: the file name, title, columns, digits, the chart and the run info. */
export interface WriteTableOptions {
  /** File stem: `<name>.md`, `.csv`, `.json`, `.svg`. */
  name: string;
  title: string;
  /** Column order; default the table's. */
  columns?: string[];
  digits?: number;
  /** A bar chart of the table (omit for none). */
  chart?: Omit<BarChartOptions, "title">;
  /** Rows for the chart (default the table's rows). */
  chartRows?: Row[];
  info: RunInfo;
}

/**
 * Write a results table under `dir` as Markdown, CSV and JSON (with the run's config, seeds, backend and
 * versions), and an SVG bar chart; every file atomic. Returns the Markdown.
 *
 * @param dir - The result directory.
 * @param table - The results.
 * @param o - The file name stem, title, columns, digits, chart and run info.
 * @returns The Markdown written.
 */
export async function writeResultTable(dir: string, table: ColumnTable, o: WriteTableOptions): Promise<string> {
  const rows = table.objects() as Row[];
  const columns = o.columns ?? table.columnNames();
  const digits = o.digits ?? 2;
  const md = `## ${o.title}\n\n${markdownTable(rows, columns, digits)}\n\nBackend ${o.info.backend}; seeds ${o.info.seeds.join(", ")}; command \`${o.info.command}\`.\n`;
  writeFileAtomic(join(dir, `${o.name}.md`), md);
  writeFileAtomic(join(dir, `${o.name}.csv`), `${table.select(columns).toCSV()}\n`);
  writeFileAtomic(
    join(dir, `${o.name}.json`),
    `${JSON.stringify({ title: o.title, columns, rows, run: o.info }, null, 2)}\n`,
  );
  if (o.chart) {
    const svg = await barChartSvg(o.chartRows ?? rows, { ...o.chart, title: o.title });
    writeFileAtomic(join(dir, `${o.name}.svg`), svg);
  }
  return md;
}
