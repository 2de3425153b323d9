// The public API of every package, read from its src/index.ts with the TypeScript compiler: each exported name, what
// kind of thing it is, and the first sentence of its doc comment. tools/docs/readme-api.mjs writes it into the
// packages' READMEs; test/api.test.ts checks that every README lists every export.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The package directories under packages/ (names without the scope). */
export function packageNames(root = ROOT) {
  return readdirSync(join(root, "packages"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function kindOf(symbol) {
  const f = symbol.flags;
  const S = ts.SymbolFlags;
  if (f & S.Class) return "class";
  if (f & S.Function) return "function";
  if (f & S.Enum) return "enum";
  if (f & S.Interface) return "interface";
  if (f & S.TypeAlias) return "type";
  if (f & S.Variable) return "const";
  if (f & S.Module) return "namespace";
  return "value";
}

/** The first sentence of a doc comment (at most 180 characters), on one line, with Markdown table pipes escaped. */
export function firstSentence(text) {
  const flat = text.replace(/\s+/g, " ").trim();
  if (!flat) return "";
  // A sentence ends at ". " before a capital letter or a backtick (not at "e.g. " or "eq. 4").
  const m = /^(.+?\.)(?=\s+[A-Z`(]|$)/.exec(flat);
  let s = m ? m[1] : flat;
  if (s.length > 180) s = `${s.slice(0, 177).replace(/[\s,;:]+\S*$/, "")} ...`;
  return s.replace(/\|/g, "\\|");
}

/**
 * Every package's exports: `{ [pkg]: [{ name, kind, summary }] }`, sorted by name. One TypeScript program over all
 * the index files (sibling packages resolve to their sources).
 */
export function readApis(root = ROOT, pkgs = packageNames(root)) {
  const files = pkgs.map((p) => join(root, "packages", p, "src", "index.ts"));
  const paths = Object.fromEntries(packageNames(root).map((p) => [`@tavt/${p}`, [`packages/${p}/src/index.ts`]]));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    baseUrl: root,
    paths,
    skipLibCheck: true,
    noEmit: true,
    allowJs: false,
    types: [],
  });
  const checker = program.getTypeChecker();
  const out = {};
  pkgs.forEach((p, i) => {
    const sf = program.getSourceFile(files[i]);
    if (!sf) throw new Error(`${files[i]}: not found`);
    const mod = checker.getSymbolAtLocation(sf);
    const entries = mod ? checker.getExportsOfModule(mod) : [];
    const reexportDocs = new Map();
    for (const st of sf.statements) {
      if (!ts.isExportDeclaration(st)) continue;
      const comment = (ts.getLeadingCommentRanges(sf.text, st.pos) ?? [])
        .map((r) => sf.text.slice(r.pos, r.end))
        .filter((c) => c.startsWith("/**"))
        .at(-1);
      if (!comment) continue;
      const text = comment.replace(/^\/\*\*|\*\/$/g, "").replace(/^\s*\* ?/gm, "");
      const c = st.exportClause;
      if (c && ts.isNamespaceExport(c)) reexportDocs.set(c.name.text, text);
      else if (c && ts.isNamedExports(c)) for (const e of c.elements) reexportDocs.set(e.name.text, text);
    }
    out[p] = entries
      .map((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        // The declaration's comment, else the re-export's own (`/** ... */ export * as rng from "./rng"`).
        const declared = ts.displayPartsToString(target.getDocumentationComment(checker));
        const doc = declared.trim() ? declared : (reexportDocs.get(s.name) ?? "");
        return { name: s.name, kind: kindOf(target), summary: firstSentence(doc) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  });
  return out;
}

export const BEGIN = "<!-- api:begin (generated from src/index.ts by `pnpm docs:readme-api`; do not edit) -->";
export const END = "<!-- api:end -->";

/** The Markdown table of one package's exports. */
export function apiTable(entries) {
  const rows = entries.map((e) => `| \`${e.name}\` | ${e.kind} | ${e.summary} |`);
  return ["| export | kind | what it is |", "| --- | --- | --- |", ...rows].join("\n");
}

/** A README with its API block rewritten (unchanged where it has no markers). */
export function readmeWithApi(readme, entries) {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return readme;
  return `${readme.slice(0, a + BEGIN.length)}\n\n${apiTable(entries)}\n\n${readme.slice(b)}`;
}

/** The names listed in a README's API block (the first backticked cell of each table row). */
export function namesInReadme(readme) {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return null;
  const names = new Set();
  for (const line of readme.slice(a, b).split("\n")) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}
