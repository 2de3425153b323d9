/**
 * Tokenization as coco-caption's PTBTokenizer path: Penn Treebank tokenization, lower case, then coco-caption's
 * punctuation tokens removed. coco-caption runs Stanford CoreNLP 3.4.1's PTBTokenizer (-preserveLines
 * -lowerCase); this is a re-implementation of the Penn Treebank conventions that tokenizer follows for English
 * captions: clitics split ("don't" -> "do n't", "it's" -> "it 's", "cannot" -> "can not", "gonna" -> "gon na"),
 * punctuation split off words (not inside numbers such as 3,000 or 2.5, nor in abbreviations such as u.s. or
 * mr.), double quotes as `` and '', brackets as -lrb- -rrb- -lsb- -rsb- -lcb- -rcb- (lower-cased, so coco-caption's
 * list, which names them in upper case, keeps them). Not reproduced: CoreNLP's British-to-American spelling
 * and its escaping of "/" and "*".
 */

/** coco-caption's PUNCTUATIONS: tokens dropped after tokenizing. */
export const COCO_PUNCTUATIONS: readonly string[] = [
  "''",
  "'",
  "``",
  "`",
  "-LRB-",
  "-RRB-",
  "-LCB-",
  "-RCB-",
  ".",
  "?",
  "!",
  ",",
  ":",
  "-",
  "--",
  "...",
  ";",
];
const PUNCT = new Set(COCO_PUNCTUATIONS);

const BRACKETS: Record<string, string> = {
  "(": "-LRB-",
  ")": "-RRB-",
  "[": "-LSB-",
  "]": "-RSB-",
  "{": "-LCB-",
  "}": "-RCB-",
};

/** Abbreviations that keep their period (PTB keeps "Mr." as one token); single letters keep it too. */
const ABBREVIATIONS = new Set(
  "mr mrs ms dr prof st jr sr mt vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec no gen col lt sgt capt rev hon".split(
    " ",
  ),
);

const CONTRACTIONS: readonly [RegExp, string][] = [
  [/\b(can)(not)\b/giu, "$1 $2"],
  [/\b(d)('ye)\b/giu, "$1 $2"],
  [/\b(gim)(me)\b/giu, "$1 $2"],
  [/\b(gon)(na)\b/giu, "$1 $2"],
  [/\b(got)(ta)\b/giu, "$1 $2"],
  [/\b(lem)(me)\b/giu, "$1 $2"],
  [/\b(more)('n)\b/giu, "$1 $2"],
  [/\b(wan)(na)\b/giu, "$1 $2"],
  [/(?<![\p{L}\p{N}])('t)(is|was)\b/giu, "$1 $2"],
];

/** Split one word-like chunk (no spaces) into PTB tokens. */
function splitChunk(chunk: string, out: string[]): void {
  // Leading punctuation and brackets.
  let s = chunk;
  const tail: string[] = [];
  for (;;) {
    const c = s[0];
    if (c === undefined) return;
    if (c === '"') {
      out.push("``");
      s = s.slice(1);
    } else if (s.startsWith("``")) {
      out.push("``");
      s = s.slice(2);
    } else if (c === "`" || c === "\u2018") {
      out.push("`");
      s = s.slice(1);
    } else if (c === "\u201c") {
      out.push("``");
      s = s.slice(1);
    } else if (Object.hasOwn(BRACKETS, c)) {
      out.push(BRACKETS[c]!);
      s = s.slice(1);
    } else if (/^[,;:!?&$#%@]$/u.test(c) || c === "\u2026") {
      out.push(c === "\u2026" ? "..." : c);
      s = s.slice(1);
    } else if (s.startsWith("--")) {
      out.push("--");
      s = s.slice(2);
    } else if (c === "-" && !/^-\p{N}/u.test(s)) {
      out.push("-");
      s = s.slice(1);
    } else if (c === "'" && s.length > 1 && !/^'(s|m|d|ll|re|ve|t)$/iu.test(s)) {
      out.push("`");
      s = s.slice(1);
    } else break;
  }
  // Trailing punctuation, closing quotes and brackets (collected right to left).
  for (;;) {
    const c = s[s.length - 1];
    if (c === undefined) break;
    if (s.endsWith("...")) {
      tail.push("...");
      s = s.slice(0, -3);
    } else if (c === '"' || c === "\u201d") {
      tail.push("''");
      s = s.slice(0, -1);
    } else if (s.endsWith("''")) {
      tail.push("''");
      s = s.slice(0, -2);
    } else if ((c === "'" || c === "\u2019") && s.length > 1 && !/^'(s|m|d|ll|re|ve|t)$/iu.test(s)) {
      tail.push("'");
      s = s.slice(0, -1);
    } else if (Object.hasOwn(BRACKETS, c)) {
      tail.push(BRACKETS[c]!);
      s = s.slice(0, -1);
    } else if (/^[,;:!?&$#%@]$/u.test(c) || c === "\u2026") {
      tail.push(c === "\u2026" ? "..." : c);
      s = s.slice(0, -1);
    } else if (s.endsWith("--")) {
      tail.push("--");
      s = s.slice(0, -2);
    } else if (c === "-" && s.length > 1) {
      tail.push("-");
      s = s.slice(0, -1);
    } else if (c === "." && s.length > 1 && !keepsPeriod(s)) {
      tail.push(".");
      s = s.slice(0, -1);
    } else break;
  }
  if (s === ".") out.push(".");
  else if (s.length > 0) splitWord(s, out);
  for (let i = tail.length - 1; i >= 0; i--) out.push(tail[i]!);
}

/** A word ending in "." keeps it when it is an abbreviation: a known one, a single letter, or dotted (u.s.). */
function keepsPeriod(word: string): boolean {
  const stem = word.slice(0, -1);
  if (stem.includes(".") && /\p{L}/u.test(stem)) return true;
  if (/^\p{L}$/u.test(stem)) return true;
  return ABBREVIATIONS.has(stem.toLowerCase());
}

/** Split clitics and inner punctuation of a word: n't, 's, 'm, 'd, 'll, 're, 've, trailing apostrophe. */
function splitWord(w: string, out: string[]): void {
  const m =
    /^(.+?)(n't|n\u2019t)$/iu.exec(w) ??
    /^(.+?)('s|'m|'d|'ll|'re|'ve|\u2019s|\u2019m|\u2019d|\u2019ll|\u2019re|\u2019ve)$/iu.exec(w);
  if (m && /\p{L}|\p{N}/u.test(m[1]!)) {
    splitWord(m[1]!, out);
    out.push(m[2]!.replace("\u2019", "'"));
    return;
  }
  // Inner punctuation that never binds words together in PTB (commas between letters, semicolons, ...).
  const parts = w.split(/(?<=\p{L})([,;!?]+)(?=\p{L})/u);
  if (parts.length > 1) {
    for (const p of parts) if (p) splitChunk(p, out);
    return;
  }
  out.push(w);
}

/**
 * PTB-tokenize one caption; tokens keep their case (see `tokenize` for the coco-caption pipeline).
 *
 * @param text - One caption.
 * @returns Its Penn Treebank tokens.
 * @example
 * ```ts
 * ptbTokens("Don't stop!"); // ["Do", "n't", "stop", "!"]
 * ```
 */
export function ptbTokens(text: string): string[] {
  let s = text.replace(/[\r\n]+/g, " ");
  for (const [re, rep] of CONTRACTIONS) s = s.replace(re, rep);
  const out: string[] = [];
  for (const chunk of s.split(/\s+/u)) if (chunk) splitChunk(chunk, out);
  return out;
}

/**
 * coco-caption's PTBTokenizer path for one caption: PTB tokens, lower-cased, coco-caption's punctuation tokens
 * removed, joined by single spaces.
 *
 * @param text - One caption.
 * @returns The caption as `score` sees it.
 * @example
 * ```ts
 * tokenize("A man plays the guitar."); // "a man plays the guitar"
 * ```
 */
export function tokenize(text: string): string {
  return ptbTokens(text)
    .map((t) => t.toLowerCase())
    .filter((t) => !PUNCT.has(t))
    .join(" ");
}
